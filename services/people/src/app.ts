import { requestMeta, startService, type RunningService, type TokenVerifier } from '@district/kit';
import { Migration20261128000001_people } from '../migrations/Migration20261128000001_people';
import { Migration20261128000002_people_facts } from '../migrations/Migration20261128000002_people_facts';
import { ClassGroup, Enrollment } from './class-groups/class-group.entity';
import type { PeopleConfig } from './config';
import { Guardian, Guardianship } from './guardians/guardian.entity';
import { createLoaders, type PeopleContext } from './loaders';
import { buildPeopleSchema } from './schema';
import { Staff } from './staff/staff.entity';
import { Student } from './students/student.entity';

export const PEOPLE_ENTITIES = [Student, Staff, Guardian, Guardianship, ClassGroup, Enrollment];
export const PEOPLE_MIGRATIONS = [
  { name: 'Migration20261128000001_people', class: Migration20261128000001_people },
  { name: 'Migration20261128000002_people_facts', class: Migration20261128000002_people_facts },
];

export interface PeopleService extends RunningService {
  schoolId: string;
}

/** Opens the school's database (migrating it) and serves the people subgraph. */
export async function startPeople(config: PeopleConfig, options: { verifier?: TokenVerifier; log?: (e: unknown) => void } = {}): Promise<PeopleService> {
  const service = await startService<PeopleContext>({
    name: `people-${config.schoolId}`,
    database: { url: config.databaseUrl, schema: 'people', entities: PEOPLE_ENTITIES, migrations: PEOPLE_MIGRATIONS, poolMax: config.poolMax },
    schema: buildPeopleSchema,
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
