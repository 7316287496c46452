import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Request, type RequestHandler, type Response, type NextFunction } from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLSchema } from 'graphql';
import { HttpDrain } from './drain';
import { jsonErrors, notFound } from './http-errors';
import { databaseUnavailableReason, DomainError, ErrorCode, formatError } from './errors';
import { noticeLog, serviceLogger } from './observability/logger';
import { ServiceMetrics } from './observability/metrics';
import { failedChecks, ReadinessNotices, type ReadinessCheck } from './observability/readiness';
import { metricsEndpoint, observeRequests, requestObservation, withRequestRecord } from './observability/requests';
import { bearerToken, type TokenVerifier, type Viewer } from './viewer';

export interface SubgraphServerOptions<Ctx extends BaseContext> {
  name: string;
  schema: GraphQLSchema;
  verifier: TokenVerifier;
  production: boolean;
  /** Builds the per-request context (forked EntityManager, fresh loaders). */
  context: (viewer: Viewer, request: Request) => Promise<Ctx> | Ctx;
  /** How the server is named in log lines and metrics (default: `{ service: name }`); a school's instance adds its school. */
  identity?: { service: string; school?: string };
  /** Facts shown by /health and /ready (e.g. the school). */
  info?: Record<string, unknown>;
  /** What /ready checks besides the token keys (e.g. `database`: a ping). */
  checks?: Record<string, ReadinessCheck>;
  /** The server's metrics, when the caller adds series of its own (default: new). */
  metrics?: ServiceMetrics;
  /** The bearer /metrics asks for; unset: /metrics is open. */
  metricsToken?: string;
  /** Extra HTTP routes (e.g. file exports); `authenticate` puts the verified viewer on `req.viewer`, like /graphql. */
  routes?: (app: express.Express, authenticate: RequestHandler) => void;
  /**
   * Decided right after the token is verified, before any field runs: may this
   * viewer call this instance at all? (A school instance admits only tokens
   * that reach its school, whatever field or route is asked.)
   */
  admit?: (viewer: Viewer) => boolean;
  /** Unexpected errors (the error object) and one-line notices (strings: a request the database failed, readiness changes); default: the structured log. */
  log?: (error: unknown) => void;
  /** How long requests in flight may take to finish on close (default 5 s). */
  drainMs?: number;
  /** How long /ready waits for each check before answering 503 (default 2.5 s: under the probes' 3 s timeout). */
  readyTimeoutMs?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  /** GraphQL requests received (authenticated or not); tests count calls with it. */
  stats: { requests: number };
  metrics: ServiceMetrics;
  /** Drains (readiness false, requests in flight finish, new ones 503 SERVICE_STOPPING) and stops; safe to call twice. */
  close(): Promise<void>;
}

function unauthenticated(res: Response, message: string): void {
  res
    .status(401)
    .set('WWW-Authenticate', 'Bearer')
    .json({ errors: [{ message, extensions: { code: ErrorCode.Unauthenticated } }] });
}

function forbidden(res: Response, message: string): void {
  res.status(403).json({ errors: [{ message, extensions: { code: ErrorCode.Forbidden } }] });
}

/** One log line per request the database failed (not one stack per field): service, request id, code, short reason. */
function databaseFailureLog<Ctx extends BaseContext>(service: string, log: (line: string) => void): ApolloServerPlugin<Ctx> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue, request }) {
          const reasons = errors.map((e) => databaseUnavailableReason(e)).filter((r): r is string => r !== undefined);
          if (reasons.length === 0) return;
          const requestId = (contextValue as { requestId?: unknown }).requestId ?? request.http?.headers.get('x-request-id') ?? '-';
          log(
            `[${service}] request ${String(requestId)}: ${ErrorCode.DatabaseUnavailable} (${reasons[0]})${reasons.length > 1 ? ` in ${reasons.length} fields` : ''}`,
          );
        },
      };
    },
  };
}

/** A roster file of 5,000 rows is about 1 MB; the gateway forwards at most its own limit. */
const SUBGRAPH_BODY_LIMIT_BYTES = 2 * 1024 * 1024;

/**
 * Every subgraph is served the same way: /health (liveness), /ready
 * (readiness: token keys and the caller's checks, e.g. the database),
 * /metrics, and /graphql behind token verification — nothing, `_service` and
 * `_entities` included, answers a caller without a valid token. Each request
 * gets an id and one log line (observability/requests.ts). Stopping drains:
 * see HttpDrain.
 */
export async function startSubgraphServer<Ctx extends BaseContext>(
  options: SubgraphServerOptions<Ctx>,
  port: number,
  host = '127.0.0.1',
): Promise<RunningServer> {
  const identity = options.identity ?? { service: options.name };
  const logger = serviceLogger(identity);
  const metrics = options.metrics ?? new ServiceMetrics(identity);
  const log = options.log ?? noticeLog(logger);
  const apollo = new ApolloServer<Ctx>({
    schema: options.schema,
    introspection: !options.production,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    // The process has one signal handler (lifecycle.ts); Apollo's own would race it and,
    // with two stop() calls at once, never return from the second.
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginInlineTraceDisabled(), requestObservation<Ctx>(), databaseFailureLog<Ctx>(options.name, log)],
    formatError: (formatted, error) => formatError(formatted, error, log),
  });
  await apollo.start();

  const stats = { requests: 0 };
  const drain = new HttpDrain(options.name);
  const app = express();
  app.disable('x-powered-by');
  // Liveness: the process answers. A database outage makes the instance unready, not dead (no restart for it).
  app.get('/health', (_req, res) => {
    if (drain.stopping) return void res.status(503).set('connection', 'close').json({ status: 'stopping', service: options.name });
    res.json({ status: 'ok', service: options.name, ...options.info });
  });
  // Readiness: may requests be sent here? Token keys at hand, and the caller's checks (the database answers).
  const notices = new ReadinessNotices((line) => log(`[${options.name}] ${line}`));
  const checks: Record<string, ReadinessCheck> = {
    ...options.checks,
    tokenKeys: async () => {
      if (!(await options.verifier.keysLoaded())) throw new Error('Keycloak keys not loaded');
    },
  };
  app.get('/ready', async (_req, res) => {
    if (drain.stopping) return void res.status(503).set('connection', 'close').json({ status: 'stopping', service: options.name });
    const failed = await failedChecks(checks, options.readyTimeoutMs ?? 2_500);
    notices.observe(failed);
    if (failed.size === 0) return void res.json({ status: 'ready', service: options.name, ...options.info });
    res
      .status(503)
      .json({ status: 'not ready', service: options.name, ...options.info, notReady: Object.fromEntries([...failed].map(([name, p]) => [name, p.short])) });
  });
  app.get('/metrics', metricsEndpoint(metrics, options.metricsToken));
  app.use(observeRequests({ logger, metrics }));
  app.use(drain.middleware);
  const authenticate = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    stats.requests++;
    let viewer: Viewer;
    try {
      viewer = await options.verifier.verify(bearerToken(req.headers.authorization));
    } catch (error) {
      return unauthenticated(res, error instanceof DomainError ? error.message : 'Требуется вход');
    }
    if (options.admit && !options.admit(viewer)) return forbidden(res, `Токен не даёт доступа к службе ${options.name}`);
    (req as Request & { viewer?: Viewer }).viewer = viewer;
    next();
  };
  app.use(
    '/graphql',
    authenticate,
    express.json({ limit: SUBGRAPH_BODY_LIMIT_BYTES }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => withRequestRecord(await options.context((req as Request & { viewer: Viewer }).viewer, req), res),
    }),
  );
  options.routes?.(app, authenticate);
  // Malformed JSON, an oversized body, an unknown path: a JSON answer without stack, like the gateway's.
  app.use(notFound);
  app.use(jsonErrors(SUBGRAPH_BODY_LIMIT_BYTES, (message) => log(`[${options.name}] ${message}`)));

  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  const actualPort = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${actualPort}/graphql`,
    port: actualPort,
    stats,
    metrics,
    close: () =>
      (closing ??= (async () => {
        await drain.close(server, options.drainMs);
        await apollo.stop();
      })()),
  };
}
