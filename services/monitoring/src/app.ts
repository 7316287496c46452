import {
  noticeLog,
  requestMeta,
  serviceAccountTokens,
  serviceLogger,
  ServiceMetrics,
  startService,
  type RunningService,
  type TokenVerifier,
} from '@district/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Migration20261128000001_registry } from '../migrations/Migration20261128000001_registry';
import { Migration20261128000002_collection } from '../migrations/Migration20261128000002_collection';
import { Migration20261202000001_collection_runs } from '../migrations/Migration20261202000001_collection_runs';
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
  { name: 'Migration20261202000001_collection_runs', class: Migration20261202000001_collection_runs },
];

export type MonitoringService = RunningService & { collector: Collector };

/** Opens the district database (migrating it), serves the monitoring subgraph and its exports, and runs the nightly collection. */
export async function startMonitoring(
  config: MonitoringConfig,
  options: { verifier?: TokenVerifier; log?: (e: unknown) => void } = {},
): Promise<MonitoringService> {
  const log = options.log ?? noticeLog(serviceLogger({ service: 'monitoring' }));
  let service: RunningService | undefined;
  const { gatewayUrl } = config.collection;
  const metrics = new ServiceMetrics({ service: 'monitoring' });
  const collectionRuns = metrics.counter({
    name: 'district_monitoring_collection_runs_total',
    help: 'Monitoring collection runs finished, by outcome (SUCCEEDED, PARTIAL, FAILED)',
    labelNames: ['outcome'],
  });
  const collector = new Collector({
    em: () => service!.em() as EntityManager,
    gatewayUrl: typeof gatewayUrl === 'function' ? gatewayUrl : () => gatewayUrl,
    token: serviceAccountTokens(config.collection.tokenUrl, config.collection.clientId, config.collection.clientSecret),
    timezone: config.collection.timezone,
    retryDelayMs: config.collection.retryDelayMs,
    log: (m) => log(m),
    runFinished: (state) => collectionRuns.inc({ outcome: state }),
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
    metrics,
    metricsToken: config.metricsToken,
    context: (viewer, em, req) => ({ viewer, em, loaders: {}, collector, ...requestMeta(req.headers) }),
    routes: (app, authenticate) =>
      exportRoutes(app, authenticate, { collector, em: () => service!.em() as EntityManager, gatewayUrl: collector.gatewayUrl }, log),
    ...options,
    log,
  });
  await collector.open();
  const nightly = config.collection.nightlyAt ? scheduleNightly(collector, config.collection.nightlyAt, (m) => log(m)) : undefined;
  const running = service;
  return {
    ...running,
    collector,
    close: async () => {
      nightly?.stop();
      await collector.close();
      await running.close();
    },
  };
}
