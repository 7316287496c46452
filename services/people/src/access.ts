import { DomainError } from '@district/kit';
import type { PeopleContext } from './loaders';
import { Guardian, Guardianship } from './guardians/guardian.entity';
import { Student } from './students/student.entity';

/**
 * Who may read what in one school's people data. Staff of the school and
 * district admins see everyone; a parent sees their own children; a student
 * sees themself. District analysts get aggregates only (see School fields).
 */
export class PeopleAccess {
  private childIds?: Promise<Set<number>>;
  private selfId?: Promise<number | undefined>;

  constructor(private readonly ctx: PeopleContext) {}

  get seesWholeSchool(): boolean {
    const { viewer, schoolId } = this.ctx;
    return viewer.isStaffOf(schoolId) || (viewer.has('district-admin') && viewer.canReachSchool(schoolId));
  }

  requireWholeSchool(): void {
    if (!this.seesWholeSchool) throw DomainError.forbidden(`Нет доступа к списку людей школы ${this.ctx.schoolId}`);
  }

  /** Manage people of the school: its school-admin or a district admin. */
  requireAdmin(): void {
    const { viewer, schoolId } = this.ctx;
    const ok = (viewer.has('school-admin') && viewer.schoolIds.includes(schoolId)) || (viewer.has('district-admin') && viewer.canReachSchool(schoolId));
    if (!ok) throw DomainError.forbidden(`Изменять данные школы ${schoolId} может только её администратор`);
  }

  /** Students the viewer may see as a parent (their children in this school). */
  children(): Promise<Set<number>> {
    const { viewer, em } = this.ctx;
    this.childIds ??= (async () => {
      if (!viewer.has('parent') || !viewer.personId) return new Set<number>();
      const guardian = await em.findOne(Guardian, { personId: viewer.personId });
      if (!guardian) return new Set<number>();
      const links = await em.find(Guardianship, { guardianId: guardian.id });
      return new Set(links.map((l) => l.studentId));
    })();
    return this.childIds;
  }

  private self(): Promise<number | undefined> {
    const { viewer, em } = this.ctx;
    this.selfId ??= (async () => {
      if (!viewer.has('student') || !viewer.personId) return undefined;
      return (await em.findOne(Student, { personId: viewer.personId }))?.id;
    })();
    return this.selfId;
  }

  /** The rows of a list that name a student this viewer may see: all for the school's staff, else their children or themself. */
  async visible<T>(rows: readonly T[], studentIdOf: (row: T) => number): Promise<T[]> {
    if (this.seesWholeSchool) return [...rows];
    const seen = await Promise.all(rows.map((row) => this.canSeeStudent(studentIdOf(row))));
    return rows.filter((_, i) => seen[i]);
  }

  async canSeeStudent(studentId: number): Promise<boolean> {
    if (this.seesWholeSchool) return true;
    if (!this.ctx.viewer.schoolIds.includes(this.ctx.schoolId)) return false;
    if ((await this.children()).has(studentId)) return true;
    return (await this.self()) === studentId;
  }
}

const accessByContext = new WeakMap<object, PeopleAccess>();

/** One access object per request, so its look-ups run once. */
export function accessOf(ctx: PeopleContext): PeopleAccess {
  let access = accessByContext.get(ctx);
  if (!access) accessByContext.set(ctx, (access = new PeopleAccess(ctx)));
  return access;
}
