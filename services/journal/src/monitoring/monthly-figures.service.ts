import { DomainError } from '@district/kit';
import type { JournalContext } from '../context';
import { SchoolMonthFigures } from './monthly-figures.type';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/**
 * Every figure in one statement (plus one to read the school's clock), so the
 * cost does not grow with the data. Definitions: docs/monitoring.md.
 * Parameters: from (date), to (date, exclusive) — twice, then the month's bounds for corrections.
 */
export const MONTHLY_FIGURES_SQL = `
with st as (select timezone as tz from journal.settings where id = 1),
month_lessons as materialized (
  -- Every scheduled lesson of the month, with the end of its class's last lesson that day (for the homework rule).
  select f.lesson_id, f.date, f.start_time, f.class_group_id, f.subject_id, f.grading,
         max(f.end_time) over (partition by f.class_group_id, f.date) as last_end
  from schedule.lesson_facts f
  where f.date >= ?::date and f.date < ?::date and f.status = 'SCHEDULED'
),
held as materialized (
  select l.lesson_id, l.date, l.class_group_id, l.subject_id, l.grading, l.last_end
  from month_lessons l cross join st
  where ((l.date + l.start_time) at time zone st.tz) <= now()
),
mk as (
  select m.lesson_id, m.value, m.status, m.delay_minutes, (m.entered_at at time zone st.tz)::date = h.date as same_day
  from journal.mark m join held h on h.lesson_id = m.lesson_id cross join st
),
att as (
  select a.lesson_id, a.delay_minutes, (a.entered_at at time zone st.tz)::date = h.date as same_day
  from journal.attendance a join held h on h.lesson_id = a.lesson_id cross join st
),
rec as (
  select h.lesson_id,
         coalesce(nullif(btrim(r.topic), '') is not null, false) as has_topic,
         coalesce(nullif(btrim(r.homework), '') is not null or jsonb_array_length(r.homework_attachments) > 0, false) as has_homework,
         coalesce(r.homework_entered_at <= ((h.date + h.last_end) at time zone st.tz) + interval '1 hour', false) as homework_in_time
  from held h
  left join journal.lesson_record r on r.lesson_id = h.lesson_id
  cross join st
),
num as (select value::int as v from mk where status = 'ACTIVE' and value in ('1', '2', '3', '4', '5')),
c as materialized (
  select
    (select tz from st) as tz,
    (select count(*) from held) as held_lessons,
    (select count(*) from rec where has_topic) as with_topic,
    (select count(*) from (select lesson_id from mk union select lesson_id from att) t) as attendance_taken,
    (select count(*) from mk) as marks_entered,
    (select count(*) from mk where same_day) as marks_same_day,
    (select count(*) from att) as absences_entered,
    (select count(*) from att where same_day) as absences_same_day,
    (select count(*) from rec where has_homework) as with_homework,
    (select count(*) from rec where has_homework and homework_in_time) as homework_in_time,
    (select percentile_cont(0.5) within group (order by d) from (select delay_minutes as d from mk union all select delay_minutes from att) x) as median_delay,
    (select count(*) from journal.correction_request cr cross join st
       where (cr.requested_at at time zone st.tz) >= ?::timestamp and (cr.requested_at at time zone st.tz) < ?::timestamp) as corrections,
    (select count(*) from journal.correction_request cr cross join st
       where (cr.requested_at at time zone st.tz) >= ?::timestamp and (cr.requested_at at time zone st.tz) < ?::timestamp and cr.status = 'APPROVED') as corrections_approved,
    (select count(*) from mk where status = 'ACTIVE') as active_marks,
    (select count(*) from (select distinct ls.student_id, h.subject_id
                           from held h join schedule.lesson_students ls on ls.lesson_id = h.lesson_id
                           where h.grading <> 'NONE') p) as pairs,
    (select count(*) from num) as numeric_marks,
    (select sum(v) from num) as numeric_sum,
    (select count(*) from num where v >= 4) as good_marks,
    (select count(*) from num where v >= 3) as passing_marks
)
select c.*,
       round(with_topic::numeric / nullif(held_lessons, 0), 4) as share_with_topic,
       round(attendance_taken::numeric / nullif(held_lessons, 0), 4) as share_attendance,
       round(marks_same_day::numeric / nullif(marks_entered, 0), 4) as share_marks_same_day,
       round(absences_same_day::numeric / nullif(absences_entered, 0), 4) as share_absences_same_day,
       round(homework_in_time::numeric / nullif(with_homework, 0), 4) as share_homework,
       round(median_delay::numeric, 2) as median_delay_rounded,
       round(active_marks::numeric / nullif(pairs, 0), 2) as marks_per_pair,
       round(numeric_sum::numeric / nullif(numeric_marks, 0), 2) as average_mark,
       round(good_marks::numeric / nullif(numeric_marks, 0), 4) as quality_share,
       round(passing_marks::numeric / nullif(numeric_marks, 0), 4) as success_share
from c`;

type Row = Record<string, string | number | null>;

const int = (v: unknown): number => Number(v ?? 0);
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** The first day of the month and of the next one, as ISO dates. */
export function monthBounds(month: string): { from: string; to: string } {
  const m = MONTH.exec(month);
  if (!m) throw DomainError.invalid(`Месяц указывается как ГГГГ-ММ, например 2026-11: «${month}»`, [{ field: 'month', message: 'Формат ГГГГ-ММ' }]);
  const year = Number(m[1]);
  const mon = Number(m[2]);
  const next = mon === 12 ? `${year + 1}-01` : `${year}-${String(mon + 1).padStart(2, '0')}`;
  return { from: `${month}-01`, to: `${next}-01` };
}

export class MonthlyFiguresService {
  constructor(private readonly ctx: JournalContext) {}

  async figures(month: string): Promise<SchoolMonthFigures> {
    const { from, to } = monthBounds(month);
    const em = this.ctx.em;
    const [clock] = await em.execute<{ current: string }[]>(
      `select to_char(now() at time zone timezone, 'YYYY-MM') as current from journal.settings where id = 1`,
    );
    if (clock && month > clock.current) {
      throw DomainError.invalid(`Месяц ${month} ещё не наступил`, [{ field: 'month', message: 'Месяц в будущем' }]);
    }
    const [r] = await em.execute<Row[]>(MONTHLY_FIGURES_SQL, [from, to, from, to, from, to]);
    const row = r!;
    return Object.assign(new SchoolMonthFigures(), {
      month,
      timezone: String(row.tz),
      heldLessons: int(row.held_lessons),
      lessonsWithTopic: int(row.with_topic),
      shareWithTopic: num(row.share_with_topic),
      lessonsWithAttendanceTaken: int(row.attendance_taken),
      shareWithAttendanceTaken: num(row.share_attendance),
      marksEntered: int(row.marks_entered),
      marksSameDay: int(row.marks_same_day),
      shareMarksSameDay: num(row.share_marks_same_day),
      absencesEntered: int(row.absences_entered),
      absencesSameDay: int(row.absences_same_day),
      shareAbsencesSameDay: num(row.share_absences_same_day),
      lessonsWithHomework: int(row.with_homework),
      homeworkWithinHour: int(row.homework_in_time),
      shareHomeworkWithinHour: num(row.share_homework),
      medianEntryDelayMinutes: num(row.median_delay_rounded),
      correctionsAfterWindow: int(row.corrections),
      correctionsApproved: int(row.corrections_approved),
      activeMarks: int(row.active_marks),
      studentSubjectPairs: int(row.pairs),
      marksPerStudentPerSubject: num(row.marks_per_pair),
      numericMarks: int(row.numeric_marks),
      averageMark: num(row.average_mark),
      markQualityShare: num(row.quality_share),
      markSuccessShare: num(row.success_share),
    });
  }
}
