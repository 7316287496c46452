import { startSchoolService, type RunningSchoolService, type TokenVerifier } from '@district/kit';
import { Migration20261128000001_journal } from '../migrations/Migration20261128000001_journal';
import { Migration20261128000002_term_grades } from '../migrations/Migration20261128000002_term_grades';
import { Migration20261128000003_year_grades } from '../migrations/Migration20261128000003_year_grades';
import { Attendance } from './attendance/attendance.entity';
import type { JournalConfig } from './config';
import { createLoaders } from './loaders';
import { ControlForm, JournalSettings } from './control-forms/control-form.entity';
import { CorrectionRequest } from './corrections/correction-request.entity';
import { LessonRecord } from './lesson-records/lesson-record.entity';
import { Mark } from './marks/mark.entity';
import { TermGrade } from './term-grades/term-grade.entity';
import { YearGrade } from './term-grades/year-grade.entity';
import { buildJournalSchema } from './schema';

export const JOURNAL_ENTITIES = [Mark, Attendance, LessonRecord, CorrectionRequest, ControlForm, JournalSettings, TermGrade, YearGrade];
export const JOURNAL_MIGRATIONS = [
  { name: 'Migration20261128000001_journal', class: Migration20261128000001_journal },
  { name: 'Migration20261128000002_term_grades', class: Migration20261128000002_term_grades },
  { name: 'Migration20261128000003_year_grades', class: Migration20261128000003_year_grades },
];

export type JournalService = RunningSchoolService;

/** Opens the school's database (migrating schema `journal`) and serves the journal subgraph; people and schedule must have migrated it first (the journal reads their views). */
export function startJournal(config: JournalConfig, options: { verifier?: TokenVerifier; log?: (e: unknown) => void } = {}): Promise<JournalService> {
  return startSchoolService(
    {
      name: 'journal',
      database: { schema: 'journal', entities: JOURNAL_ENTITIES, migrations: JOURNAL_MIGRATIONS },
      schema: buildJournalSchema,
      loaders: createLoaders,
    },
    config,
    options,
  );
}
