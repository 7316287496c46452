import { DomainError, flushExplained, parseGlobalId, toGlobalId } from '@district/kit';
import type { JournalContext } from '../context';
import { JournalWrites } from '../journal-writes';
import { checkGrades, gradeScope, parseGrades, proposedYearGrade, type GradeScope } from './grade-scope';
import type { TermGradeValue } from './term-grade.entity';
import { type TermGradeInput, YearGradeRowType, YearGradeSheetType } from './term-grade.type';
import { YearGrade } from './year-grade.entity';

type Row = Record<string, unknown>;
const snapshot = (g: YearGrade) => ({
  academicYearId: g.academicYearId,
  studentId: g.studentId,
  subjectId: g.subjectId,
  value: g.value,
  proposed: g.proposed ?? null,
});

/** Year grades (годовые отметки): the subject's teacher sets them, proposed from the term grades. */
export class YearGradeService {
  private readonly writes: JournalWrites;

  constructor(private readonly ctx: JournalContext) {
    this.writes = new JournalWrites(ctx);
  }

  private ids(yearId: string, classGroupId: string, subjectId: string) {
    return {
      year: parseGlobalId(yearId, 'AcademicYear', this.ctx.schoolId).localId,
      classGroup: parseGlobalId(classGroupId, 'ClassGroup', this.ctx.schoolId).localId,
      subject: parseGlobalId(subjectId, 'Subject', this.ctx.schoolId).localId,
    };
  }

  /** Term grades of the sheet's students, in term order (one statement). */
  private async termGrades(scope: GradeScope): Promise<Map<number, { term: string; value: string }[]>> {
    if (scope.students.length === 0) return new Map();
    const rows = await this.ctx.em.execute<Row[]>(
      `select g.student_id, t.name, g.value from journal.term_grade g join schedule.term_facts t on t.term_id = g.term_id
       where g.subject_id = ? and g.term_id in (?) and g.student_id in (?) order by t.start_date`,
      [scope.subjectId, scope.termIds, scope.students],
    );
    const by = new Map<number, { term: string; value: string }[]>();
    for (const r of rows) by.set(Number(r.student_id), [...(by.get(Number(r.student_id)) ?? []), { term: String(r.name), value: String(r.value) }]);
    return by;
  }

  async read(yearId: string, classGroupId: string, subjectId: string): Promise<YearGradeSheetType> {
    const ids = this.ids(yearId, classGroupId, subjectId);
    const scope = await gradeScope(this.ctx, { yearId: ids.year }, ids.classGroup, ids.subject, false);
    const [terms, grades] = await Promise.all([
      this.termGrades(scope),
      this.ctx.em.find(YearGrade, { academicYearId: ids.year, subjectId: ids.subject, studentId: { $in: scope.students } }),
    ]);
    const gradeBy = new Map(grades.map((g) => [g.studentId, g]));
    return Object.assign(new YearGradeSheetType(), {
      academicYearId: yearId,
      subject: scope.subjectName,
      rows: scope.students.map((id) => {
        const termGrades = terms.get(id) ?? [];
        const g = gradeBy.get(id);
        return Object.assign(new YearGradeRowType(), {
          studentId: toGlobalId('Student', this.ctx.schoolId, id),
          termGrades,
          proposed: proposedYearGrade(termGrades.map((t) => t.value)),
          grade: g ? { id: toGlobalId('YearGrade', this.ctx.schoolId, g.id), value: g.value, version: g.version } : null,
        });
      }),
    });
  }

  async set(yearId: string, classGroupId: string, subjectId: string, inputs: TermGradeInput[], key: string): Promise<YearGradeSheetType> {
    const author = this.ctx.viewer.personId;
    if (!author) throw DomainError.forbidden();
    const ids = this.ids(yearId, classGroupId, subjectId);
    await this.writes.once('setYearGrades', key, { yearId, classGroupId, subjectId, inputs }, author, async (em) => {
      const scope = await gradeScope(this.ctx, { yearId: ids.year }, ids.classGroup, ids.subject, true);
      // Who may set this sheet is decided before the grades are validated.
      const students = parseGrades(this.ctx, inputs);
      checkGrades(scope, inputs, students);
      const terms = await this.termGrades(scope);
      const existing = new Map(
        (await em.find(YearGrade, { academicYearId: ids.year, subjectId: ids.subject, studentId: { $in: students } })).map((g) => [g.studentId, g]),
      );
      const now = new Date();
      const changes: { grade: YearGrade; old: ReturnType<typeof snapshot> | null }[] = [];
      inputs.forEach((input, i) => {
        const studentId = students[i]!;
        const fields = {
          value: input.value as TermGradeValue,
          proposed: proposedYearGrade((terms.get(studentId) ?? []).map((t) => t.value)),
          setBy: author,
          setAt: now,
        };
        const grade = existing.get(studentId);
        if (grade) {
          if (input.version !== grade.version)
            throw DomainError.conflict('Годовая отметка уже изменена; обновите страницу', { version: grade.version, value: grade.value });
          changes.push({ grade, old: snapshot(grade) });
          Object.assign(grade, fields);
        } else changes.push({ grade: em.create(YearGrade, { academicYearId: ids.year, studentId, subjectId: ids.subject, ...fields }), old: null });
      });
      await flushExplained(em, 'Годовая отметка уже выставлена');
      for (const { grade, old } of changes) await this.writes.audit(em, 'YEAR_GRADE', grade.id, old ? 'EDIT' : 'ENTER', old, snapshot(grade));
      return true;
    });
    return this.read(yearId, classGroupId, subjectId);
  }
}
