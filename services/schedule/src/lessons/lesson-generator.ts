import type { EntityManager } from '@mikro-orm/postgresql';
import { query } from '../sql';

export interface GenerationCounts {
  /** Lessons this run created. */
  created: number;
  /** Timetable slots of the term that already had their lesson (from an earlier run, or moved there). */
  existing: number;
}

/*
 * Every date of the term that is not in a holiday, crossed with the timetable
 * entries valid that day for the term's academic year and the years of study
 * the term covers; times come from the bell schedule. A slot that already has
 * its lesson (by date and period, or by the slot it was generated for before
 * being moved) is left alone, so a second run creates nothing.
 */
const GENERATE = `
  with term as (
    select id, academic_year_id, start_date, end_date, years_from, years_to from schedule.term where id = ?
  ),
  candidates as (
    select distinct on (te.teaching_assignment_id, days.day, te.period)
           te.teaching_assignment_id, days.day, te.period, te.shift, bp.start_time, bp.end_time, te.room
    from term
    cross join lateral (select g::date as day from generate_series(term.start_date::timestamp, term.end_date::timestamp, interval '1 day') g) days
    join schedule.timetable_entry te
      on te.weekday = extract(isodow from days.day) and te.valid_from <= days.day and (te.valid_to is null or te.valid_to >= days.day)
    join schedule.teaching_assignment ta on ta.id = te.teaching_assignment_id and ta.academic_year_id = term.academic_year_id
    join people.class_group_facts cg on cg.class_group_id = ta.class_group_id and cg.year_of_study between term.years_from and term.years_to
    join schedule.bell_period bp on bp.shift = te.shift and bp.number = te.period
    where not exists (
      select 1 from schedule.holiday h where h.academic_year_id = term.academic_year_id and days.day between h.start_date and h.end_date
    )
    order by te.teaching_assignment_id, days.day, te.period, te.id
  ),
  inserted as (
    insert into schedule.lesson (teaching_assignment_id, term_id, date, period, shift, start_time, end_time, room, planned_date, planned_period)
    select c.teaching_assignment_id, (select id from term), c.day, c.period, c.shift, c.start_time, c.end_time, c.room, c.day, c.period
    from candidates c
    on conflict do nothing
    returning id
  )
  select (select count(*) from candidates) as candidates, (select count(*) from inserted) as created`;

/** Creates a term's dated lessons from the timetable in one statement; run it inside the caller's transaction. */
export async function generateTermLessons(em: EntityManager, termId: number): Promise<GenerationCounts> {
  const [row] = await query<{ candidates: string; created: string }>(em, GENERATE, [termId]);
  const candidates = Number(row!.candidates);
  const created = Number(row!.created);
  return { created, existing: candidates - created };
}
