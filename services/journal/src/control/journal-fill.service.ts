import { DomainError, toGlobalId } from '@district/kit';
import type { JournalContext } from '../context';
import { JournalFillRow } from './journal-fill.type';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A month and a bit: enough for a calendar month, bounded so one request cannot scan a year. */
export const MAX_FILL_DAYS = 62;

/**
 * The journal's fill state per class group and subject in one statement,
 * whatever the number of lessons. Held lessons, "attendance taken" (any mark
 * or attendance entry) and same-day entry are defined as in the monthly
 * figures (monthly-figures.service.ts, docs/monitoring.md); read only from the
 * journal's tables and the schedule's and people's published views.
 * Parameters: from (date), to (date, inclusive).
 */
export const JOURNAL_FILL_SQL = `
with st as (select timezone as tz from journal.settings where id = 1),
held as materialized (
  select f.lesson_id, f.date, f.class_group_id, f.subject_id, f.subject_name
  from schedule.lesson_facts f cross join st
  where f.date >= ?::date and f.date <= ?::date and f.status = 'SCHEDULED'
    and ((f.date + f.start_time) at time zone st.tz) <= now()
),
entries as (
  select e.lesson_id, count(*) as entries, count(*) filter (where (e.entered_at at time zone st.tz)::date <> h.date) as late
  from (select lesson_id, entered_at from journal.mark union all select lesson_id, entered_at from journal.attendance) e
  join held h on h.lesson_id = e.lesson_id cross join st
  group by e.lesson_id
),
per_lesson as (
  select h.class_group_id, h.subject_id, h.subject_name,
         coalesce(nullif(btrim(r.topic), '') is not null, false) as has_topic,
         coalesce(nullif(btrim(r.homework), '') is not null or jsonb_array_length(r.homework_attachments) > 0, false) as has_homework,
         e.lesson_id is not null as attendance_taken,
         coalesce(e.entries, 0) as entries, coalesce(e.late, 0) as late
  from held h
  left join journal.lesson_record r on r.lesson_id = h.lesson_id
  left join entries e on e.lesson_id = h.lesson_id
)
select p.class_group_id, cg.name as class_name, cg.year_of_study, p.subject_id, p.subject_name,
       count(*) as held_lessons,
       count(*) filter (where not p.has_topic) as without_topic,
       count(*) filter (where not p.attendance_taken) as without_attendance,
       count(*) filter (where not p.has_homework) as without_homework,
       sum(p.entries) as entries,
       sum(p.late) as late_entries
from per_lesson p
join people.class_group_facts cg on cg.class_group_id = p.class_group_id
group by p.class_group_id, cg.name, cg.year_of_study, p.subject_id, p.subject_name
order by cg.year_of_study, cg.name, p.subject_name`;

type Row = Record<string, string | number>;

/** Fill state of the school's journal by class group and subject (deputies, director; district roles read the aggregates). */
export class JournalFillService {
  constructor(private readonly ctx: JournalContext) {}

  async fill(from: string, to: string): Promise<JournalFillRow[]> {
    const problems = [];
    if (!validDate(from)) problems.push({ field: 'from', message: 'Дата в формате ГГГГ-ММ-ДД' });
    if (!validDate(to)) problems.push({ field: 'to', message: 'Дата в формате ГГГГ-ММ-ДД' });
    if (problems.length) throw DomainError.invalid('Укажите период датами ГГГГ-ММ-ДД', problems);
    const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
    if (days < 1) throw DomainError.invalid('Начало периода позже его конца', [{ field: 'to', message: 'Не раньше начала периода' }]);
    if (days > MAX_FILL_DAYS)
      throw DomainError.invalid(`Период не длиннее ${MAX_FILL_DAYS} дней`, [{ field: 'to', message: `Не больше ${MAX_FILL_DAYS} дней` }]);
    const rows = await this.ctx.em.execute<Row[]>(JOURNAL_FILL_SQL, [from, to]);
    const { schoolId } = this.ctx;
    return rows.map((r) =>
      Object.assign(new JournalFillRow(), {
        classGroupId: toGlobalId('ClassGroup', schoolId, Number(r.class_group_id)),
        className: String(r.class_name),
        yearOfStudy: Number(r.year_of_study),
        subjectId: toGlobalId('Subject', schoolId, Number(r.subject_id)),
        subjectName: String(r.subject_name),
        heldLessons: Number(r.held_lessons),
        withoutTopic: Number(r.without_topic),
        withoutAttendance: Number(r.without_attendance),
        withoutHomework: Number(r.without_homework),
        entries: Number(r.entries),
        lateEntries: Number(r.late_entries),
      }),
    );
  }
}

function validDate(iso: string): boolean {
  if (!DATE.test(iso)) return false;
  const time = Date.parse(`${iso}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === iso;
}
