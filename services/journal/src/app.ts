import { requestMeta, startService, type RunningService, type TokenVerifier } from '@district/kit';
import { Migration20261128000001_journal } from '../migrations/Migration20261128000001_journal';
import { Migration20261128000002_term_grades } from '../migrations/Migration20261128000002_term_grades';
import { Attendance } from './attendance/attendance.entity';
import type { JournalConfig } from './config';
import { createLoaders, type JournalContext } from './context';
import { ControlForm, JournalSettings } from './control-forms/control-form.entity';
import { CorrectionRequest } from './corrections/correction-request.entity';
import { LessonRecord } from './lesson-records/lesson-record.entity';
import { Mark } from './marks/mark.entity';
import { TermGrade } from './term-grades/term-grade.entity';
import { buildJournalSchema } from './schema';

export const JOURNAL_ENTITIES = [Mark, Attendance, LessonRecord, CorrectionRequest, ControlForm, JournalSettings, TermGrade];
export const JOURNAL_MIGRATIONS = [
  { name: 'Migration20261128000001_journal', class: Migration20261128000001_journal },
  { name: 'Migration20261128000002_term_grades', class: Migration20261128000002_term_grades },
];

export interface JournalService extends RunningService {
  schoolId: string;
}

/**
 * Opens the school's database (migrating the journal schema) and serves the
 * journal subgraph. It reads lessons and people through the views the
 * schedule and people services publish in the same database, so those must
 * have been migrated first.
 */
export async function startJournal(config: JournalConfig, options: { verifier?: TokenVerifier; log?: (e: unknown) => void } = {}): Promise<JournalService> {
  const service = await startService<JournalContext>({
    name: `journal-${config.schoolId}`,
    database: { url: config.databaseUrl, schema: 'journal', entities: JOURNAL_ENTITIES, migrations: JOURNAL_MIGRATIONS, poolMax: config.poolMax },
    schema: buildJournalSchema,
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
