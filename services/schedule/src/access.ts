import { allows, DomainError, requireAction, type OperationRules } from '@district/kit';
import type { ScheduleContext } from './context';
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
    return allows(this.ctx.viewer, 'schedule:readWhole', this.ctx.schoolId);
  }

  requireWholeSchool(): void {
    if (!this.seesWholeSchool) throw DomainError.forbidden(`Нет доступа к расписанию школы ${this.ctx.schoolId}`);
  }

  /** Terms, subjects, bells: nothing personal, open to anyone the school is reachable for. */
  requireReach(): void {
    requireAction(this.ctx.viewer, 'school:reach', this.ctx.schoolId);
  }

  /** The timetable's building blocks: the school's director (school-admin). */
  requireAdmin(): void {
    requireAction(this.ctx.viewer, 'school:manage', this.ctx.schoolId, `Изменять расписание школы ${this.ctx.schoolId} может только её администратор`);
  }

  /** Lessons (substitutions, moves, cancellations, generation) and closing terms: a deputy or the school-admin. */
  requireDeputy(): void {
    requireAction(this.ctx.viewer, 'journal:control', this.ctx.schoolId);
  }

  /** The staff row behind the viewer's login in this school, if any. */
  staffId(): Promise<number | undefined> {
    const { viewer } = this.ctx;
    this.ownStaff ??= (async () => {
      if (!this.personId || !allows(viewer, 'staff:work', this.ctx.schoolId)) return undefined;
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
      if (allows(viewer, 'personal:readSelf', this.ctx.schoolId)) {
        const self = await this.facts.studentOfPerson(personId);
        if (self !== undefined) ids.push(self);
      }
      if (allows(viewer, 'personal:readChildren', this.ctx.schoolId)) ids.push(...(await this.facts.childrenOfPerson(personId)));
      return [...new Set(ids)];
    })();
    return this.students;
  }

  private ownEnrollments(): Promise<EnrollmentFact[]> {
    this.enrollments ??= this.ownStudents().then((ids) => this.facts.enrollmentsOf(ids));
    return this.enrollments;
  }

  /**
   * One student's week (their split groups included) is the student's personal
   * data: the school's staff, the student and their guardians; not district
   * roles, who read class timetables only (docs/security.md).
   */
  async canSeeStudent(studentId: number): Promise<boolean> {
    if (allows(this.ctx.viewer, 'staff:work', this.ctx.schoolId)) return true;
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

/**
 * The schedule's operations and the policy action each needs (kit
 * policy.ts), checked before a resolver runs; ScheduleAccess above then
 * decides which classes and students the viewer sees.
 */
export const OPERATIONS = {
  'Query.bellSchedule': 'school:reach',
  'Query.subjects': 'school:reach',
  'Query.academicYears': 'school:reach',
  'Query.terms': 'school:reach',
  'Query.term': 'school:reach',
  // A student's and a parent's own classes; staff and district admins every class.
  'Query.timetable': 'school:reach',
  'Query.studentWeek': 'school:reach',
  'Query.lesson': 'school:reach',
  'Query.teacherLessons': 'schedule:readWhole',
  'Query.timetableEntries': 'schedule:readWhole',
  'Query.teachingAssignments': 'schedule:readWhole',
  'Mutation.generateLessons': 'journal:control',
  'Mutation.substituteLesson': 'journal:control',
  'Mutation.cancelLesson': 'journal:control',
  'Mutation.moveLesson': 'journal:control',
  'Mutation.closeTerm': 'journal:control',
  'Mutation.createTeachingAssignment': 'school:manage',
  'Mutation.createBellPeriod': 'school:manage',
  'Mutation.createSubject': 'school:manage',
  'Mutation.createTimetableEntry': 'school:manage',
  'Mutation.createAcademicYear': 'school:manage',
  'Mutation.createHoliday': 'school:manage',
  'Mutation.createTerm': 'school:manage',
} as const satisfies OperationRules;
