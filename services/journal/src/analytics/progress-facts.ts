import type { JournalContext } from '../context';
import type { ProgressPeriod } from './progress-period';

/**
 * What one student did in one subject of one class group over the period:
 * the finest grain every progress row is a sum of. Weights are in hundredths
 * (numeric(4,2) × 100) so every sum stays an exact integer.
 */
export interface StudentSubjectFacts {
  studentId: number;
  classGroupId: number;
  subjectId: number;
  /** Held lessons of this class group and subject the student takes (schedule.lesson_students). */
  slots: number;
  /** Of those, with an active absence (any code but LATE). */
  absences: number;
  /** At least one of those lessons is in a graded assignment (grading ≠ NONE). */
  graded: boolean;
  /** The student's active marks 1–5 on held lessons of this class group and subject. */
  marks: number;
  weightedSumHundredths: number;
  weightSumHundredths: number;
}

export interface ProgressFacts {
  grain: StudentSubjectFacts[];
  /** Term grades of a term period, by `${studentId}/${subjectId}`. */
  termGrades: Map<string, string>;
  /** Each student's class group: the class group of their last held lesson in the period. */
  classOf: Map<number, number>;
  classGroups: Map<number, { name: string; yearOfStudy: number }>;
  subjects: Map<number, string>;
}

/**
 * Everything in one statement, whatever the amount of data: the held lessons
 * of the period, who took them, absences, marks and term grades, aggregated
 * per (student, class group, subject). "Held" as in docs/monitoring.md:
 * SCHEDULED and started (school time) before now.
 */
function factsSql(termPeriod: boolean): string {
  const period = termPeriod ? `f.term_id in (?)` : `f.date between ?::date and ?::date`;
  const termGrades = termPeriod ? `g.term_id in (?)` : `false`;
  return `
with st as (select timezone as tz from journal.settings where id = 1),
held as materialized (
  select f.lesson_id, f.date, f.start_time, f.class_group_id, f.subject_id, f.subject_name, f.grading
  from schedule.lesson_facts f cross join st
  where ${period} and f.status = 'SCHEDULED' and ((f.date + f.start_time) at time zone st.tz) <= now()
),
absent as (
  -- One active entry per student and lesson (unique index); ОП (late) is no absence.
  select a.lesson_id, a.student_id from journal.attendance a
  where a.status = 'ACTIVE' and a.code <> 'LATE' and a.lesson_id in (select lesson_id from held)
),
slots as materialized (
  select h.lesson_id, h.date, h.start_time, h.class_group_id, h.subject_id, h.grading, ls.student_id, ab.lesson_id is not null as absent
  from held h
  join schedule.lesson_students ls on ls.lesson_id = h.lesson_id
  left join absent ab on ab.lesson_id = ls.lesson_id and ab.student_id = ls.student_id
),
slot_groups as (
  select student_id, class_group_id, subject_id, count(*) as slots, count(*) filter (where absent) as absences, bool_or(grading <> 'NONE') as graded
  from slots group by student_id, class_group_id, subject_id
),
mark_groups as (
  select m.student_id, h.class_group_id, h.subject_id, count(*) as marks,
         sum(m.value::int * (m.weight * 100)::int) as weighted_sum, sum((m.weight * 100)::int) as weight_sum
  from journal.mark m join held h on h.lesson_id = m.lesson_id
  where m.status = 'ACTIVE' and m.value in ('1', '2', '3', '4', '5')
  group by m.student_id, h.class_group_id, h.subject_id
),
grain as materialized (
  select student_id, class_group_id, subject_id,
         coalesce(s.slots, 0) as slots, coalesce(s.absences, 0) as absences, coalesce(s.graded, false) as graded,
         coalesce(m.marks, 0) as marks, coalesce(m.weighted_sum, 0) as weighted_sum, coalesce(m.weight_sum, 0) as weight_sum
  from slot_groups s full join mark_groups m using (student_id, class_group_id, subject_id)
),
term_grades as (
  select distinct on (g.student_id, g.subject_id) g.student_id, g.subject_id, g.value
  from journal.term_grade g
  where ${termGrades} and g.student_id in (select student_id from slot_groups)
  order by g.student_id, g.subject_id, g.term_id desc
),
class_of as (
  select distinct on (student_id) student_id, class_group_id from slots order by student_id, date desc, start_time desc, class_group_id
)
select
  (select coalesce(json_agg(json_build_array(student_id, class_group_id, subject_id, slots, absences, graded, marks, weighted_sum, weight_sum)), '[]'::json) from grain) as grain,
  (select coalesce(json_agg(json_build_array(student_id, subject_id, value)), '[]'::json) from term_grades) as term_grades,
  (select coalesce(json_agg(json_build_array(student_id, class_group_id)), '[]'::json) from class_of) as class_of,
  (select coalesce(json_agg(json_build_array(cg.class_group_id, cg.name, cg.year_of_study)), '[]'::json)
     from people.class_group_facts cg where cg.class_group_id in (select distinct class_group_id from grain)) as class_groups,
  (select coalesce(json_agg(json_build_array(x.subject_id, x.subject_name)), '[]'::json)
     from (select distinct subject_id, subject_name from held) x) as subjects`;
}

type Tuple = (string | number | boolean | null)[];

export async function readProgressFacts(ctx: JournalContext, period: ProgressPeriod): Promise<ProgressFacts> {
  const params = period.termIds ? [period.termIds, period.termIds] : [period.from, period.to];
  const [row] = await ctx.em.execute<Record<string, Tuple[]>[]>(factsSql(period.termIds !== null), params);
  const r = row!;
  return {
    grain: r.grain!.map(([studentId, classGroupId, subjectId, slots, absences, graded, marks, weightedSum, weightSum]) => ({
      studentId: Number(studentId),
      classGroupId: Number(classGroupId),
      subjectId: Number(subjectId),
      slots: Number(slots),
      absences: Number(absences),
      graded: Boolean(graded),
      marks: Number(marks),
      weightedSumHundredths: Number(weightedSum),
      weightSumHundredths: Number(weightSum),
    })),
    termGrades: new Map(r.term_grades!.map(([studentId, subjectId, value]) => [`${Number(studentId)}/${Number(subjectId)}`, String(value)])),
    classOf: new Map(r.class_of!.map(([studentId, classGroupId]) => [Number(studentId), Number(classGroupId)])),
    classGroups: new Map(r.class_groups!.map(([id, name, year]) => [Number(id), { name: String(name), yearOfStudy: Number(year) }])),
    subjects: new Map(r.subjects!.map(([id, name]) => [Number(id), String(name)])),
  };
}
