import { authSettings, commonEnv, dailyAtEnv, loadConfig, tokenUrlOf, z } from '@district/kit';

const schema = z.object({
  ...commonEnv,
  PORT: z.coerce.number().int().min(0).max(65535).default(4100),
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/district'),
  /** Where monitoring reaches every school: the gateway's school router. */
  GATEWAY_URL: z.string().url().default('http://127.0.0.1:4000/graphql'),
  MONITORING_CLIENT_ID: z.string().default('district-monitoring'),
  /** The demo realm's committed secret is the default outside production only (see monitoringConfigFromEnv). */
  MONITORING_CLIENT_SECRET: z.string().min(1).default('district-monitoring-secret'),
  /** Months and the nightly run are in the district's time zone. */
  DISTRICT_TIMEZONE: z.string().default('Europe/Moscow'),
  /** Local time of the nightly collection (inside the 02:00–06:00 maintenance window), or "off". */
  COLLECT_AT: dailyAtEnv('03:00'),
});

export interface CollectionConfig {
  /** The gateway URL, or a getter when the gateway starts after monitoring (the in-process district). */
  gatewayUrl: string | (() => string | undefined);
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  timezone: string;
  /** HH:MM district time, or null for no schedule (collection on demand only). */
  nightlyAt: string | null;
  /** Pause before a failed school is asked once more in the same run (default 2 s). */
  retryDelayMs?: number;
}

export interface MonitoringConfig {
  port: number;
  host?: string;
  sqlLog?: boolean;
  databaseUrl: string;
  production: boolean;
  auth: ReturnType<typeof authSettings>;
  collection: CollectionConfig;
  /** The bearer /metrics asks for (unset: open). */
  metricsToken?: string;
}

/** With NODE_ENV=production the demo defaults (the local district database, the committed client secret) are refused. */
export function monitoringConfigFromEnv(env: Record<string, string | undefined> = process.env): MonitoringConfig {
  const c = loadConfig(schema, env, { requiredInProduction: ['DATABASE_URL', 'MONITORING_CLIENT_SECRET'] });
  return {
    port: c.PORT,
    host: c.HOST,
    sqlLog: c.SQL_LOG === '1',
    databaseUrl: c.DATABASE_URL,
    production: c.NODE_ENV === 'production',
    auth: authSettings(c.KEYCLOAK_URL, c.KEYCLOAK_REALM, c.TOKEN_AUDIENCE),
    collection: {
      gatewayUrl: c.GATEWAY_URL,
      tokenUrl: tokenUrlOf(c.KEYCLOAK_URL, c.KEYCLOAK_REALM),
      clientId: c.MONITORING_CLIENT_ID,
      clientSecret: c.MONITORING_CLIENT_SECRET,
      timezone: c.DISTRICT_TIMEZONE,
      nightlyAt: c.COLLECT_AT === 'off' ? null : c.COLLECT_AT,
    },
    metricsToken: c.METRICS_TOKEN,
  };
}
