import type { EntityManager } from '@mikro-orm/postgresql';
import { manyLoader, oneLoader } from '@district/kit';
import { AssignmentStudent, TeachingAssignment } from './assignments/teaching-assignment.entity';
import { Lesson, LessonChange } from './lessons/lesson.entity';
import { query } from './sql';
import { Subject, type Grading } from './subjects/subject.entity';
import { AcademicYear, Holiday, Term } from './years/year.entity';

/** Every relation a list can reach is batched here: one statement per relation per request. */
export function createLoaders(em: EntityManager) {
  const ids = (keys: readonly number[]) => ({ id: { $in: [...keys] } });
  return {
    lesson: oneLoader<number, Lesson>(
      (keys) => em.find(Lesson, ids(keys)),
      (l) => l.id,
    ),
    assignment: oneLoader<number, TeachingAssignment>(
      (keys) => em.find(TeachingAssignment, ids(keys)),
      (a) => a.id,
    ),
    subject: oneLoader<number, Subject>(
      (keys) => em.find(Subject, ids(keys)),
      (s) => s.id,
    ),
    term: oneLoader<number, Term>(
      (keys) => em.find(Term, ids(keys)),
      (t) => t.id,
    ),
    academicYear: oneLoader<number, AcademicYear>(
      (keys) => em.find(AcademicYear, ids(keys)),
      (y) => y.id,
    ),
    changesByLesson: manyLoader<number, LessonChange>(
      (keys) => em.find(LessonChange, { lessonId: { $in: [...keys] } }, { orderBy: { id: 'asc' } }),
      (c) => c.lessonId,
    ),
    termsByYear: manyLoader<number, Term>(
      (keys) => em.find(Term, { academicYearId: { $in: [...keys] } }, { orderBy: { startDate: 'asc', yearsFrom: 'asc', id: 'asc' } }),
      (t) => t.academicYearId,
    ),
    holidaysByYear: manyLoader<number, Holiday>(
      (keys) => em.find(Holiday, { academicYearId: { $in: [...keys] } }, { orderBy: { startDate: 'asc', id: 'asc' } }),
      (h) => h.academicYearId,
    ),
    studentsByAssignment: manyLoader<number, AssignmentStudent>(
      (keys) => em.find(AssignmentStudent, { teachingAssignmentId: { $in: [...keys] } }, { orderBy: { studentId: 'asc' } }),
      (s) => s.teachingAssignmentId,
    ),
    /** The grading an assignment's lessons really have (the year-1 rule applied), from the published view. */
    grading: oneLoader<number, { teachingAssignmentId: number; grading: Grading }>(
      (keys) =>
        query(em, `select teaching_assignment_id as "teachingAssignmentId", grading from schedule.assignment_facts where teaching_assignment_id in (?)`, [
          [...keys],
        ]),
      (r) => r.teachingAssignmentId,
    ),
  };
}

export type ScheduleLoaders = ReturnType<typeof createLoaders>;
