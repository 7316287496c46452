import 'reflect-metadata';

export * from './app';
export * from './config';
export { buildScheduleSchema } from './schema';
export { AcademicYear, Term, Holiday, type TermKind } from './years/year.entity';
export { Subject, type Grading } from './subjects/subject.entity';
export { TeachingAssignment, AssignmentStudent } from './assignments/teaching-assignment.entity';
export { BellPeriod } from './bells/bell-period.entity';
export { TimetableEntry } from './timetable/timetable-entry.entity';
export { Lesson, LessonChange, type LessonStatus, type LessonChangeKind } from './lessons/lesson.entity';
export { generateTermLessons, type GenerationCounts } from './lessons/lesson-generator';
export { MAX_RANGE_DAYS } from './lessons/lesson.service';
export * from './seed';
export { OPERATIONS as SCHEDULE_OPERATIONS } from './access';
