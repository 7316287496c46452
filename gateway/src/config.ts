import { loadConfig, z } from '@district/kit';
import { DEFAULT_LIMITS, type QueryLimits } from './limits';

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('0.0.0.0'),
  KEYCLOAK_URL: z.string().url().default('http://localhost:8080'),
  KEYCLOAK_REALM: z.string().default('district'),
  TOKEN_AUDIENCE: z.string().default('district-api'),
  MONITORING_URL: z.string().url().default('http://127.0.0.1:4100/graphql'),
  GATEWAY_CLIENT_ID: z.string().default('district-gateway'),
  GATEWAY_CLIENT_SECRET: z.string().min(1).default('district-gateway-secret'),
  SCHOOL_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3_000),
  REGISTRY_REFRESH_MS: z.coerce.number().int().min(500).default(30_000),
  LIMIT_DEPTH: z.coerce.number().int().min(2).default(DEFAULT_LIMITS.maxDepth),
  LIMIT_ALIASES: z.coerce.number().int().min(0).default(DEFAULT_LIMITS.maxAliases),
  LIMIT_COST: z.coerce.number().int().min(1).default(DEFAULT_LIMITS.maxCost),
  LIMIT_TOKENS: z.coerce.number().int().min(100).default(DEFAULT_LIMITS.maxTokens),
  SUPERGRAPH_PATH: z.string().optional(),
});

export interface GatewayConfig {
  port: number;
  host: string;
  production: boolean;
  keycloakUrl: string;
  realm: string;
  audience: string;
  monitoringUrl: string;
  gatewayClientId: string;
  gatewayClientSecret: string;
  schoolTimeoutMs: number;
  registryRefreshMs: number;
  limits: QueryLimits;
  supergraphPath?: string;
}

/** All of the gateway's environment, read and checked in one place. */
export function gatewayConfigFromEnv(env: Record<string, string | undefined> = process.env): GatewayConfig {
  const c = loadConfig(schema, env);
  return {
    port: c.PORT,
    host: c.HOST,
    production: c.NODE_ENV === 'production',
    keycloakUrl: c.KEYCLOAK_URL,
    realm: c.KEYCLOAK_REALM,
    audience: c.TOKEN_AUDIENCE,
    monitoringUrl: c.MONITORING_URL,
    gatewayClientId: c.GATEWAY_CLIENT_ID,
    gatewayClientSecret: c.GATEWAY_CLIENT_SECRET,
    schoolTimeoutMs: c.SCHOOL_TIMEOUT_MS,
    registryRefreshMs: c.REGISTRY_REFRESH_MS,
    limits: { maxDepth: c.LIMIT_DEPTH, maxAliases: c.LIMIT_ALIASES, maxCost: c.LIMIT_COST, maxTokens: c.LIMIT_TOKENS, defaultListSize: DEFAULT_LIMITS.defaultListSize },
    supergraphPath: c.SUPERGRAPH_PATH,
  };
}
