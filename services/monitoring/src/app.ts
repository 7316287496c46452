import { requestMeta, serviceAccountTokens, startService, type RunningService, type TokenVerifier } from '@district/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Migration20261128000001_registry } from '../migrations/Migration20261128000001_registry';
import { Migration20261128000002_collection } from '../migrations/Migration20261128000002_collection';
import { Collector } from './collection/collector';
import { scheduleNightly } from './collection/nightly';
import type { MonitoringConfig } from './config';
import type { MonitoringContext } from './context';
import { exportRoutes } from './exports/export-routes';
import { SchoolRecord } from './registry/school.entity';
import { buildMonitoringSchema } from './schema';

export const MONITORING_MIGRATIONS = [
  { name: 'Migration20261128000001_registry', class: Migration20261128000001_registry },
  { name: 'Migration20261128000002_collection', class: Migration20261128000002_collection },
];

export type MonitoringService = RunningService & { collector: Collector };

/** Opens the district database (migrating it), serves the monitoring subgraph and its exports, and runs the nightly collection. */
export async function startMonitoring(config: MonitoringConfig, options: { verifier?: TokenVerifier; log?: (e: unknown) => void } = {}): Promise<MonitoringService> {
  const log = options.log ?? ((e: unknown) => console.error(`[monitoring] ${e instanceof Error ? e.message : String(e)}`));
  let service: RunningService | undefined;
  const { gatewayUrl } = config.collection;
  const collector = new Collector({
    em: () => service!.em() as EntityManager,
    gatewayUrl: typeof gatewayUrl === 'function' ? gatewayUrl : () => gatewayUrl,
    token: serviceAccountTokens(config.collection.tokenUrl, config.collection.clientId, config.collection.clientSecret),
    timezone: config.collection.timezone,
    retryDelayMs: config.collection.retryDelayMs,
    log: (m) => log(m),
  });
  service = await startService<MonitoringContext>({
    name: 'monitoring',
    database: { url: config.databaseUrl, schema: 'monitoring', entities: [SchoolRecord], migrations: MONITORING_MIGRATIONS },
    schema: buildMonitoringSchema,
    auth: config.auth,
    production: config.production,
    port: config.port,
    host: config.host,
    sqlLog: config.sqlLog,
    context: (viewer, em, req) => ({ viewer, em, loaders: {}, schoolId: '', collector, ...requestMeta(req.headers) }),
    routes: (app, authenticate) => exportRoutes(app, authenticate, { collector, em: () => service!.em() as EntityManager, gatewayUrl: collector.gatewayUrl }, log),
    ...options,
    log,
  });
  const nightly = config.collection.nightlyAt ? scheduleNightly(collector, config.collection.nightlyAt, (m) => log(m)) : undefined;
  const running = service;
  return {
    ...running,
    collector,
    close: async () => {
      nightly?.stop();
      await running.close();
    },
  };
}
