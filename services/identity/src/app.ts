import {
  noticeLog,
  requestMeta,
  RunExecutor,
  scheduleDaily,
  serviceAccountTokens,
  serviceLogger,
  ServiceMetrics,
  startService,
  TokenVerifier,
  type RunningService,
  type Viewer,
} from '@district/kit';
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
import { GatewayClient } from './gateway-client';
import { NightlyAccountFix } from './provisioning/nightly-fix';
import { ProvisioningService } from './provisioning/provisioning.service';
import { buildIdentitySchema } from './schema';

export const IDENTITY_MIGRATIONS = [
  { name: 'Migration20261207000001_identity', class: Migration20261207000001_identity },
  { name: 'Migration20261207000002_provisioning_runs', class: Migration20261207000002_provisioning_runs },
];

export type IdentityService = RunningService & { sync: AccountSync; keycloak: KeycloakAdmin; nightlyFix: NightlyAccountFix };

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
  const people = new GatewayClient(typeof gatewayUrl === 'function' ? gatewayUrl : () => gatewayUrl);
  let service: RunningService | undefined;
  const sync = new AccountSync(
    keycloak,
    () => service!.em() as EntityManager,
    (m) => log(m),
  );
  // One provisioning run at a time in this process: each is a stream of Admin API calls already.
  const runs = new RunExecutor({ table: 'identity.provisioning_run', em: () => service!.em() as EntityManager, concurrency: 1, log: (m) => log(m) });
  const verifier = options.verifier ?? new TokenVerifier(config.auth);
  const provisioningDeps = { keycloak, people, sync, runs };
  const nightlyFix = new NightlyAccountFix({
    // From the tokens' issuer (not KEYCLOAK_ADMIN_URL): a token is verified against its issuer URL.
    token: serviceAccountTokens(`${config.auth.issuer}/protocol/openid-connect/token`, config.keycloak.clientId, config.keycloak.clientSecret),
    verifier,
    gateway: people,
    provisioning: (viewer: Viewer, requestId: string) =>
      new ProvisioningService({ viewer, em: service!.em() as EntityManager, requestId, client: 'identity-nightly' }, provisioningDeps),
    log: (m) => log(m),
  });
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
        provisioning: new ProvisioningService(request, provisioningDeps),
        ...meta,
      };
    },
    ...serviceOptions,
    verifier,
    log,
  });
  await runs.start();
  sync.start(config.syncMinutes);
  const nightly = config.nightlyFixAt
    ? scheduleDaily(
        config.timezone,
        config.nightlyFixAt,
        async (day) => void (await nightlyFix.run(day)),
        (m) => log(`nightly account fix: ${m}`),
      )
    : undefined;
  const running = service;
  return {
    ...running,
    sync,
    keycloak,
    nightlyFix,
    close: async () => {
      nightly?.stop();
      await sync.stop();
      await runs.stop(10_000);
      await running.close();
    },
  };
}
