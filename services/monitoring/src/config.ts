import { authSettings, commonEnv, loadConfig, z } from '@district/kit';

const schema = z.object({
  ...commonEnv,
  PORT: z.coerce.number().int().min(0).max(65535).default(4100),
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/district'),
});

export interface MonitoringConfig {
  port: number;
  host?: string;
  sqlLog?: boolean;
  databaseUrl: string;
  production: boolean;
  auth: ReturnType<typeof authSettings>;
}

export function monitoringConfigFromEnv(env: Record<string, string | undefined> = process.env): MonitoringConfig {
  const c = loadConfig(schema, env);
  return {
    port: c.PORT,
    host: c.HOST,
    sqlLog: c.SQL_LOG === '1',
    databaseUrl: c.DATABASE_URL,
    production: c.NODE_ENV === 'production',
    auth: authSettings(c.KEYCLOAK_URL, c.KEYCLOAK_REALM, c.TOKEN_AUDIENCE),
  };
}
