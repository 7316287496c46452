import { DomainError, ErrorCode, flushExplained, parseGlobalId, toGlobalId, Validator } from '@district/kit';
import type { JournalContext } from '../context';
import { proposedGrade, weightedAverage } from '../diary/averages';
import { JournalWrites } from '../journal-writes';
import { isDeputyOf } from '../lessons/entry-rules';
import { TermGrade, type TermGradeValue } from './term-grade.entity';
import { TermGradeRowType, TermGradeSheetType, type TermGradeInput } from './term-grade.type';

type Row = Record<string, unknown>;
const MARKS: TermGradeValue[] = ['1', '2', '3', '4', '5', 'NOT_ASSESSED', 'EXEMPT'];
const PASS_FAIL: TermGradeValue[] = ['PASS', 'FAIL', 'NOT_ASSESSED', 'EXEMPT'];

interface Sheet {
  termId: number;
  subjectId: number;
  subjectName: string;
  grading: string;
  closed: boolean;
  students: number[];
}

const snapshot = (g: TermGrade) => ({ termId: g.termId, studentId: g.studentId, subjectId: g.subjectId, value: g.value, average: g.average === null || g.average === undefined ? null : Number(g.average) });

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

  /** Who is on the sheet, and may the viewer see (read) or set (write) it. */
  private async sheet(termId: number, classGroupId: number, subjectId: number, write: boolean): Promise<Sheet> {
    const { em, viewer, schoolId } = this.ctx;
    const staffId = await this.ctx.loaders.facts.staffIdOf(viewer.personId);
    const rows = await em.execute<Row[]>(
      `select t.closed, a.subject_name, a.grading, bool_or(a.teacher_staff_id = ?) as teaches,
              array(select distinct ls.student_id from schedule.lesson_facts f join schedule.lesson_students ls on ls.lesson_id = f.lesson_id
                    where f.term_id = t.term_id and f.class_group_id = ? and f.subject_id = ?) as students
       from schedule.term_facts t join schedule.assignment_facts a on a.academic_year_id = t.academic_year_id and a.class_group_id = ? and a.subject_id = ?
       where t.term_id = ? group by t.term_id, t.closed, a.subject_name, a.grading`,
      [staffId ?? -1, classGroupId, subjectId, classGroupId, subjectId, termId],
    );
    const r = rows[0];
    if (!r) throw DomainError.notFound('Предмет в этом классе и периоде', `${termId}/${classGroupId}/${subjectId}`);
    const teaches = Boolean(r.teaches) && viewer.has('teacher') && viewer.schoolIds.includes(schoolId);
    if (!teaches && !(isDeputyOf(viewer, schoolId) && !write)) throw DomainError.forbidden('Четвертные отметки выставляет учитель, ведущий предмет в этом классе');
    return { termId, subjectId, subjectName: String(r.subject_name), grading: String(r.grading), closed: Boolean(r.closed), students: (r.students as number[]).map(Number) };
  }

  private async averages(sheet: Sheet): Promise<Map<number, { average: number | null; count: number }>> {
    if (sheet.students.length === 0) return new Map();
    const marks = await this.ctx.em.execute<Row[]>(
      `select m.student_id, m.value, m.weight from journal.mark m join schedule.lesson_facts f on f.lesson_id = m.lesson_id
       where f.term_id = ? and f.subject_id = ? and m.status = 'ACTIVE' and m.student_id in (?)`,
      [sheet.termId, sheet.subjectId, sheet.students],
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
    const sheet = await this.sheet(ids.term, ids.classGroup, ids.subject, false);
    const [averages, grades] = await Promise.all([this.averages(sheet), this.ctx.em.find(TermGrade, { termId: ids.term, subjectId: ids.subject, studentId: { $in: sheet.students } })]);
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
    const v = new Validator();
    v.check(inputs.length >= 1 && inputs.length <= 60, 'grades', 'От 1 до 60 отметок за раз');
    const students = inputs.map((g, i) => {
      try {
        return parseGlobalId(g.studentId, 'Student', this.ctx.schoolId).localId;
      } catch {
        v.check(false, `grades.${i}.studentId`, `Неверный идентификатор обучающегося: ${g.studentId}`);
        return 0;
      }
    });
    v.check(new Set(students).size === students.length, 'grades', 'Обучающийся указан дважды');
    v.done();
    await this.writes.once('setTermGrades', key, { termId, classGroupId, subjectId, inputs }, author, async (em) => {
      const sheet = await this.sheet(ids.term, ids.classGroup, ids.subject, true);
      if (sheet.closed) throw new DomainError(ErrorCode.TermClosed, 'Период закрыт: четвертные отметки не меняются');
      const allowed = sheet.grading === 'MARKS' ? MARKS : sheet.grading === 'PASS_FAIL' ? PASS_FAIL : [];
      const check = new Validator();
      inputs.forEach((g, i) => {
        check.check(allowed.includes(g.value as TermGradeValue), `grades.${i}.value`, allowed.length ? `Отметка: ${allowed.join(', ')}` : 'По этому предмету отметки не выставляются');
        check.check(sheet.students.includes(students[i]!), `grades.${i}.studentId`, 'Обучающийся не занимается по этому предмету в этом периоде');
      });
      check.done();
      const averages = await this.averages(sheet);
      const existing = new Map((await em.find(TermGrade, { termId: ids.term, subjectId: ids.subject, studentId: { $in: students } })).map((g) => [g.studentId, g]));
      const now = new Date();
      const changes: { grade: TermGrade; old: ReturnType<typeof snapshot> | null }[] = [];
      inputs.forEach((input, i) => {
        const studentId = students[i]!;
        const average = averages.get(studentId)?.average ?? null;
        const fields = { value: input.value as TermGradeValue, average: average === null ? null : average.toFixed(2), proposed: proposedGrade(average), setBy: author, setAt: now };
        const grade = existing.get(studentId);
        if (grade) {
          if (input.version !== grade.version) throw DomainError.conflict('Четвертная отметка уже изменена; обновите страницу', { version: grade.version, value: grade.value });
          changes.push({ grade, old: snapshot(grade) });
          Object.assign(grade, fields);
        } else changes.push({ grade: em.create(TermGrade, { termId: ids.term, studentId, subjectId: ids.subject, ...fields } as never), old: null });
      });
      await flushExplained(em, 'Четвертная отметка уже выставлена');
      for (const { grade, old } of changes) await this.writes.audit(em, 'TERM_GRADE', grade.id, old ? 'EDIT' : 'ENTER', old, snapshot(grade));
      return true;
    });
    return this.read(termId, classGroupId, subjectId);
  }
}
