import type { EntityManager } from '@mikro-orm/postgresql';
import { manyLoader, oneLoader } from '@district/kit';
import { Attendance } from './attendance/attendance.entity';
import { ControlForm } from './control-forms/control-form.entity';
import { correctionEntryLoader } from './corrections/correction-entry.loader';
import { SchoolFacts } from './lessons/lesson-facts';
import { LessonRecord } from './lesson-records/lesson-record.entity';
import { Mark } from './marks/mark.entity';

/** Every relation a list can reach is batched here: one statement per relation per request. */
export function createLoaders(em: EntityManager) {
  return {
    facts: new SchoolFacts(em),
    controlForm: oneLoader<number, ControlForm>(
      (ids) => em.find(ControlForm, { id: { $in: [...ids] } }),
      (f) => f.id,
    ),
    marksByLesson: manyLoader<number, Mark>(
      (ids) => em.find(Mark, { lessonId: { $in: [...ids] }, status: 'ACTIVE' }, { orderBy: { id: 'asc' } }),
      (m) => m.lessonId,
    ),
    attendanceByLesson: manyLoader<number, Attendance>(
      (ids) => em.find(Attendance, { lessonId: { $in: [...ids] }, status: 'ACTIVE' }),
      (a) => a.lessonId,
    ),
    record: oneLoader<number, LessonRecord>(
      (ids) => em.find(LessonRecord, { lessonId: { $in: [...ids] } }),
      (r) => r.lessonId,
    ),
    correctionEntry: correctionEntryLoader(em),
  };
}

export type JournalLoaders = ReturnType<typeof createLoaders>;
