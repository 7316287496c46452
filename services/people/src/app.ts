import { openDatabase, requestMeta, SqlCounter, startSubgraphServer, TokenVerifier, type RunningServer } from '@district/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ClassGroup, Enrollment } from './class-groups/class-group.entity';
import type { PeopleConfig } from './config';
import { Guardian, Guardianship } from './guardians/guardian.entity';
import { createLoaders, type PeopleContext } from './loaders';
import { Migration20261128000001_people } from '../migrations/Migration20261128000001_people';
import { buildPeopleSchema } from './schema';
import { Staff } from './staff/staff.entity';
import { Student } from './students/student.entity';

export const PEOPLE_ENTITIES = [Student, Staff, Guardian, Guardianship, ClassGroup, Enrollment];
export const PEOPLE_MIGRATIONS = [{ name: 'Migration20261128000001_people', class: Migration20261128000001_people }];

export interface PeopleService extends RunningServer {
  schoolId: string;
  sql: SqlCounter;
  em(): EntityManager;
}

/** Opens the school's database (migrating it) and serves the people subgraph. */
export async function startPeople(config: PeopleConfig, options: { verifier?: TokenVerifier; log?: (e: unknown) => void } = {}): Promise<PeopleService> {
  const sql = new SqlCounter();
  const orm = await openDatabase({ url: config.databaseUrl, schema: 'people', entities: PEOPLE_ENTITIES, migrations: PEOPLE_MIGRATIONS, sqlCounter: sql, poolMax: config.poolMax });
  try {
    const server = await startSubgraphServer<PeopleContext>(
      {
        name: `people-${config.schoolId}`,
        schema: await buildPeopleSchema(),
        verifier: options.verifier ?? new TokenVerifier(config.auth),
        production: config.production,
        log: options.log,
        context: (viewer, req) => {
          const em = orm.em.fork() as EntityManager;
          return { viewer, em, loaders: createLoaders(em), schoolId: config.schoolId, ...requestMeta(req.headers) };
        },
        health: async () => {
          await orm.em.getConnection().execute('select 1');
          return { schoolId: config.schoolId };
        },
      },
      config.port,
      config.host,
    );
    return {
      ...server,
      schoolId: config.schoolId,
      sql,
      em: () => orm.em.fork() as EntityManager,
      close: async () => {
        await server.close();
        await orm.close();
      },
    };
  } catch (error) {
    await orm.close();
    throw error;
  }
}
