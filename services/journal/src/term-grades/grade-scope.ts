import { allows, DomainError, parseGlobalId, Validator } from '@district/kit';
import type { JournalContext } from '../context';
import type { TermGradeValue } from './term-grade.entity';

type Row = Record<string, unknown>;
const MARKS: TermGradeValue[] = ['1', '2', '3', '4', '5', 'NOT_ASSESSED', 'EXEMPT'];
const PASS_FAIL: TermGradeValue[] = ['PASS', 'FAIL', 'NOT_ASSESSED', 'EXEMPT'];
const FORBIDDEN = 'Итоговые отметки выставляет учитель, ведущий предмет в этом классе';

/** A subject in a class over a term or a whole academic year: who takes it, how it is graded, whether it is locked. */
export interface GradeScope {
  subjectId: number;
  subjectName: string;
  grading: string;
  /** Every term of the scope is closed. */
  closed: boolean;
  students: number[];
  termIds: number[];
}

/**
 * Who is on a grade sheet and whether the viewer may read it (the subject's
 * teacher in the class, deputies, the director; with `classTeacherReads`, the
 * class's class teacher too) or set it (the teacher).
 */
export async function gradeScope(
  ctx: JournalContext,
  period: { termId: number } | { yearId: number },
  classGroupId: number,
  subjectId: number,
  write: boolean,
  options: { classTeacherReads?: boolean } = {},
): Promise<GradeScope> {
  // Only the school's staff read sheets and only its teachers set them: everyone else is refused before the sheet is looked up, whether it exists or not.
  if (!allows(ctx.viewer, write ? 'journal:enter' : 'staff:work', ctx.schoolId)) throw DomainError.forbidden(FORBIDDEN);
  const staffId = await ctx.loaders.facts.staffIdOf(ctx.viewer.personId);
  const byTerm = 'termId' in period;
  const rows = await ctx.em.execute<Row[]>(
    `with terms as (select * from schedule.term_facts where ${byTerm ? 'term_id' : 'academic_year_id'} = ?)
     select bool_and(t.closed) as closed, a.subject_name, a.grading, bool_or(a.teacher_staff_id = ?) as teaches,
            exists (select 1 from people.class_group_facts c where c.class_group_id = ? and c.class_teacher_id = ?) as leads,
            array_agg(distinct t.term_id) as term_ids,
            array(select distinct ls.student_id from schedule.lesson_facts f join schedule.lesson_students ls on ls.lesson_id = f.lesson_id
                  where f.term_id in (select term_id from terms) and f.class_group_id = ? and f.subject_id = ?) as students
     from terms t join schedule.assignment_facts a on a.academic_year_id = t.academic_year_id and a.class_group_id = ? and a.subject_id = ?
     group by a.subject_name, a.grading`,
    [byTerm ? period.termId : period.yearId, staffId ?? -1, classGroupId, staffId ?? -1, classGroupId, subjectId, classGroupId, subjectId],
  );
  const r = rows[0];
  // Only those who may read any sheet of the school learn that this one does not exist.
  if (!r && !(allows(ctx.viewer, 'journal:control', ctx.schoolId) && !write)) throw DomainError.forbidden(FORBIDDEN);
  if (!r) throw DomainError.notFound('Предмет в этом классе и периоде', `${classGroupId}/${subjectId}`);
  const teaches = Boolean(r.teaches) && allows(ctx.viewer, 'journal:enter', ctx.schoolId);
  const leads = !write && options.classTeacherReads === true && Boolean(r.leads) && ctx.viewer.schoolIds.includes(ctx.schoolId);
  if (!teaches && !leads && !(allows(ctx.viewer, 'journal:control', ctx.schoolId) && !write)) throw DomainError.forbidden(FORBIDDEN);
  return {
    subjectId,
    subjectName: String(r.subject_name),
    grading: String(r.grading),
    closed: Boolean(r.closed),
    students: (r.students as number[]).map(Number),
    termIds: (r.term_ids as number[]).map(Number),
  };
}

/** Parses and checks a batch of grades: each student once, each value allowed by the subject's grading. */
export function parseGrades(ctx: JournalContext, inputs: { studentId: string }[]): number[] {
  const v = new Validator();
  v.check(inputs.length >= 1 && inputs.length <= 60, 'grades', 'От 1 до 60 отметок за раз');
  const students = inputs.map((g, i) => {
    try {
      return parseGlobalId(g.studentId, 'Student', ctx.schoolId).localId;
    } catch {
      v.check(false, `grades.${i}.studentId`, `Неверный идентификатор обучающегося: ${g.studentId}`);
      return 0;
    }
  });
  v.check(new Set(students).size === students.length, 'grades', 'Обучающийся указан дважды');
  v.done();
  return students;
}

export function checkGrades(scope: GradeScope, inputs: { value: string }[], students: number[]): void {
  const allowed = scope.grading === 'MARKS' ? MARKS : scope.grading === 'PASS_FAIL' ? PASS_FAIL : [];
  const v = new Validator();
  inputs.forEach((g, i) => {
    v.check(
      allowed.includes(g.value as TermGradeValue),
      `grades.${i}.value`,
      allowed.length ? `Отметка: ${allowed.join(', ')}` : 'По этому предмету отметки не выставляются',
    );
    v.check(scope.students.includes(students[i]!), `grades.${i}.studentId`, 'Обучающийся не занимается по этому предмету в этом периоде');
  });
  v.done();
}

/**
 * The year grade the term grades suggest: their mean rounded half up (3, 4, 4,
 * 5 → 4); all PASS → PASS, any FAIL → FAIL; any н/а, or no term grades, → none
 * (the teacher decides).
 */
export function proposedYearGrade(termValues: readonly string[]): string | null {
  const counted = termValues.filter((v) => v !== 'EXEMPT');
  if (counted.length === 0 || counted.includes('NOT_ASSESSED')) return null;
  if (counted.every((v) => v === 'PASS' || v === 'FAIL')) return counted.includes('FAIL') ? 'FAIL' : 'PASS';
  const numbers = counted.map(Number).filter((n) => Number.isInteger(n) && n >= 1 && n <= 5);
  if (numbers.length !== counted.length) return null;
  const sum = numbers.reduce((a, b) => a + b, 0);
  return String(Math.floor((2 * sum + numbers.length) / (2 * numbers.length)));
}
