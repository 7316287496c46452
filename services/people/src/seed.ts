import type { EntityManager } from '@mikro-orm/postgresql';
import { ClassGroup, Enrollment } from './class-groups/class-group.entity';
import { Guardian, Guardianship, type GuardianRelation } from './guardians/guardian.entity';
import { Staff } from './staff/staff.entity';
import { Student } from './students/student.entity';

type Name = { lastName: string; firstName: string; middleName?: string | null };

/**
 * Builds people data straight through the ORM, for tests and the demo
 * district: `seed.classGroup('5А').student({...}).guardian({...})`.
 * Call `flush()` once at the end; ids are assigned then.
 */
export class PeopleSeed {
  constructor(
    readonly em: EntityManager,
    readonly academicYear = '2026/2027',
    readonly startDate = '2026-09-01',
  ) {}

  staff(data: Name & { position: string; personId?: string | null; email?: string | null }): Staff {
    return this.em.create(Staff, { active: true, middleName: null, email: null, personId: null, ...data });
  }

  classGroup(name: string, classTeacher?: Staff): ClassGroupSeed {
    const yearOfStudy = Number(/^\d+/.exec(name)![0]);
    const group = this.em.create(ClassGroup, { name, yearOfStudy, academicYear: this.academicYear, classTeacherId: null });
    return new ClassGroupSeed(this, group, classTeacher);
  }

  guardian(data: Name & { personId?: string | null; phone?: string | null; email?: string | null; identityKey?: string | null }): Guardian {
    return this.em.create(Guardian, { middleName: null, phone: null, email: null, personId: null, ...data });
  }

  /** Writes everything built so far, links included. */
  flush(): Promise<void> {
    return commitSeed(this);
  }
}

/** Links are resolved after the first flush assigns ids. */
export class ClassGroupSeed {
  private readonly pending: { student: Student; guardians: { guardian: Guardian; relation: GuardianRelation }[] }[] = [];
  private current?: { student: Student; guardians: { guardian: Guardian; relation: GuardianRelation }[] };

  constructor(
    private readonly seed: PeopleSeed,
    readonly group: ClassGroup,
    private readonly teacher?: Staff,
  ) {
    seedsOf(seed).push(this);
  }

  student(data: Name & { birthDate: string; personId?: string | null; identityKey?: string | null }): this {
    const student = this.seed.em.create(Student, { middleName: null, personId: null, ...data });
    this.current = { student, guardians: [] };
    this.pending.push(this.current);
    return this;
  }

  /** A guardian of the student added last (an existing Guardian, or data for a new one). */
  guardian(
    guardian: Guardian | (Name & { personId?: string | null; phone?: string | null; identityKey?: string | null }),
    relation: GuardianRelation = 'mother',
  ): this {
    if (!this.current) throw new Error('add a student first');
    const g = guardian instanceof Guardian ? guardian : this.seed.guardian(guardian);
    this.current.guardians.push({ guardian: g, relation });
    return this;
  }

  get students(): Student[] {
    return this.pending.map((p) => p.student);
  }

  /** Second phase, after ids exist: enrollments, guardianships, class teacher. */
  link(): void {
    const em = this.seed.em;
    if (this.teacher) this.group.classTeacherId = this.teacher.id;
    for (const { student, guardians } of this.pending) {
      em.create(Enrollment, { studentId: student.id, classGroupId: this.group.id, startDate: this.seed.startDate, endDate: null });
      for (const { guardian, relation } of guardians) em.create(Guardianship, { studentId: student.id, guardianId: guardian.id, relation });
    }
    this.pending.length = 0;
  }
}

const registry = new WeakMap<PeopleSeed, ClassGroupSeed[]>();
function seedsOf(seed: PeopleSeed): ClassGroupSeed[] {
  let list = registry.get(seed);
  if (!list) registry.set(seed, (list = []));
  return list;
}

/** Flushes the rows, then the links that need their ids. */
export async function commitSeed(seed: PeopleSeed): Promise<void> {
  await seed.em.flush();
  for (const group of seedsOf(seed)) group.link();
  await seed.em.flush();
  registry.set(seed, []);
}
