import { startSchoolService, type RunningSchoolService, type TokenVerifier } from '@district/kit';
import { Migration20261128000001_people } from '../migrations/Migration20261128000001_people';
import { Migration20261128000002_people_facts } from '../migrations/Migration20261128000002_people_facts';
import { ClassGroup, Enrollment } from './class-groups/class-group.entity';
import type { PeopleConfig } from './config';
import { Guardian, Guardianship } from './guardians/guardian.entity';
import { createLoaders } from './loaders';
import { buildPeopleSchema } from './schema';
import { Staff } from './staff/staff.entity';
import { Student } from './students/student.entity';

export const PEOPLE_ENTITIES = [Student, Staff, Guardian, Guardianship, ClassGroup, Enrollment];
export const PEOPLE_MIGRATIONS = [
  { name: 'Migration20261128000001_people', class: Migration20261128000001_people },
  { name: 'Migration20261128000002_people_facts', class: Migration20261128000002_people_facts },
];

export type PeopleService = RunningSchoolService;

/** Opens the school's database (migrating schema `people`) and serves the people subgraph. */
export function startPeople(config: PeopleConfig, options: { verifier?: TokenVerifier; log?: (e: unknown) => void } = {}): Promise<PeopleService> {
  return startSchoolService(
    { name: 'people', database: { schema: 'people', entities: PEOPLE_ENTITIES, migrations: PEOPLE_MIGRATIONS }, schema: buildPeopleSchema, loaders: createLoaders },
    config,
    options,
  );
}
