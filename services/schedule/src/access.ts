import { DomainError } from '@district/kit';
import type { ScheduleContext } from './loaders';
import { PeopleFacts, type EnrollmentFact } from './people-facts';
import { overlaps } from './dates';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Who may read and change what in one school's schedule. Staff of the school
 * and district admins see every class; a student sees their own class, a
 * parent their children's; terms, subjects and bells are open to anyone who
 * reaches the school. Changes: the timetable by the school-admin, lessons and
 * terms by a deputy or the school-admin.
 */
export class ScheduleAccess {
  private students?: Promise<number[]>;
  private enrollments?: Promise<EnrollmentFact[]>;
  private ownStaff?: Promise<number | undefined>;

  constructor(private readonly ctx: ScheduleContext) {}

  private get facts(): PeopleFacts {
    return new PeopleFacts(this.ctx.em);
  }

  /** The viewer's person_id when it is one (people keeps them as uuid). */
  private get personId(): string | undefined {
    const id = this.ctx.viewer.personId;
    return id && UUID.test(id) ? id : undefined;
  }

  private get ofThisSchool(): boolean {
    return this.ctx.viewer.schoolIds.includes(this.ctx.schoolId);
  }

  get seesWholeSchool(): boolean {
    const { viewer, schoolId } = this.ctx;
    return viewer.isStaffOf(schoolId) || (viewer.has('district-admin') && viewer.canReachSchool(schoolId));
  }

  requireWholeSchool(): void {
    if (!this.seesWholeSchool) throw DomainError.forbidden(`Нет доступа к расписанию школы ${this.ctx.schoolId}`);
  }

  /** Terms, subjects, bells: nothing personal, open to anyone the school is reachable for. */
  requireReach(): void {
    if (!this.ctx.viewer.canReachSchool(this.ctx.schoolId)) throw DomainError.forbidden(`Нет доступа к школе ${this.ctx.schoolId}`);
  }

  /** The timetable's building blocks: the school's director (school-admin). */
  requireAdmin(): void {
    const { viewer } = this.ctx;
    if (!(viewer.has('school-admin') && this.ofThisSchool)) throw DomainError.forbidden(`Изменять расписание школы ${this.ctx.schoolId} может только её администратор`);
  }

  /** Lessons (substitutions, moves, cancellations, generation) and closing terms: a deputy or the school-admin. */
  requireDeputy(): void {
    const { viewer } = this.ctx;
    if (!(viewer.has('deputy', 'school-admin') && this.ofThisSchool)) throw DomainError.forbidden(`Это может сделать только завуч или директор школы ${this.ctx.schoolId}`);
  }

  /** The staff row behind the viewer's login in this school, if any. */
  staffId(): Promise<number | undefined> {
    const { viewer } = this.ctx;
    this.ownStaff ??= (async () => {
      if (!this.ofThisSchool || !this.personId || !viewer.has('teacher', 'deputy', 'school-admin')) return undefined;
      return (await this.facts.staffOfPerson(this.personId))?.staffId;
    })();
    return this.ownStaff;
  }

  /** The students this viewer reads as themself (student) or as their guardian (parent). */
  ownStudents(): Promise<number[]> {
    const { viewer } = this.ctx;
    this.students ??= (async () => {
      const personId = this.personId;
      if (!this.ofThisSchool || !personId) return [];
      const ids: number[] = [];
      if (viewer.has('student')) {
        const self = await this.facts.studentOfPerson(personId);
        if (self !== undefined) ids.push(self);
      }
      if (viewer.has('parent')) ids.push(...(await this.facts.childrenOfPerson(personId)));
      return [...new Set(ids)];
    })();
    return this.students;
  }

  private ownEnrollments(): Promise<EnrollmentFact[]> {
    this.enrollments ??= this.ownStudents().then((ids) => this.facts.enrollmentsOf(ids));
    return this.enrollments;
  }

  async canSeeStudent(studentId: number): Promise<boolean> {
    if (this.seesWholeSchool) return true;
    return (await this.ownStudents()).includes(studentId);
  }

  /** A class's lessons: staff, or a student / parent whose student is in the class during the dates (any time, if none given). */
  async canSeeClass(classGroupId: number, from?: string, to?: string): Promise<boolean> {
    if (this.seesWholeSchool) return true;
    const enrollments = await this.ownEnrollments();
    return enrollments.some((e) => e.classGroupId === classGroupId && (from === undefined || overlaps(e.startDate, e.endDate, from, to ?? from)));
  }
}

/** Who did it, for the records: the district-wide person id, or the token subject when a login has none. */
export function actorOf(ctx: ScheduleContext): string {
  return ctx.viewer.personId ?? `sub:${ctx.viewer.subject}`;
}

const accessByContext = new WeakMap<object, ScheduleAccess>();

/** One access object per request, so its look-ups run once. */
export function accessOf(ctx: ScheduleContext): ScheduleAccess {
  let access = accessByContext.get(ctx);
  if (!access) accessByContext.set(ctx, (access = new ScheduleAccess(ctx)));
  return access;
}
