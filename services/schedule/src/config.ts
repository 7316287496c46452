import { authSettings, commonEnv, loadConfig, z } from '@district/kit';

const schema = z.object({
  ...commonEnv,
  PORT: z.coerce.number().int().min(0).max(65535).default(4201),
  SCHOOL_ID: z.string().regex(/^s\d{3,}$/, 'a school code such as s001'),
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/district_s001'),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
});

export interface ScheduleConfig {
  schoolId: string;
  port: number;
  host?: string;
  sqlLog?: boolean;
  /** The school's database; the people service must have migrated it first (schedule reads its views). */
  databaseUrl: string;
  production: boolean;
  auth: ReturnType<typeof authSettings>;
  poolMax: number;
}

/** All of the schedule service's environment, read and checked in one place. */
export function scheduleConfigFromEnv(env: Record<string, string | undefined> = process.env): ScheduleConfig {
  const c = loadConfig(schema, env);
  return {
    schoolId: c.SCHOOL_ID,
    port: c.PORT,
    host: c.HOST,
    sqlLog: c.SQL_LOG === '1',
    databaseUrl: c.DATABASE_URL,
    production: c.NODE_ENV === 'production',
    auth: authSettings(c.KEYCLOAK_URL, c.KEYCLOAK_REALM, c.TOKEN_AUDIENCE),
    poolMax: c.DB_POOL_MAX,
  };
}
