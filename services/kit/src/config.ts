import { z } from 'zod';

export { z };

/**
 * Builds a typed config object from the environment; every problem is
 * reported at once, before the process does anything else.
 */
export function loadConfig<S extends z.ZodTypeAny>(schema: S, env: Record<string, string | undefined> = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

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
};

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
}

/** Reads a per-school subgraph's settings; each service only names its default port. */
export function schoolServiceConfigFromEnv(defaultPort: number, env: Record<string, string | undefined> = process.env): SchoolServiceConfig {
  const c = loadConfig(
    z.object({
      ...commonEnv,
      PORT: z.coerce.number().int().min(0).max(65535).default(defaultPort),
      SCHOOL_ID: z.string().regex(/^s\d{3,}$/, 'a school code such as s001'),
      DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/district_s001'),
      DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
    }),
    env,
  );
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
