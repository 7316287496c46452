import { DomainError, flushExplained, parseGlobalId, toGlobalId } from '@district/kit';
import { JournalError } from '../journal.errors';
import type { JournalContext } from '../context';
import { proposedGrade, weightedAverage } from '../diary/averages';
import { JournalWrites } from '../journal-writes';
import { checkGrades, gradeScope, parseGrades, type GradeScope } from './grade-scope';
import { TermGrade, type TermGradeValue } from './term-grade.entity';
import { TermGradeRowType, TermGradeSheetType, type TermGradeInput } from './term-grade.type';

type Row = Record<string, unknown>;

const snapshot = (g: TermGrade) => ({
  termId: g.termId,
  studentId: g.studentId,
  subjectId: g.subjectId,
  value: g.value,
  average: g.average === null || g.average === undefined ? null : Number(g.average),
});

/**
 * Term grades (четвертные отметки): the subject's teacher in the class sets
 * them, proposed from the term's weighted average; "not assessed" (н/а) is an
 * explicit grade. A term can be closed only when nobody lacks one.
 */
export class TermGradeService {
  private readonly writes: JournalWrites;

  constructor(private readonly ctx: JournalContext) {
    this.writes = new JournalWrites(ctx);
  }

  private async averages(termId: number, sheet: GradeScope): Promise<Map<number, { average: number | null; count: number }>> {
    if (sheet.students.length === 0) return new Map();
    const marks = await this.ctx.em.execute<Row[]>(
      `select m.student_id, m.value, m.weight from journal.mark m join schedule.lesson_facts f on f.lesson_id = m.lesson_id
       where f.term_id = ? and f.subject_id = ? and m.status = 'ACTIVE' and m.student_id in (?)`,
      [termId, sheet.subjectId, sheet.students],
    );
    const by = new Map<number, { value: string; weight: string }[]>();
    for (const m of marks) by.set(Number(m.student_id), [...(by.get(Number(m.student_id)) ?? []), { value: String(m.value), weight: String(m.weight) }]);
    return new Map(sheet.students.map((id) => [id, { average: weightedAverage(by.get(id) ?? []), count: (by.get(id) ?? []).length }]));
  }

  private ids(termId: string, classGroupId: string, subjectId: string) {
    return {
      term: parseGlobalId(termId, 'Term', this.ctx.schoolId).localId,
      classGroup: parseGlobalId(classGroupId, 'ClassGroup', this.ctx.schoolId).localId,
      subject: parseGlobalId(subjectId, 'Subject', this.ctx.schoolId).localId,
    };
  }

  async read(termId: string, classGroupId: string, subjectId: string): Promise<TermGradeSheetType> {
    const ids = this.ids(termId, classGroupId, subjectId);
    const sheet = await gradeScope(this.ctx, { termId: ids.term }, ids.classGroup, ids.subject, false);
    const [averages, grades] = await Promise.all([
      this.averages(ids.term, sheet),
      this.ctx.em.find(TermGrade, { termId: ids.term, subjectId: ids.subject, studentId: { $in: sheet.students } }),
    ]);
    const gradeBy = new Map(grades.map((g) => [g.studentId, g]));
    return Object.assign(new TermGradeSheetType(), {
      termId,
      subject: sheet.subjectName,
      termClosed: sheet.closed,
      rows: sheet.students.map((id) => {
        const a = averages.get(id)!;
        const g = gradeBy.get(id);
        return Object.assign(new TermGradeRowType(), {
          studentId: toGlobalId('Student', this.ctx.schoolId, id),
          average: a.average,
          proposed: proposedGrade(a.average),
          marksCount: a.count,
          grade: g ? { id: toGlobalId('TermGrade', this.ctx.schoolId, g.id), value: g.value, version: g.version } : null,
        });
      }),
    });
  }

  async set(termId: string, classGroupId: string, subjectId: string, inputs: TermGradeInput[], key: string): Promise<TermGradeSheetType> {
    const author = this.ctx.viewer.personId;
    if (!author) throw DomainError.forbidden();
    const ids = this.ids(termId, classGroupId, subjectId);
    await this.writes.once('setTermGrades', key, { termId, classGroupId, subjectId, inputs }, author, async (em) => {
      const sheet = await gradeScope(this.ctx, { termId: ids.term }, ids.classGroup, ids.subject, true);
      // Who may set this sheet is decided before the grades are validated.
      const students = parseGrades(this.ctx, inputs);
      if (sheet.closed) throw new JournalError('TERM_CLOSED', 'Период закрыт: четвертные отметки не меняются');
      checkGrades(sheet, inputs, students);
      const averages = await this.averages(ids.term, sheet);
      const existing = new Map(
        (await em.find(TermGrade, { termId: ids.term, subjectId: ids.subject, studentId: { $in: students } })).map((g) => [g.studentId, g]),
      );
      const now = new Date();
      const changes: { grade: TermGrade; old: ReturnType<typeof snapshot> | null }[] = [];
      inputs.forEach((input, i) => {
        const studentId = students[i]!;
        const average = averages.get(studentId)?.average ?? null;
        const fields = {
          value: input.value as TermGradeValue,
          average: average === null ? null : average.toFixed(2),
          proposed: proposedGrade(average),
          setBy: author,
          setAt: now,
        };
        const grade = existing.get(studentId);
        if (grade) {
          if (input.version !== grade.version)
            throw DomainError.conflict('Четвертная отметка уже изменена; обновите страницу', { version: grade.version, value: grade.value });
          changes.push({ grade, old: snapshot(grade) });
          Object.assign(grade, fields);
        } else changes.push({ grade: em.create(TermGrade, { termId: ids.term, studentId, subjectId: ids.subject, ...fields }), old: null });
      });
      await flushExplained(em, 'Четвертная отметка уже выставлена');
      for (const { grade, old } of changes) await this.writes.audit(em, 'TERM_GRADE', grade.id, old ? 'EDIT' : 'ENTER', old, snapshot(grade));
      return true;
    });
    return this.read(termId, classGroupId, subjectId);
  }
}
