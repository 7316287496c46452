import type { EntityManager } from '@mikro-orm/postgresql';
import { oneLoader } from '@district/kit';
import type { EntryStatus } from '../marks/mark.entity';

/** What a correction request is about, as a deputy needs to see it beside the request. */
export interface CorrectionEntryFacts {
  correctionId: number;
  studentId: number;
  lessonId: number;
  lessonDate: string;
  subjectName: string;
  className: string | null;
  currentValue: string;
  currentStatus: EntryStatus;
  requestedBy: string | null;
}

/**
 * One statement for every request a list reaches: the target entry (mark or
 * attendance), its lesson from the schedule's published view, the class from
 * people's, and the requesting teacher's name.
 */
export function correctionEntryLoader(em: EntityManager) {
  return oneLoader<number, CorrectionEntryFacts>(
    async (ids) => {
      const rows = await em.getConnection().execute<Record<string, unknown>[]>(
        `select cr.id, t.student_id, t.lesson_id, t.value, t.status, f.date::text as date, f.subject_name, cg.name as class_name,
              nullif(concat_ws(' ', sf.last_name, sf.first_name, sf.middle_name), '') as requested_by
       from journal.correction_request cr
       join lateral (
         select m.student_id, m.lesson_id, m.value::text as value, m.status from journal.mark m where cr.target = 'MARK' and m.id = cr.target_id
         union all
         select a.student_id, a.lesson_id, a.code::text, a.status from journal.attendance a where cr.target = 'ATTENDANCE' and a.id = cr.target_id
       ) t on true
       join schedule.lesson_facts f on f.lesson_id = t.lesson_id
       left join people.class_group_facts cg on cg.class_group_id = f.class_group_id
       left join lateral (select s.last_name, s.first_name, s.middle_name from people.staff_facts s where s.person_id::text = cr.requested_by::text order by s.active desc limit 1) sf on true
       where cr.id in (${ids.map(() => '?').join(', ')})`,
        [...ids],
      );
      return rows.map((r) => ({
        correctionId: Number(r.id),
        studentId: Number(r.student_id),
        lessonId: Number(r.lesson_id),
        lessonDate: String(r.date),
        subjectName: String(r.subject_name),
        className: (r.class_name as string | null) ?? null,
        currentValue: String(r.value),
        currentStatus: r.status as EntryStatus,
        requestedBy: (r.requested_by as string | null) ?? null,
      }));
    },
    (r) => r.correctionId,
  );
}
