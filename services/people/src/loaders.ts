import type { EntityManager } from '@mikro-orm/postgresql';
import { manyLoader, oneLoader } from '@district/kit';
import { ClassGroup, Enrollment } from './class-groups/class-group.entity';
import { Guardian, Guardianship } from './guardians/guardian.entity';
import { Staff } from './staff/staff.entity';
import { Student } from './students/student.entity';

/** What the people service's rules need from its configuration. */
export interface PeopleSettings {
  personalDataAccessMinutes: number;
  /** The district's secret for SNILS keys (IDENTITY_KEY_SECRET; the same in every school and the portal). */
  identityKeySecret: string;
}

/** Every relation a list can reach is batched here: one statement per relation per request. */
export function createLoaders(em: EntityManager, settings: PeopleSettings) {
  const ids = (keys: readonly number[]) => ({ id: { $in: [...keys] } });
  return {
    /** Not a loader: the service's settings, carried per request because the context has no other slot for them. */
    settings,
    student: oneLoader<number, Student>(
      (keys) => em.find(Student, ids(keys)),
      (s) => s.id,
    ),
    staff: oneLoader<number, Staff>(
      (keys) => em.find(Staff, ids(keys)),
      (s) => s.id,
    ),
    guardian: oneLoader<number, Guardian>(
      (keys) => em.find(Guardian, ids(keys)),
      (g) => g.id,
    ),
    classGroup: oneLoader<number, ClassGroup>(
      (keys) => em.find(ClassGroup, ids(keys)),
      (c) => c.id,
    ),
    activeEnrollmentByStudent: oneLoader<number, Enrollment>(
      (keys) => em.find(Enrollment, { studentId: { $in: [...keys] }, endDate: null }),
      (e) => e.studentId,
    ),
    activeEnrollmentsByClassGroup: manyLoader<number, Enrollment>(
      (keys) => em.find(Enrollment, { classGroupId: { $in: [...keys] }, endDate: null }),
      (e) => e.classGroupId,
    ),
    guardianshipsByStudent: manyLoader<number, Guardianship>(
      (keys) => em.find(Guardianship, { studentId: { $in: [...keys] } }, { orderBy: { id: 'asc' } }),
      (g) => g.studentId,
    ),
    guardianshipsByGuardian: manyLoader<number, Guardianship>(
      (keys) => em.find(Guardianship, { guardianId: { $in: [...keys] } }, { orderBy: { id: 'asc' } }),
      (g) => g.guardianId,
    ),
  };
}

export type PeopleLoaders = ReturnType<typeof createLoaders>;
