import { requestMeta, startService, type RunningService, type TokenVerifier } from '@district/kit';
import { Migration20261201000001_schedule } from '../migrations/Migration20261201000001_schedule';
import { Migration20261201000002_schedule_facts } from '../migrations/Migration20261201000002_schedule_facts';
import { AssignmentStudent, TeachingAssignment } from './assignments/teaching-assignment.entity';
import { BellPeriod } from './bells/bell-period.entity';
import type { ScheduleConfig } from './config';
import { Lesson, LessonChange } from './lessons/lesson.entity';
import { createLoaders, type ScheduleContext } from './loaders';
import { buildScheduleSchema } from './schema';
import { Subject } from './subjects/subject.entity';
import { TimetableEntry } from './timetable/timetable-entry.entity';
import { AcademicYear, Holiday, Term } from './years/year.entity';

export const SCHEDULE_ENTITIES = [AcademicYear, Term, Holiday, Subject, TeachingAssignment, AssignmentStudent, BellPeriod, TimetableEntry, Lesson, LessonChange];
export const SCHEDULE_MIGRATIONS = [
  { name: 'Migration20261201000001_schedule', class: Migration20261201000001_schedule },
  { name: 'Migration20261201000002_schedule_facts', class: Migration20261201000002_schedule_facts },
];

export interface ScheduleService extends RunningService {
  schoolId: string;
}

/**
 * Opens the school's database (migrating schema `schedule`) and serves the
 * schedule subgraph. People must have migrated the same database first: the
 * schedule reads its published views.
 */
export async function startSchedule(config: ScheduleConfig, options: { verifier?: TokenVerifier; log?: (e: unknown) => void } = {}): Promise<ScheduleService> {
  const service = await startService<ScheduleContext>({
    name: `schedule-${config.schoolId}`,
    database: { url: config.databaseUrl, schema: 'schedule', entities: SCHEDULE_ENTITIES, migrations: SCHEDULE_MIGRATIONS, poolMax: config.poolMax },
    schema: buildScheduleSchema,
    auth: config.auth,
    production: config.production,
    port: config.port,
    host: config.host,
    sqlLog: config.sqlLog,
    health: { schoolId: config.schoolId },
    context: (viewer, em, req) => ({ viewer, em, loaders: createLoaders(em), schoolId: config.schoolId, ...requestMeta(req.headers) }),
    ...options,
  });
  return { ...service, schoolId: config.schoolId };
}
