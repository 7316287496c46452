import { noticeLog, requestMeta, RunExecutor, serviceLogger, ServiceMetrics, startService, type RunningService, type TokenVerifier } from '@district/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Migration20261207000001_identity } from '../migrations/Migration20261207000001_identity';
import { Migration20261207000002_provisioning_runs } from '../migrations/Migration20261207000002_provisioning_runs';
import { AccountRecord } from './accounts/account.entity';
import { AccountService } from './accounts/account.service';
import { AccountSync } from './accounts/account-sync';
import type { IdentityConfig } from './config';
import type { IdentityContext } from './context';
import { KeycloakAdmin } from './keycloak/keycloak-admin';
import { identityLoaders } from './loaders';
import { PeopleClient } from './people-client';
import { ProvisioningService } from './provisioning/provisioning.service';
import { buildIdentitySchema } from './schema';

export const IDENTITY_MIGRATIONS = [
  { name: 'Migration20261207000001_identity', class: Migration20261207000001_identity },
  { name: 'Migration20261207000002_provisioning_runs', class: Migration20261207000002_provisioning_runs },
];

export type IdentityService = RunningService & { sync: AccountSync; keycloak: KeycloakAdmin };

/** Opens the district database (the identity schema, migrated), serves the identity subgraph and keeps the account copy in step with Keycloak. */
export async function startIdentity(
  config: IdentityConfig,
  options: { verifier?: TokenVerifier; log?: (e: unknown) => void; beforeKeycloakCall?: (call: string) => void | Promise<void> } = {},
): Promise<IdentityService> {
  const { beforeKeycloakCall, ...serviceOptions } = options;
  const log = options.log ?? noticeLog(serviceLogger({ service: 'identity' }));
  const metrics = new ServiceMetrics({ service: 'identity' });
  const keycloakCalls = metrics.counter({
    name: 'district_identity_keycloak_calls_total',
    help: 'Keycloak Admin API calls identity made, by call',
    labelNames: ['call'],
  });
  const keycloak = new KeycloakAdmin(config.keycloak, async (call) => {
    keycloakCalls.inc({ call });
    await beforeKeycloakCall?.(call);
  });
  const { gatewayUrl } = config;
  const people = new PeopleClient(typeof gatewayUrl === 'function' ? gatewayUrl : () => gatewayUrl);
  let service: RunningService | undefined;
  const sync = new AccountSync(
    keycloak,
    () => service!.em() as EntityManager,
    (m) => log(m),
  );
  // One provisioning run at a time in this process: each is a stream of Admin API calls already.
  const runs = new RunExecutor({ table: 'identity.provisioning_run', em: () => service!.em() as EntityManager, concurrency: 1, log: (m) => log(m) });
  service = await startService<IdentityContext>({
    name: 'identity',
    database: { url: config.databaseUrl, schema: 'identity', entities: [AccountRecord], migrations: IDENTITY_MIGRATIONS },
    schema: buildIdentitySchema,
    auth: config.auth,
    production: config.production,
    port: config.port,
    host: config.host,
    sqlLog: config.sqlLog,
    metrics,
    metricsToken: config.metricsToken,
    context: (viewer, em, req) => {
      const meta = requestMeta(req.headers);
      const request = { viewer, em, ...meta };
      return {
        viewer,
        em,
        loaders: identityLoaders(em),
        accounts: new AccountService(request, { keycloak, people }),
        provisioning: new ProvisioningService(request, { keycloak, people, sync, runs }),
        ...meta,
      };
    },
    ...serviceOptions,
    log,
  });
  await runs.start();
  sync.start(config.syncMinutes);
  const running = service;
  return {
    ...running,
    sync,
    keycloak,
    close: async () => {
      await sync.stop();
      await runs.stop(10_000);
      await running.close();
    },
  };
}
