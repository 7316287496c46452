import type { EntityManager } from '@mikro-orm/postgresql';
import { query } from './sql';

/**
 * Reads of the people service's published views (people.*_facts) in the same
 * database. Schedule never touches people's tables themselves.
 */
export interface StaffFact {
  staffId: number;
  personId: string | null;
  active: boolean;
  fullName: string;
}

export interface ClassGroupFact {
  classGroupId: number;
  name: string;
  yearOfStudy: number;
  academicYear: string;
}

export interface EnrollmentFact {
  studentId: number;
  classGroupId: number;
  startDate: string;
  endDate: string | null;
}

const list = (ids: readonly number[]) => [...new Set(ids)];

export class PeopleFacts {
  constructor(private readonly em: EntityManager) {}

  private run<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return query<T>(this.em, sql, params);
  }

  async staff(ids: readonly number[]): Promise<StaffFact[]> {
    if (ids.length === 0) return [];
    return this.run<StaffFact>(
      `select staff_id as "staffId", person_id as "personId", active, concat_ws(' ', last_name, first_name, middle_name) as "fullName"
       from people.staff_facts where staff_id in (?)`,
      [list(ids)],
    );
  }

  async staffOfPerson(personId: string): Promise<StaffFact | undefined> {
    const [row] = await this.run<StaffFact>(
      `select staff_id as "staffId", person_id as "personId", active, concat_ws(' ', last_name, first_name, middle_name) as "fullName"
       from people.staff_facts where person_id = ?::uuid`,
      [personId],
    );
    return row;
  }

  async classGroups(ids: readonly number[]): Promise<ClassGroupFact[]> {
    if (ids.length === 0) return [];
    return this.run<ClassGroupFact>(
      `select class_group_id as "classGroupId", name, year_of_study as "yearOfStudy", academic_year as "academicYear"
       from people.class_group_facts where class_group_id in (?)`,
      [list(ids)],
    );
  }

  async studentsExist(ids: readonly number[]): Promise<Set<number>> {
    if (ids.length === 0) return new Set();
    const rows = await this.run<{ studentId: number }>(`select student_id as "studentId" from people.student_facts where student_id in (?)`, [list(ids)]);
    return new Set(rows.map((r) => r.studentId));
  }

  /** The student behind a login (role student), if this school has one. */
  async studentOfPerson(personId: string): Promise<number | undefined> {
    const [row] = await this.run<{ studentId: number }>(`select student_id as "studentId" from people.student_facts where person_id = ?::uuid`, [personId]);
    return row?.studentId;
  }

  /** The children of a guardian login in this school. */
  async childrenOfPerson(personId: string): Promise<number[]> {
    const rows = await this.run<{ studentId: number }>(`select student_id as "studentId" from people.guardianship_facts where guardian_person_id = ?::uuid`, [
      personId,
    ]);
    return rows.map((r) => r.studentId);
  }

  async enrollmentsOf(studentIds: readonly number[]): Promise<EnrollmentFact[]> {
    if (studentIds.length === 0) return [];
    return this.run<EnrollmentFact>(
      `select student_id as "studentId", class_group_id as "classGroupId", start_date as "startDate", end_date as "endDate"
       from people.enrollment_facts where student_id in (?)`,
      [list(studentIds)],
    );
  }

  /** Students among `studentIds` enrolled in the class group at some time between two dates. */
  async enrolledBetween(classGroupId: number, studentIds: readonly number[], from: string, to: string): Promise<Set<number>> {
    if (studentIds.length === 0) return new Set();
    const rows = await this.run<{ studentId: number }>(
      `select distinct student_id as "studentId" from people.enrollment_facts
       where class_group_id = ? and student_id in (?) and start_date <= ?::date and (end_date is null or end_date >= ?::date)`,
      [classGroupId, list(studentIds), to, from],
    );
    return new Set(rows.map((r) => r.studentId));
  }
}
