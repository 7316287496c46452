import { noticeLog, requestMeta, serviceAccountTokens, serviceLogger, startService, type RunningService, type TokenVerifier } from '@district/kit';
import { Migration20261208000001_portal } from '../migrations/Migration20261208000001_portal';
import type { PortalConfig } from './config';
import type { PortalContext } from './context';
import { PortalService } from './portal.service';
import { buildPortalSchema } from './schema';

export const PORTAL_MIGRATIONS = [{ name: 'Migration20261208000001_portal', class: Migration20261208000001_portal }];

export type PortalSubgraph = RunningService;

/** Opens the district database (the portal schema and its access log, migrated) and serves the portal subgraph. */
export async function startPortal(config: PortalConfig, options: { verifier?: TokenVerifier; log?: (e: unknown) => void } = {}): Promise<PortalSubgraph> {
  const log = options.log ?? noticeLog(serviceLogger({ service: 'portal' }));
  const { gatewayUrl } = config;
  const deps = {
    gatewayUrl: typeof gatewayUrl === 'function' ? gatewayUrl : () => gatewayUrl,
    serviceToken: serviceAccountTokens(config.tokenUrl, config.clientId, config.clientSecret),
    identityKeySecret: config.identityKeySecret,
    timeoutMs: config.timeoutMs,
  };
  return startService<PortalContext>({
    name: 'portal',
    database: { url: config.databaseUrl, schema: 'portal', entities: [], migrations: PORTAL_MIGRATIONS },
    schema: buildPortalSchema,
    auth: config.auth,
    production: config.production,
    port: config.port,
    host: config.host,
    sqlLog: config.sqlLog,
    metricsToken: config.metricsToken,
    context: (viewer, em, req) => {
      const meta = requestMeta(req.headers);
      return { viewer, em, loaders: {}, ...meta, portal: new PortalService({ viewer, em, ...meta }, deps) };
    },
    ...options,
    log,
  });
}
