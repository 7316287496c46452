import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditLog, Idempotency, manyLoader, oneLoader, type RequestContext } from '@district/kit';
import { Attendance } from './attendance/attendance.entity';
import { ControlForm } from './control-forms/control-form.entity';
import { SchoolFacts } from './lessons/lesson-facts';
import { LessonRecord } from './lesson-records/lesson-record.entity';
import { Mark } from './marks/mark.entity';

export const audit = new AuditLog('journal');
export const idempotency = new Idempotency('journal');

export function createLoaders(em: EntityManager) {
  return {
    facts: new SchoolFacts(em),
    controlForm: oneLoader<number, ControlForm>((ids) => em.find(ControlForm, { id: { $in: [...ids] } }), (f) => f.id),
    marksByLesson: manyLoader<number, Mark>((ids) => em.find(Mark, { lessonId: { $in: [...ids] }, status: 'ACTIVE' }, { orderBy: { id: 'asc' } }), (m) => m.lessonId),
    attendanceByLesson: manyLoader<number, Attendance>((ids) => em.find(Attendance, { lessonId: { $in: [...ids] }, status: 'ACTIVE' }), (a) => a.lessonId),
    record: oneLoader<number, LessonRecord>((ids) => em.find(LessonRecord, { lessonId: { $in: [...ids] } }), (r) => r.lessonId),
  };
}

export type JournalLoaders = ReturnType<typeof createLoaders>;
export type JournalContext = RequestContext<JournalLoaders>;
