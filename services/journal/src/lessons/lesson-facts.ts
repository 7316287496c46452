import type { EntityManager } from '@mikro-orm/postgresql';
import { DataLoader } from '@district/kit';

export type Grading = 'MARKS' | 'PASS_FAIL' | 'NONE';

/** A lesson as the schedule service publishes it (schedule.lesson_facts), with the school's clock applied. */
export interface LessonFact {
  lessonId: number;
  date: string;
  period: number;
  startTime: string;
  endTime: string;
  classGroupId: number;
  subjectId: number;
  subjectName: string;
  grading: Grading;
  teacherStaffId: number;
  substituteStaffId: number | null;
  status: 'SCHEDULED' | 'CANCELLED';
  termId: number;
  termClosed: boolean;
  groupName: string | null;
  /** The lesson has started (school time). */
  held: boolean;
  /** Its teacher may still change entries (the school's edit window has not passed). */
  editWindowOpen: boolean;
  /** Minutes since the lesson ended, now (negative while it runs). */
  minutesSinceEnd: number;
}

const SELECT = `
  select f.lesson_id, f.date::text as date, f.period, f.start_time::text as start_time, f.end_time::text as end_time,
         f.class_group_id, f.subject_id, f.subject_name, f.grading, f.teacher_staff_id, f.substitute_staff_id,
         f.status, f.term_id, f.term_closed, f.group_name,
         ((f.date + f.start_time) at time zone s.timezone) <= now() as held,
         now() < ((f.date + 1 + s.edit_window_days + time '00:00') at time zone s.timezone) as edit_window_open,
         floor(extract(epoch from now() - ((f.date + f.end_time) at time zone s.timezone)) / 60)::int as minutes_since_end
  from schedule.lesson_facts f cross join journal.settings s`;

type Row = Record<string, unknown>;

export function toFact(r: Row): LessonFact {
  return {
    lessonId: Number(r.lesson_id),
    date: String(r.date),
    period: Number(r.period),
    startTime: String(r.start_time).slice(0, 5),
    endTime: String(r.end_time).slice(0, 5),
    classGroupId: Number(r.class_group_id),
    subjectId: Number(r.subject_id),
    subjectName: String(r.subject_name),
    grading: r.grading as Grading,
    teacherStaffId: Number(r.teacher_staff_id),
    substituteStaffId: r.substitute_staff_id === null ? null : Number(r.substitute_staff_id),
    status: r.status as LessonFact['status'],
    termId: Number(r.term_id),
    termClosed: Boolean(r.term_closed),
    groupName: (r.group_name as string | null) ?? null,
    held: Boolean(r.held),
    editWindowOpen: Boolean(r.edit_window_open),
    minutesSinceEnd: Number(r.minutes_since_end),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Why a viewer may read a student's personal data (see SchoolFacts.personalDataGrounds). */
export interface PersonalDataGrounds {
  /** The student themself, or their guardian. */
  own: boolean;
  /** A teacher of the student, or their class teacher. */
  taught: boolean;
  /** A district admin's logged access to this student, open now. */
  districtAccess: boolean;
}

/** Reads of the schedule's and people's published views, batched per request. */
export class SchoolFacts {
  readonly lesson: DataLoader<number, LessonFact | undefined>;
  private staffIdByPerson = new Map<string, Promise<number | undefined>>();

  constructor(private readonly em: EntityManager) {
    this.lesson = new DataLoader(async (ids) => {
      const rows = await em.execute<Row[]>(`${SELECT} where f.lesson_id in (?)`, [[...ids]]);
      const byId = new Map(rows.map((r) => [Number(r.lesson_id), toFact(r)]));
      return ids.map((id) => byId.get(id));
    });
  }

  /** Lessons of a student between two dates (inclusive): the lessons they take, split groups included. */
  async lessonsOfStudent(studentId: number, from: string, to: string): Promise<LessonFact[]> {
    const rows = await this.em.execute<Row[]>(
      `${SELECT} join schedule.lesson_students ls on ls.lesson_id = f.lesson_id where ls.student_id = ? and f.date between ? and ? order by f.date, f.period`,
      [studentId, from, to],
    );
    return rows.map(toFact);
  }

  /** The lessons of a subject in a class over a term (split groups included), by date and period. */
  async lessonsOfClass(classGroupId: number, subjectId: number, termId: number): Promise<LessonFact[]> {
    const rows = await this.em.execute<Row[]>(
      `${SELECT} where f.class_group_id = ? and f.subject_id = ? and f.term_id = ? order by f.date, f.period, f.lesson_id`,
      [classGroupId, subjectId, termId],
    );
    return rows.map(toFact);
  }

  /** The students who take the lesson (its class on that date, or its split group). */
  async studentsOf(lessonId: number): Promise<Set<number>> {
    const rows = await this.em.execute<{ student_id: number }[]>(`select student_id from schedule.lesson_students where lesson_id = ?`, [lessonId]);
    return new Set(rows.map((r) => Number(r.student_id)));
  }

  /** The staff row of a signed-in person, if they are active staff of this school. */
  staffIdOf(personId: string | undefined): Promise<number | undefined> {
    if (!personId) return Promise.resolve(undefined);
    let found = this.staffIdByPerson.get(personId);
    if (!found) {
      found = this.em
        .execute<{ staff_id: number }[]>(`select staff_id from people.staff_facts where person_id = ? and active`, [personId])
        .then((rows) => (rows[0] ? Number(rows[0].staff_id) : undefined));
      this.staffIdByPerson.set(personId, found);
    }
    return found;
  }

  /**
   * On which grounds a person reads one student's personal data (the diary) in
   * this school, by the rules people publishes (docs/security.md): as the
   * student or their guardian (people.student_facts, people.guardianship_facts),
   * as a teacher who works with them (people.teacher_student_ids: the class
   * they lead, the students their teaching assignments cover), through a
   * district admin's open access (people.personal_data_access_facts). Only the
   * grounds asked for are looked up; one statement.
   */
  async personalDataGrounds(personId: string, studentId: number, ask: { own: boolean; teacher: boolean; district: boolean }): Promise<PersonalDataGrounds> {
    if (!UUID.test(personId) || !(ask.own || ask.teacher || ask.district)) return { own: false, taught: false, districtAccess: false };
    const params: unknown[] = [];
    const ground = (asked: boolean, sql: string, ...values: unknown[]) => {
      if (!asked) return 'false';
      params.push(...values);
      return sql;
    };
    const own = ground(
      ask.own,
      `(exists (select 1 from people.student_facts where person_id = ?::uuid and student_id = ?)
        or exists (select 1 from people.guardianship_facts where guardian_person_id = ?::uuid and student_id = ?))`,
      personId,
      studentId,
      personId,
      studentId,
    );
    const taught = ground(ask.teacher, `exists (select 1 from people.teacher_student_ids(?::uuid) t where t.student_id = ?)`, personId, studentId);
    const district = ground(
      ask.district,
      `exists (select 1 from people.personal_data_access_facts a where a.requester_person_id = ?::uuid and a.student_id = ?)`,
      personId,
      studentId,
    );
    const [row] = await this.em.execute<{ own: boolean; taught: boolean; district_access: boolean }[]>(
      `select ${own} as own, ${taught} as taught, ${district} as district_access`,
      params,
    );
    return { own: Boolean(row?.own), taught: Boolean(row?.taught), districtAccess: Boolean(row?.district_access) };
  }
}
