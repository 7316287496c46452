import { authSettings, commonEnv, loadConfig, secretEnv, tokenUrlOf, z } from '@district/kit';

const schema = z.object({
  ...commonEnv,
  PORT: z.coerce.number().int().min(0).max(65535).default(4300),
  /** The district database (the portal schema, its access log, beside monitoring's and identity's). */
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/district'),
  /** Where the portal service asks the schools: the gateway's school router. */
  GATEWAY_URL: z.string().url().default('http://127.0.0.1:4000/graphql'),
  /** The portal service's own Keycloak client (realm role gateway): the schools answer it only. */
  PORTAL_SERVICE_CLIENT_ID: z.string().default('district-portal'),
  /** The demo realm's committed secret is the default outside production only. */
  PORTAL_SERVICE_CLIENT_SECRET: z.string().min(1).default('district-portal-secret'),
  /** The district's secret for SNILS keys: the same value the schools' people services hold. */
  IDENTITY_KEY_SECRET: secretEnv().default('district-identity-key-demo'),
  /** How long the portal waits for all schools together. */
  PORTAL_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(15_000),
});

export interface PortalConfig {
  port: number;
  host?: string;
  sqlLog?: boolean;
  databaseUrl: string;
  production: boolean;
  auth: ReturnType<typeof authSettings>;
  /** The gateway URL, or a getter when the gateway starts after the portal (the in-process demo district). */
  gatewayUrl: string | (() => string | undefined);
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  identityKeySecret: string;
  timeoutMs: number;
  metricsToken?: string;
}

/** With NODE_ENV=production the demo defaults (the local database, the committed secrets) are refused. */
export function portalConfigFromEnv(env: Record<string, string | undefined> = process.env): PortalConfig {
  const c = loadConfig(schema, env, { requiredInProduction: ['DATABASE_URL', 'PORTAL_SERVICE_CLIENT_SECRET', 'IDENTITY_KEY_SECRET'] });
  return {
    port: c.PORT,
    host: c.HOST,
    sqlLog: c.SQL_LOG === '1',
    databaseUrl: c.DATABASE_URL,
    production: c.NODE_ENV === 'production',
    auth: authSettings(c.KEYCLOAK_URL, c.KEYCLOAK_REALM, c.TOKEN_AUDIENCE),
    gatewayUrl: c.GATEWAY_URL,
    tokenUrl: tokenUrlOf(c.KEYCLOAK_URL, c.KEYCLOAK_REALM),
    clientId: c.PORTAL_SERVICE_CLIENT_ID,
    clientSecret: c.PORTAL_SERVICE_CLIENT_SECRET,
    identityKeySecret: c.IDENTITY_KEY_SECRET,
    timeoutMs: c.PORTAL_TIMEOUT_MS,
    metricsToken: c.METRICS_TOKEN,
  };
}
