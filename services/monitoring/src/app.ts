import { requestMeta, startService, type RunningService, type TokenVerifier } from '@district/kit';
import { Migration20261128000001_registry } from '../migrations/Migration20261128000001_registry';
import type { MonitoringConfig } from './config';
import type { MonitoringContext } from './context';
import { SchoolRecord } from './registry/school.entity';
import { buildMonitoringSchema } from './schema';

export const MONITORING_MIGRATIONS = [{ name: 'Migration20261128000001_registry', class: Migration20261128000001_registry }];

export type MonitoringService = RunningService;

/** Opens the district database (migrating it) and serves the monitoring subgraph. */
export function startMonitoring(config: MonitoringConfig, options: { verifier?: TokenVerifier; log?: (e: unknown) => void } = {}): Promise<MonitoringService> {
  return startService<MonitoringContext>({
    name: 'monitoring',
    database: { url: config.databaseUrl, schema: 'monitoring', entities: [SchoolRecord], migrations: MONITORING_MIGRATIONS },
    schema: buildMonitoringSchema,
    auth: config.auth,
    production: config.production,
    port: config.port,
    host: config.host,
    sqlLog: config.sqlLog,
    context: (viewer, em, req) => ({ viewer, em, loaders: {}, schoolId: '', ...requestMeta(req.headers) }),
    ...options,
  });
}
