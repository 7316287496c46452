import { openDatabase, requestMeta, SqlCounter, startSubgraphServer, TokenVerifier, type RunningServer } from '@district/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Migration20261128000001_registry } from '../migrations/Migration20261128000001_registry';
import type { MonitoringConfig } from './config';
import type { MonitoringContext } from './context';
import { SchoolRecord } from './registry/school.entity';
import { buildMonitoringSchema } from './schema';

export const MONITORING_MIGRATIONS = [{ name: 'Migration20261128000001_registry', class: Migration20261128000001_registry }];

export interface MonitoringService extends RunningServer {
  sql: SqlCounter;
  em(): EntityManager;
}

/** Opens the district database (migrating it) and serves the monitoring subgraph. */
export async function startMonitoring(config: MonitoringConfig, options: { verifier?: TokenVerifier; log?: (e: unknown) => void } = {}): Promise<MonitoringService> {
  const sql = new SqlCounter();
  const orm = await openDatabase({ url: config.databaseUrl, schema: 'monitoring', entities: [SchoolRecord], migrations: MONITORING_MIGRATIONS, sqlCounter: sql });
  try {
    const server = await startSubgraphServer<MonitoringContext>(
      {
        name: 'monitoring',
        schema: await buildMonitoringSchema(),
        verifier: options.verifier ?? new TokenVerifier(config.auth),
        production: config.production,
        log: options.log,
        context: (viewer, req) => ({ viewer, em: orm.em.fork() as EntityManager, loaders: {}, schoolId: '', ...requestMeta(req.headers) }),
        health: async () => {
          await orm.em.getConnection().execute('select 1');
          return {};
        },
      },
      config.port,
      config.host,
    );
    return {
      ...server,
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
