import { startSchoolService, type RunningSchoolService, type TokenVerifier } from '@district/kit';
import { Migration20261201000001_schedule } from '../migrations/Migration20261201000001_schedule';
import { Migration20261201000002_schedule_facts } from '../migrations/Migration20261201000002_schedule_facts';
import { Migration20261202090000_assignment_student_facts } from '../migrations/Migration20261202090000_assignment_student_facts';
import { AssignmentStudent, TeachingAssignment } from './assignments/teaching-assignment.entity';
import { BellPeriod } from './bells/bell-period.entity';
import type { ScheduleConfig } from './config';
import { Lesson, LessonChange } from './lessons/lesson.entity';
import { createLoaders } from './loaders';
import { buildScheduleSchema } from './schema';
import { Subject } from './subjects/subject.entity';
import { TimetableEntry } from './timetable/timetable-entry.entity';
import { AcademicYear, Holiday, Term } from './years/year.entity';

export const SCHEDULE_ENTITIES = [
  AcademicYear,
  Term,
  Holiday,
  Subject,
  TeachingAssignment,
  AssignmentStudent,
  BellPeriod,
  TimetableEntry,
  Lesson,
  LessonChange,
];
export const SCHEDULE_MIGRATIONS = [
  { name: 'Migration20261201000001_schedule', class: Migration20261201000001_schedule },
  { name: 'Migration20261201000002_schedule_facts', class: Migration20261201000002_schedule_facts },
  { name: 'Migration20261202090000_assignment_student_facts', class: Migration20261202090000_assignment_student_facts },
];

export type ScheduleService = RunningSchoolService;

/** Opens the school's database (migrating schema `schedule`) and serves the schedule subgraph; people must have migrated it first (schedule reads its views). */
export function startSchedule(config: ScheduleConfig, options: { verifier?: TokenVerifier; log?: (e: unknown) => void } = {}): Promise<ScheduleService> {
  return startSchoolService(
    {
      name: 'schedule',
      database: { schema: 'schedule', entities: SCHEDULE_ENTITIES, migrations: SCHEDULE_MIGRATIONS },
      schema: buildScheduleSchema,
      loaders: createLoaders,
    },
    config,
    options,
  );
}
