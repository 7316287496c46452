import { allows, allowsSomewhere, DomainError, requireAction, type OperationRules } from '@district/kit';
import type { PeopleContext } from './context';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Why a viewer may read one student's personal data (besides being a deputy or the director). */
export type PersonalDataBasis = 'self' | 'guardian' | 'teacher' | 'district-access';

/**
 * Who may read what in one school's people data (docs/security.md, "Personal
 * data"). Three levels:
 *
 * - **directory** — staff (names, positions) and class groups: anyone of the
 *   school, and the district's admins and analysts (no student in it);
 * - **roster** — a student's name and class: the school's staff (a teacher
 *   meets, substitutes for and supervises students of every class); anyone
 *   else only as personal data;
 * - **personal data** — birth date, guardians and their contacts (and the
 *   journal's diary, by the same rule): the school's deputies and director; a
 *   teacher for the students of the class they lead and the students their
 *   teaching assignments cover today; the student; their guardians; a district
 *   admin for a student they opened a logged access to (openPersonalDataAccess).
 *   District analysts never.
 *
 * Root fields and `_entities` ask the same questions, so a row is readable
 * through one exactly when it is through the other.
 */
export class PeopleAccess {
  private scopeLoad?: Promise<Map<number, Set<PersonalDataBasis>>>;

  constructor(private readonly ctx: PeopleContext) {}

  private get ofThisSchool(): boolean {
    return this.ctx.viewer.schoolIds.includes(this.ctx.schoolId);
  }

  /** The viewer's person_id when it is one (people keeps them as uuid). */
  get personId(): string | undefined {
    const id = this.ctx.viewer.personId;
    return id && UUID.test(id) ? id.toLowerCase() : undefined;
  }

  /** Teachers, deputies and the director of this school. */
  get isStaff(): boolean {
    return allows(this.ctx.viewer, 'staff:work', this.ctx.schoolId);
  }

  /** Deputies and the director of this school read every student's personal data. */
  get isLeader(): boolean {
    return allows(this.ctx.viewer, 'personal:readAll', this.ctx.schoolId);
  }

  get isDistrictAdmin(): boolean {
    return allows(this.ctx.viewer, 'personal:openAccess', this.ctx.schoolId);
  }

  /** The staff directory and the class groups: not personal data of students. */
  get readsDirectory(): boolean {
    return allows(this.ctx.viewer, 'directory:read', this.ctx.schoolId);
  }

  requireDirectory(): void {
    if (!this.readsDirectory) throw DomainError.forbidden(`Нет доступа к данным школы ${this.ctx.schoolId}`);
  }

  /** Lists of students: the school's staff (the whole roster) and a district admin (the students they opened). */
  requireStudentList(): void {
    if (allows(this.ctx.viewer, 'students:list', this.ctx.schoolId)) return;
    throw DomainError.forbidden(this.refusalMessage('Список обучающихся школы доступен её сотрудникам'));
  }

  /** Lists of guardians: the school's staff and a district admin, each seeing the guardians of the students they may read. */
  requireGuardianList(): void {
    if (allows(this.ctx.viewer, 'students:list', this.ctx.schoolId)) return;
    throw DomainError.forbidden(this.refusalMessage('Список представителей школы доступен её сотрудникам'));
  }

  /**
   * Manage people of the school: its school-admin (director) only. A district
   * admin registers schools but does not edit their people: writing a
   * student's record would bypass the logged access to personal data.
   */
  requireAdmin(): void {
    requireAction(this.ctx.viewer, 'school:manage', this.ctx.schoolId, `Изменять данные школы ${this.ctx.schoolId} может только её администратор`);
  }

  /** A refusal of personal data that tells each kind of viewer what the rule is. */
  refusePersonalData(): DomainError {
    return DomainError.forbidden(
      this.refusalMessage('Персональные данные обучающегося видят его учителя, классный руководитель, завуч и директор школы, сам обучающийся и его родители'),
    );
  }

  private refusalMessage(general: string): string {
    const { viewer } = this.ctx;
    if (allowsSomewhere(viewer, 'personal:openAccess'))
      return 'Персональные данные обучающегося доступны администратору округа только после открытия доступа с указанием причины (openPersonalDataAccess)';
    if (allowsSomewhere(viewer, 'district:read')) return 'Аналитику округа доступны только обобщённые показатели, без персональных данных';
    return general;
  }

  /**
   * The students whose personal data the viewer reads, with why; one statement
   * per request whatever is asked, none for a viewer with no basis at all.
   */
  private scope(): Promise<Map<number, Set<PersonalDataBasis>>> {
    this.scopeLoad ??= (async () => {
      const { viewer, em } = this.ctx;
      const personId = this.personId;
      const parts: string[] = [];
      const params: string[] = [];
      if (personId && this.ofThisSchool) {
        if (allows(viewer, 'personal:readSelf', this.ctx.schoolId))
          parts.push(`select id as student_id, 'self' as basis from people.student where person_id = ?`);
        if (allows(viewer, 'personal:readChildren', this.ctx.schoolId))
          parts.push(
            `select gs.student_id, 'guardian' as basis from people.guardianship gs join people.guardian g on g.id = gs.guardian_id where g.person_id = ?`,
          );
        if (allows(viewer, 'personal:readTaught', this.ctx.schoolId))
          parts.push(`select t.student_id, 'teacher' as basis from people.teacher_student_ids(?::uuid) t`);
      }
      if (personId && this.isDistrictAdmin)
        parts.push(`select a.student_id, 'district-access' as basis from people.personal_data_access_facts a where a.requester_person_id = ?`);
      const scope = new Map<number, Set<PersonalDataBasis>>();
      if (parts.length === 0) return scope;
      params.push(...parts.map(() => personId!));
      const rows = await em.execute<{ student_id: number; basis: PersonalDataBasis }[]>(parts.join(' union all '), params);
      for (const row of rows) {
        const id = Number(row.student_id);
        scope.set(id, (scope.get(id) ?? new Set()).add(row.basis));
      }
      return scope;
    })();
    return this.scopeLoad;
  }

  /** The students a parent reads as their guardian, in this school. */
  async children(): Promise<Set<number>> {
    const scope = await this.scope();
    return new Set([...scope].filter(([, bases]) => bases.has('guardian')).map(([id]) => id));
  }

  /** The signed-in student's own record in this school, if the viewer is one. */
  async selfId(): Promise<number | undefined> {
    const scope = await this.scope();
    return [...scope].find(([, bases]) => bases.has('self'))?.[0];
  }

  /** The students whose personal data the viewer reads, when they do not read everyone's. */
  async personalStudentIds(): Promise<number[]> {
    return [...(await this.scope()).keys()];
  }

  async canReadPersonal(studentId: number): Promise<boolean> {
    if (this.isLeader) return true;
    return (await this.scope()).has(studentId);
  }

  /** A student's name and class: the school's staff see the roster; others as personal data. */
  async canSeeStudent(studentId: number): Promise<boolean> {
    return this.isStaff || this.canReadPersonal(studentId);
  }

  /** A guardian (name and contacts) is personal data of their children: readable with one child's personal data. */
  async canReadGuardian(guardianId: number): Promise<boolean> {
    if (this.isLeader) return true;
    if ((await this.scope()).size === 0) return false;
    const links = await this.ctx.loaders.guardianshipsByGuardian.load(guardianId);
    const readable = await Promise.all(links.map((l) => this.canReadPersonal(l.studentId)));
    return readable.some(Boolean);
  }

  /** The rows of a list naming a student whose personal data the viewer reads. */
  async withPersonalData<T>(rows: readonly T[], studentIdOf: (row: T) => number): Promise<T[]> {
    if (this.isLeader) return [...rows];
    const scope = await this.scope();
    return rows.filter((row) => scope.has(studentIdOf(row)));
  }

  /** The rows of a list naming a student the viewer sees on the roster. */
  async onRoster<T>(rows: readonly T[], studentIdOf: (row: T) => number): Promise<T[]> {
    return this.isStaff ? [...rows] : this.withPersonalData(rows, studentIdOf);
  }
}

const accessByContext = new WeakMap<object, PeopleAccess>();

/** One access object per request, so its look-ups run once. */
export function accessOf(ctx: PeopleContext): PeopleAccess {
  let access = accessByContext.get(ctx);
  if (!access) accessByContext.set(ctx, (access = new PeopleAccess(ctx)));
  return access;
}

/**
 * People's operations and the policy action each needs (kit policy.ts),
 * checked before a resolver runs; PeopleAccess above then decides row by row.
 */
export const OPERATIONS = {
  'Query.classGroups': 'directory:read',
  'Query.classGroup': 'directory:read',
  'Query.myClassGroups': 'directory:read',
  'Query.staff': 'directory:read',
  'Query.students': 'students:list',
  'Query.guardians': 'students:list',
  // One student: their own, a parent's child, the staff's students — decided per student.
  'Query.student': 'school:reach',
  'Query.myStudentRecord': 'school:reach',
  'Query.myChildren': 'school:reach',
  'Query.personalDataAccessLog': 'personal:readAccessLog',
  'Query.rosterImportRun': 'school:manage',
  'Query.rosterImportRuns': 'school:manage',
  'Query.accountPersons': 'accounts:read',
  'Mutation.openPersonalDataAccess': 'personal:openAccess',
  'Mutation.createClassGroup': 'school:manage',
  'Mutation.updateClassGroup': 'school:manage',
  'Mutation.enrollStudent': 'school:manage',
  'Mutation.endEnrollment': 'school:manage',
  'Mutation.createGuardian': 'school:manage',
  'Mutation.updateGuardian': 'school:manage',
  'Mutation.linkGuardian': 'school:manage',
  'Mutation.importRoster': 'school:manage',
  'Mutation.startRosterImport': 'school:manage',
  'Mutation.createStaff': 'school:manage',
  'Mutation.updateStaff': 'school:manage',
  'Mutation.createStudent': 'school:manage',
  'Mutation.updateStudent': 'school:manage',
  'Mutation.assignPersonIds': 'accounts:manage',
} as const satisfies OperationRules;
