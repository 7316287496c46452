import { z } from 'zod';

export { z };

export interface LoadConfigOptions {
  /**
   * Variables whose defaults only suit the demo (a database URL, a committed
   * client secret): with NODE_ENV=production they must be set explicitly.
   */
  requiredInProduction?: string[];
}

/**
 * Builds a typed config object from the environment; every problem is
 * reported at once, before the process does anything else.
 */
export function loadConfig<S extends z.ZodTypeAny>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
  options: LoadConfigOptions = {},
): z.infer<S> {
  const result = schema.safeParse(env);
  const issues = result.success ? [] : result.error.issues;
  const lines = issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
  if (env.NODE_ENV === 'production') {
    for (const name of options.requiredInProduction ?? []) {
      if (!env[name] && !issues.some((i) => i.path[0] === name))
        lines.push(`  ${name}: required when NODE_ENV=production (the built-in default is for the demo only)`);
    }
  }
  if (lines.length > 0 || !result.success) throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  return result.data;
}

/** A secret from the environment: long enough, and not the manifests' template placeholder left in place. */
export const secretEnv = (min = 16) =>
  z
    .string()
    .min(min, `at least ${min} characters`)
    .refine((v) => !/^REPLACE_ME/.test(v), 'still the template placeholder (REPLACE_ME…)');

/** Settings every subgraph shares. */
export const commonEnv = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535),
  /** 127.0.0.1 keeps a local instance private; containers set 0.0.0.0. */
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().url(),
  KEYCLOAK_URL: z.string().url().default('http://localhost:8080'),
  KEYCLOAK_REALM: z.string().default('district'),
  TOKEN_AUDIENCE: z.string().default('district-api'),
  SQL_LOG: z.enum(['0', '1']).default('0'),
  /** A bearer token /metrics asks for; unset: /metrics is open (inside the cluster only, see README "Configuration"). */
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
};

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The process's log level (LOG_LEVEL, default info). Read on its own, not in a
 * service's config, because the logger is the process's: the demo and the
 * tests run many services in one process, and they share it.
 */
export function logLevelFromEnv(env: Record<string, string | undefined> = process.env): LogLevel {
  return loadConfig(z.object({ LOG_LEVEL: z.enum(LOG_LEVELS).default('info') }), env).LOG_LEVEL;
}

/** Everything a subgraph needs to verify tokens. */
export interface AuthSettings {
  issuer: string;
  jwksUrl: string;
  audience: string;
}

export function authSettings(keycloakUrl: string, realm: string, audience: string): AuthSettings {
  const issuer = `${keycloakUrl.replace(/\/$/, '')}/realms/${realm}`;
  return { issuer, jwksUrl: `${issuer}/protocol/openid-connect/certs`, audience };
}

/** What every per-school subgraph reads from its environment. */
export interface SchoolServiceConfig {
  schoolId: string;
  port: number;
  host?: string;
  sqlLog?: boolean;
  databaseUrl: string;
  production: boolean;
  auth: AuthSettings;
  poolMax: number;
  /** The bearer /metrics asks for (unset: open). */
  metricsToken?: string;
}

/** The local demo database of a school (`district_<schoolId>`); never used with NODE_ENV=production. */
export function demoSchoolDatabaseUrl(schoolId: string): string {
  return `postgres://postgres@127.0.0.1:5432/district_${schoolId}`;
}

/**
 * Reads a per-school subgraph's settings; each service only names its default
 * port. Outside production the database defaults to the school's own demo
 * database; in production DATABASE_URL must be set (a default could point a
 * school's service at another school's data).
 */
export function schoolServiceConfigFromEnv(defaultPort: number, env: Record<string, string | undefined> = process.env): SchoolServiceConfig {
  const c = loadConfig(
    z.object({
      ...commonEnv,
      PORT: z.coerce.number().int().min(0).max(65535).default(defaultPort),
      SCHOOL_ID: z.string().regex(/^s\d{3,}$/, 'a school code such as s001'),
      DATABASE_URL: z.string().url().optional(),
      DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
    }),
    env,
    { requiredInProduction: ['DATABASE_URL'] },
  );
  return {
    schoolId: c.SCHOOL_ID,
    port: c.PORT,
    host: c.HOST,
    sqlLog: c.SQL_LOG === '1',
    databaseUrl: c.DATABASE_URL ?? demoSchoolDatabaseUrl(c.SCHOOL_ID),
    production: c.NODE_ENV === 'production',
    auth: authSettings(c.KEYCLOAK_URL, c.KEYCLOAK_REALM, c.TOKEN_AUDIENCE),
    poolMax: c.DB_POOL_MAX,
    metricsToken: c.METRICS_TOKEN,
  };
}
