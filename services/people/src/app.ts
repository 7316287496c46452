import { startSchoolService, type RunningSchoolService, type TokenVerifier } from '@district/kit';
import { Migration20261128000001_people } from '../migrations/Migration20261128000001_people';
import { Migration20261128000002_people_facts } from '../migrations/Migration20261128000002_people_facts';
import { Migration20261202090000_personal_data_access } from '../migrations/Migration20261202090000_personal_data_access';
import { Migration20261202093000_roster_import_runs } from '../migrations/Migration20261202093000_roster_import_runs';
import { Migration20261208000001_identity_keys } from '../migrations/Migration20261208000001_identity_keys';
import { ClassGroup, Enrollment } from './class-groups/class-group.entity';
import { DEFAULT_PERSONAL_DATA_ACCESS_MINUTES, DEMO_IDENTITY_KEY_SECRET, type PeopleConfig } from './config';
import { Guardian, Guardianship } from './guardians/guardian.entity';
import { createLoaders } from './loaders';
import { withRosterImportRuns } from './roster/roster-run';
import { buildPeopleSchema } from './schema';
import { Staff } from './staff/staff.entity';
import { Student } from './students/student.entity';

export const PEOPLE_ENTITIES = [Student, Staff, Guardian, Guardianship, ClassGroup, Enrollment];
export const PEOPLE_MIGRATIONS = [
  { name: 'Migration20261128000001_people', class: Migration20261128000001_people },
  { name: 'Migration20261128000002_people_facts', class: Migration20261128000002_people_facts },
  { name: 'Migration20261202090000_personal_data_access', class: Migration20261202090000_personal_data_access },
  { name: 'Migration20261202093000_roster_import_runs', class: Migration20261202093000_roster_import_runs },
  { name: 'Migration20261208000001_identity_keys', class: Migration20261208000001_identity_keys },
];

export type PeopleService = RunningSchoolService;

/** Opens the school's database (migrating schema `people`), serves the people subgraph and runs its roster imports. */
export async function startPeople(config: PeopleConfig, options: { verifier?: TokenVerifier; log?: (e: unknown) => void } = {}): Promise<PeopleService> {
  const settings = {
    personalDataAccessMinutes: config.personalDataAccessMinutes ?? DEFAULT_PERSONAL_DATA_ACCESS_MINUTES,
    identityKeySecret: config.identityKeySecret ?? DEMO_IDENTITY_KEY_SECRET,
  };
  const service = await startSchoolService(
    {
      name: 'people',
      database: { schema: 'people', entities: PEOPLE_ENTITIES, migrations: PEOPLE_MIGRATIONS },
      schema: buildPeopleSchema,
      loaders: (em) => createLoaders(em, settings),
    },
    config,
    options,
  );
  return withRosterImportRuns(service, options.log);
}
