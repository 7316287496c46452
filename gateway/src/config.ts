import { loadConfig, z } from '@district/kit';
import { DEFAULT_LIMITS, type QueryLimits } from './limits';
import { DEFAULT_PORTAL_RATE_LIMIT, type RateLimit } from './rate-limit';

export const DEFAULT_BODY_LIMIT_KB = 1024;

/** The secret committed in the demo realm: fine on a laptop, never in production. */
export const DEMO_GATEWAY_CLIENT_SECRET = 'district-gateway-secret';

const PLACEHOLDER_SECRET = /^REPLACE_ME/;

const base = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('0.0.0.0'),
  KEYCLOAK_URL: z.string().url().default('http://localhost:8080'),
  KEYCLOAK_REALM: z.string().default('district'),
  TOKEN_AUDIENCE: z.string().default('district-api'),
  MONITORING_URL: z.string().url().default('http://127.0.0.1:4100/graphql'),
  IDENTITY_URL: z.string().url().default('http://127.0.0.1:4200/graphql'),
  PORTAL_URL: z.string().url().default('http://127.0.0.1:4300/graphql'),
  GATEWAY_CLIENT_ID: z.string().default('district-gateway'),
  SCHOOL_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3_000),
  REGISTRY_REFRESH_MS: z.coerce.number().int().min(500).default(30_000),
  LIMIT_DEPTH: z.coerce.number().int().min(2).default(DEFAULT_LIMITS.maxDepth),
  LIMIT_ALIASES: z.coerce.number().int().min(0).default(DEFAULT_LIMITS.maxAliases),
  LIMIT_COST: z.coerce.number().int().min(1).default(DEFAULT_LIMITS.maxCost),
  LIMIT_TOKENS: z.coerce.number().int().min(100).default(DEFAULT_LIMITS.maxTokens),
  /** Largest request body /graphql accepts: a whole school's roster CSV (5000 rows, ~850 kB) still goes through the API in one request. */
  BODY_LIMIT_KB: z.coerce.number().int().min(16).max(10_240).default(DEFAULT_BODY_LIMIT_KB),
  /** A request still unanswered after this gets a 504; above the per-school timeout, since a plan may call schools in sequence. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /** How long a stopping gateway lets requests in flight finish before it cuts them. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  SUPERGRAPH_PATH: z.string().optional(),
  /** The built web app (clients/web/dist) to serve at `/`; unset: no web app, only the API (and `/config.json`). */
  WEB_ROOT: z.string().min(1).optional(),
  /** Keycloak as browsers reach it (told to the web app in `/config.json`, allowed in its CSP); default KEYCLOAK_URL. */
  PUBLIC_KEYCLOAK_URL: z.string().url().optional(),
  /** The public OIDC client the web app logs in with. */
  WEB_CLIENT_ID: z.string().min(1).default('district-web'),
  /** The bearer /metrics asks for. In production /metrics is served only when it is set (this port is public). */
  METRICS_TOKEN: z
    .string()
    .min(16, 'at least 16 characters')
    .refine((v) => !PLACEHOLDER_SECRET.test(v), 'still the template placeholder (REPLACE_ME…)')
    .optional(),
  /** The state portal's persisted-operation manifest (default gateway/portal-operations.json): the only operations a `portal` token runs. */
  PORTAL_OPERATIONS: z.string().min(1).optional(),
  /** Requests per minute each portal client (token `azp`) may send, per gateway replica. */
  PORTAL_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(DEFAULT_PORTAL_RATE_LIMIT.perMinute),
  /** Requests a rested portal client may send at once. */
  PORTAL_RATE_BURST: z.coerce.number().int().min(1).default(DEFAULT_PORTAL_RATE_LIMIT.burst),
});

/**
 * The gateway's own Keycloak client secret: in development and tests the demo
 * realm's, in production it must be given (and be neither the demo secret nor
 * the template placeholder), so a forgotten variable stops the process at start
 * instead of running with a secret everyone can read in the repository.
 */
function clientSecret(production: boolean) {
  if (!production) return z.string().min(1).default(DEMO_GATEWAY_CLIENT_SECRET);
  return z
    .string({ required_error: 'required with NODE_ENV=production (the Keycloak secret of client district-gateway)' })
    .min(1, 'required with NODE_ENV=production (the Keycloak secret of client district-gateway)')
    .refine((v) => v !== DEMO_GATEWAY_CLIENT_SECRET, 'the demo realm’s secret is not allowed with NODE_ENV=production')
    .refine((v) => !PLACEHOLDER_SECRET.test(v), 'still the template placeholder (REPLACE_ME…)');
}

export interface GatewayConfig {
  port: number;
  host: string;
  production: boolean;
  keycloakUrl: string;
  realm: string;
  audience: string;
  monitoringUrl: string;
  /** The identity subgraph (account administration); unset: its fields answer that it is not configured. */
  identityUrl?: string;
  /** The portal subgraph (the state portal's questions); unset: its fields answer that it is not configured. */
  portalUrl?: string;
  gatewayClientId: string;
  gatewayClientSecret: string;
  schoolTimeoutMs: number;
  registryRefreshMs: number;
  limits: QueryLimits;
  supergraphPath?: string;
  /** Largest /graphql body in bytes (default 1 MB). */
  bodyLimitBytes?: number;
  /** A request unanswered after this gets a retryable 504 (default 30 s). */
  requestTimeoutMs?: number;
  /** How long close() lets requests in flight finish (default 5 s). */
  shutdownGraceMs?: number;
  /** Folder of the built web app served at `/` (must hold index.html); undefined: none. */
  webRoot?: string;
  /** Keycloak's URL as browsers reach it (default `keycloakUrl`). */
  publicKeycloakUrl?: string;
  /** The web app's OIDC client (default `district-web`). */
  webClientId?: string;
  /** The bearer /metrics asks for; unset: open outside production, not served in production. */
  metricsToken?: string;
  /** The portal's persisted-operation manifest (default PORTAL_OPERATIONS_FILE). */
  portalOperationsPath?: string;
  /** Each portal client's token bucket (default 120 a minute, burst 20). */
  portalRateLimit?: RateLimit;
}

/** All of the gateway's environment, read and checked in one place. */
export function gatewayConfigFromEnv(env: Record<string, string | undefined> = process.env): GatewayConfig {
  const c = loadConfig(base.extend({ GATEWAY_CLIENT_SECRET: clientSecret(env.NODE_ENV === 'production') }), env);
  return {
    port: c.PORT,
    host: c.HOST,
    production: c.NODE_ENV === 'production',
    keycloakUrl: c.KEYCLOAK_URL,
    realm: c.KEYCLOAK_REALM,
    audience: c.TOKEN_AUDIENCE,
    monitoringUrl: c.MONITORING_URL,
    identityUrl: c.IDENTITY_URL,
    portalUrl: c.PORTAL_URL,
    gatewayClientId: c.GATEWAY_CLIENT_ID,
    gatewayClientSecret: c.GATEWAY_CLIENT_SECRET,
    schoolTimeoutMs: c.SCHOOL_TIMEOUT_MS,
    registryRefreshMs: c.REGISTRY_REFRESH_MS,
    limits: {
      maxDepth: c.LIMIT_DEPTH,
      maxAliases: c.LIMIT_ALIASES,
      maxCost: c.LIMIT_COST,
      maxTokens: c.LIMIT_TOKENS,
      defaultListSize: DEFAULT_LIMITS.defaultListSize,
    },
    supergraphPath: c.SUPERGRAPH_PATH,
    bodyLimitBytes: c.BODY_LIMIT_KB * 1024,
    requestTimeoutMs: c.REQUEST_TIMEOUT_MS,
    shutdownGraceMs: c.SHUTDOWN_GRACE_MS,
    webRoot: c.WEB_ROOT,
    publicKeycloakUrl: c.PUBLIC_KEYCLOAK_URL ?? c.KEYCLOAK_URL,
    webClientId: c.WEB_CLIENT_ID,
    metricsToken: c.METRICS_TOKEN,
    portalOperationsPath: c.PORTAL_OPERATIONS,
    portalRateLimit: { perMinute: c.PORTAL_RATE_LIMIT_PER_MINUTE, burst: c.PORTAL_RATE_BURST },
  };
}
