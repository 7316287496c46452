import type { EntityManager } from '@mikro-orm/postgresql';
import { manyLoader, oneLoader, type RequestContext } from '@district/kit';
import { ClassGroup, Enrollment } from './class-groups/class-group.entity';
import { Guardian, Guardianship } from './guardians/guardian.entity';
import { Staff } from './staff/staff.entity';
import { Student } from './students/student.entity';

/** Every relation a list can reach is batched here: one statement per relation per request. */
export function createLoaders(em: EntityManager) {
  const ids = (keys: readonly number[]) => ({ id: { $in: [...keys] } });
  return {
    student: oneLoader<number, Student>((keys) => em.find(Student, ids(keys)), (s) => s.id),
    staff: oneLoader<number, Staff>((keys) => em.find(Staff, ids(keys)), (s) => s.id),
    guardian: oneLoader<number, Guardian>((keys) => em.find(Guardian, ids(keys)), (g) => g.id),
    classGroup: oneLoader<number, ClassGroup>((keys) => em.find(ClassGroup, ids(keys)), (c) => c.id),
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
export type PeopleContext = RequestContext<PeopleLoaders>;
