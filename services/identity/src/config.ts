import { authSettings, commonEnv, dailyAtEnv, loadConfig, z } from '@district/kit';

const schema = z.object({
  ...commonEnv,
  PORT: z.coerce.number().int().min(0).max(65535).default(4200),
  /** The district database (the identity schema beside monitoring's). */
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/district'),
  /** Where the Admin API and the token endpoint answer; default KEYCLOAK_URL (which stays the tokens' issuer). */
  KEYCLOAK_ADMIN_URL: z.string().url().optional(),
  IDENTITY_CLIENT_ID: z.string().default('district-identity'),
  /** The demo realm's committed secret is the default outside production only. */
  IDENTITY_CLIENT_SECRET: z.string().min(1).default('district-identity-secret'),
  /** One Admin API call's deadline; past it the change answers IDENTITY_UNAVAILABLE. */
  KEYCLOAK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /** Where identity reads the schools' people (with the caller's token): the gateway's school router. */
  GATEWAY_URL: z.string().url().default('http://127.0.0.1:4000/graphql'),
  /** Minutes between full reads of Keycloak's accounts into the account list (0: only at start and on demand). */
  ACCOUNT_SYNC_MINUTES: z.coerce.number().int().min(0).max(1440).default(10),
  /** The nights are the district's. */
  DISTRICT_TIMEZONE: z.string().default('Europe/Moscow'),
  /** Local time of the nightly account fix of every started school (after the 03:00 collection, inside the 02:00–06:00 window), or "off". */
  ACCOUNT_FIX_AT: dailyAtEnv('04:00'),
});

export interface KeycloakAdminConfig {
  /** Base URL of Keycloak for the Admin API (no /admin suffix). */
  url: string;
  realm: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
}

export interface IdentityConfig {
  port: number;
  host?: string;
  sqlLog?: boolean;
  databaseUrl: string;
  production: boolean;
  auth: ReturnType<typeof authSettings>;
  keycloak: KeycloakAdminConfig;
  /** The gateway URL, or a getter when the gateway starts after identity (the in-process demo district). */
  gatewayUrl: string | (() => string | undefined);
  /** 0: no periodic sync. */
  syncMinutes: number;
  timezone: string;
  /** HH:MM district time of the nightly account fix, or null for none (fixes on demand only). */
  nightlyFixAt: string | null;
  metricsToken?: string;
}

/** With NODE_ENV=production the demo defaults (the local district database, the committed client secret) are refused. */
export function identityConfigFromEnv(env: Record<string, string | undefined> = process.env): IdentityConfig {
  const c = loadConfig(schema, env, { requiredInProduction: ['DATABASE_URL', 'IDENTITY_CLIENT_SECRET'] });
  return {
    port: c.PORT,
    host: c.HOST,
    sqlLog: c.SQL_LOG === '1',
    databaseUrl: c.DATABASE_URL,
    production: c.NODE_ENV === 'production',
    auth: authSettings(c.KEYCLOAK_URL, c.KEYCLOAK_REALM, c.TOKEN_AUDIENCE),
    keycloak: {
      url: (c.KEYCLOAK_ADMIN_URL ?? c.KEYCLOAK_URL).replace(/\/$/, ''),
      realm: c.KEYCLOAK_REALM,
      clientId: c.IDENTITY_CLIENT_ID,
      clientSecret: c.IDENTITY_CLIENT_SECRET,
      timeoutMs: c.KEYCLOAK_TIMEOUT_MS,
    },
    gatewayUrl: c.GATEWAY_URL,
    syncMinutes: c.ACCOUNT_SYNC_MINUTES,
    timezone: c.DISTRICT_TIMEZONE,
    nightlyFixAt: c.ACCOUNT_FIX_AT === 'off' ? null : c.ACCOUNT_FIX_AT,
    metricsToken: c.METRICS_TOKEN,
  };
}
