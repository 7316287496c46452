import { ApolloGateway, RemoteGraphQLDataSource, type GatewayConfig as ApolloGatewayConfig, type GraphQLDataSource } from '@apollo/gateway';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind } from 'graphql';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import {
  failedChecks,
  formatError,
  HttpDrain,
  jsonErrors,
  metricsEndpoint,
  notFound,
  observeRequests,
  ReadinessNotices,
  requestObservation,
  serviceAccountTokens,
  serviceLogger,
  ServiceMetrics,
  withRequestRecord,
  type RequestRecord,
} from '@district/kit';
import express, { type Request } from 'express';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { keycloakAuthenticator } from './auth';
import { DISTRICT_SUBGRAPHS, SUPERGRAPH_FILE, type DistrictSubgraph } from './compose';
import { DEFAULT_BODY_LIMIT_KB, type GatewayConfig } from './config';
import type { GatewayContext } from './context';
import { DiaryOpenRecorder, recordingDiaryOpens } from './diary-opens';
import { deadlineFetcher } from './deadline-fetcher';
import { requestTimeout, unlessAnswered } from './http-guards';
import { queryLimitsRule } from './limits';
import { loadPortalSafelist, portalClientOf, portalSafelist } from './portal-safelist';
import { DEFAULT_PORTAL_RATE_LIMIT, rateLimit, TokenBuckets } from './rate-limit';
import { SCHOOL_SUBGRAPHS, SchoolDirectory, type SchoolSubgraph } from './school-directory';
import { SchoolRouter } from './school-router';
import { DISTRICT, SubgraphCalls } from './subgraph-calls';
import { assertWebRoot, webApp } from './web';

const KNOWN_SUBGRAPHS = [...DISTRICT_SUBGRAPHS, ...SCHOOL_SUBGRAPHS];

export interface RunningGateway {
  url: string;
  port: number;
  directory: SchoolDirectory;
  diaryOpens: DiaryOpenRecorder;
  metrics: ServiceMetrics;
  close(): Promise<void>;
}

const REGISTRY_MUTATIONS = new Set(['registerSchool', 'updateSchool']);

/** A registry change that passed through this gateway is routed to at once, not at the next timed refresh. */
function registryChangeRefresh(directory: SchoolDirectory): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation, response }) {
          if (operation?.operation !== 'mutation' || response.body.kind !== 'single') return;
          const touched = operation.selectionSet.selections.some((s) => s.kind === Kind.FIELD && REGISTRY_MUTATIONS.has(s.name.value));
          if (touched && !response.body.singleResult.errors?.length) await directory.refresh();
        },
      };
    },
  };
}

/**
 * A named operation missing from the document (or several operations and no
 * name): a 400 the client can act on. Without this the gateway's executor
 * throws and the client gets a masked 500.
 */
const operationResolution: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation, request }) {
        if (operation) return;
        const name = request.operationName?.slice(0, 100);
        throw new GraphQLError(name ? `В документе нет операции «${name}» (operationName)` : 'В документе несколько операций: укажите operationName', {
          extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } },
        });
      },
    };
  },
};

/** A data source whose calls are counted and timed like the school router's (here: a district subgraph, monitoring or identity). */
function observedSource(subgraph: string, source: GraphQLDataSource<GatewayContext>, calls: SubgraphCalls): GraphQLDataSource<GatewayContext> {
  return {
    process: (options) =>
      options.kind === GraphQLDataSourceRequestKind.INCOMING_OPERATION
        ? calls.observe(subgraph, DISTRICT, options.context, () => source.process(options))
        : source.process(options),
  };
}

/** The gateway whose executor also records the diaries it returned (see recordingDiaryOpens). */
class DistrictGateway extends ApolloGateway {
  constructor(
    config: ApolloGatewayConfig,
    private readonly diaryOpens: DiaryOpenRecorder,
  ) {
    super(config);
  }

  override async load(options?: Parameters<ApolloGateway['load']>[0]): ReturnType<ApolloGateway['load']> {
    const loaded = await super.load(options);
    return { ...loaded, executor: recordingDiaryOpens(loaded.executor, this.diaryOpens) };
  }
}

/**
 * The district gateway: a static supergraph (so it starts while a school is
 * down), every school subgraph behind the school router, the district
 * subgraphs (monitoring, identity) called directly, and Keycloak bearer tokens checked before anything.
 */
export async function startGateway(config: GatewayConfig, options: { log?: (message: string) => void; diaryFlushMs?: number } = {}): Promise<RunningGateway> {
  const logger = serviceLogger({ service: 'gateway' });
  const log = options.log ?? ((m: string) => logger.warn(m));
  const metrics = new ServiceMetrics({ service: 'gateway' });
  const calls = new SubgraphCalls(metrics);
  if (config.webRoot) assertWebRoot(config.webRoot);
  const safelist = loadPortalSafelist(config.portalOperationsPath);
  const portalBuckets = new TokenBuckets(config.portalRateLimit ?? DEFAULT_PORTAL_RATE_LIMIT);
  const bodyLimitBytes = config.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_KB * 1024;
  const serviceToken = serviceAccountTokens(
    `${config.keycloakUrl}/realms/${config.realm}/protocol/openid-connect/token`,
    config.gatewayClientId,
    config.gatewayClientSecret,
  );
  const districtUrls: Record<DistrictSubgraph, string | undefined> = {
    monitoring: config.monitoringUrl,
    identity: config.identityUrl,
    portal: config.portalUrl,
  };
  const directory = new SchoolDirectory({ monitoringUrl: config.monitoringUrl, token: serviceToken, refreshMs: config.registryRefreshMs, log });
  const diaryOpens = new DiaryOpenRecorder({ monitoringUrl: config.monitoringUrl, token: serviceToken, flushMs: options.diaryFlushMs, log });

  const gateway = new DistrictGateway(
    {
      supergraphSdl: readFileSync(config.supergraphPath ?? SUPERGRAPH_FILE, 'utf8'),
      buildService: ({ name }) => {
        if ((SCHOOL_SUBGRAPHS as readonly string[]).includes(name)) return new SchoolRouter(name as SchoolSubgraph, directory, config.schoolTimeoutMs, calls);
        if ((DISTRICT_SUBGRAPHS as readonly string[]).includes(name)) {
          const url = districtUrls[name as DistrictSubgraph];
          const source = new RemoteGraphQLDataSource<GatewayContext>({
            url: url ?? 'http://identity.not-configured.invalid/graphql',
            fetcher: deadlineFetcher(config.schoolTimeoutMs * 2),
            willSendRequest({ request, context }) {
              request.http?.headers.set('authorization', `Bearer ${context.token}`);
              request.http?.headers.set('x-request-id', context.requestId);
            },
          });
          return observedSource(name, source, calls);
        }
        // Called while the gateway loads the supergraph, so a supergraph this gateway cannot route stops the start, not a query later.
        throw new Error(`The supergraph names subgraph "${name}", which this gateway cannot route (it knows ${KNOWN_SUBGRAPHS.join(', ')})`);
      },
    },
    diaryOpens,
  );

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: !config.production,
    includeStacktraceInErrorResponses: false,
    // The process has one signal handler (kit's runMain) that calls close(); Apollo's own would stop the server mid-drain and re-raise the signal.
    stopOnTerminationSignals: false,
    csrfPrevention: true,
    parseOptions: { maxTokens: config.limits.maxTokens },
    validationRules: [queryLimitsRule(config.limits)],
    formatError: (formatted, error) => formatError(formatted, error, (e) => logger.error({ err: e }, 'unexpected error')),
    plugins: [
      requestObservation<GatewayContext>(),
      operationResolution,
      registryChangeRefresh(directory),
      ...(config.production ? [ApolloServerPluginLandingPageDisabled()] : []),
    ],
  });
  // First, before any timer or connection: a supergraph naming a subgraph this gateway cannot route fails here.
  await apollo.start();
  await directory.start();
  diaryOpens.start();

  const drain = new HttpDrain('gateway');
  const app = express();
  app.disable('x-powered-by');
  const authenticate = keycloakAuthenticator({ keycloakUrl: config.keycloakUrl, realm: config.realm, audience: config.audience });
  const registry = () => ({ schools: directory.size, registry: directory.lastError ? `stale: ${directory.lastError}` : 'ok' });
  // Liveness: 503 only from the moment stopping begins.
  app.get('/health', (_req, res) => {
    if (drain.stopping) return void res.status(503).json({ status: 'stopping' });
    res.json({ status: 'ok', ...registry() });
  });
  // Readiness: the realm's keys are at hand to verify tokens. The registry is shown, not required: the gateway
  // keeps its last good copy, and an unreachable monitoring must not take every gateway out of the load balancer.
  const notices = new ReadinessNotices(log);
  app.get('/ready', async (_req, res) => {
    if (drain.stopping) return void res.status(503).json({ status: 'stopping' });
    const failed = await failedChecks(
      {
        tokenKeys: async () => {
          if (!(await authenticate.keysLoaded())) throw new Error('Keycloak keys not loaded');
        },
      },
      2_500,
    );
    notices.observe(failed);
    if (failed.size === 0) return void res.json({ status: 'ready', ...registry() });
    res.status(503).json({ status: 'not ready', ...registry(), notReady: Object.fromEntries([...failed].map(([name, p]) => [name, p.short])) });
  });
  // The gateway's port is public (the ingress sends everything to it): in production /metrics exists only behind METRICS_TOKEN.
  if (config.metricsToken || !config.production) app.get('/metrics', metricsEndpoint(metrics, config.metricsToken));
  app.use(['/graphql', '/exports'], observeRequests({ logger, metrics }));
  app.use(
    '/graphql',
    drain.middleware,
    requestTimeout(config.requestTimeoutMs ?? 30_000),
    authenticate,
    express.json({ limit: bodyLimitBytes }),
    unlessAnswered,
    // The safelist before the limit: a refused request reaches no subgraph, so it does not spend the client's budget.
    portalSafelist(safelist),
    rateLimit(portalBuckets, portalClientOf),
    expressMiddleware(apollo, { context: async ({ req, res }) => withRequestRecord((req as Request & { district: GatewayContext }).district, res) }),
  );
  // Monitoring's file exports (CSV/XLSX), streamed through with the caller's token; monitoring applies its access rules.
  const exportsBase = new URL('/exports/', config.monitoringUrl);
  app.get(
    '/exports/:file',
    (req, res, next) => (/^[\w-]+\.(csv|xlsx)$/.test(String(req.params.file)) ? next() : notFound(req, res, next)),
    drain.middleware,
    authenticate,
    async (req, res) => {
      const { token, requestId } = (req as Request & { district: GatewayContext }).district;
      const target = new URL(req.originalUrl.slice('/exports/'.length), exportsBase);
      (res.locals.request as RequestRecord).operation = `export ${String(req.params.file)}`;
      try {
        const upstream = await fetch(target, {
          headers: { authorization: `Bearer ${token}`, 'x-request-id': requestId },
          signal: AbortSignal.timeout(300_000),
        });
        res.status(upstream.status);
        for (const header of ['content-type', 'content-disposition']) {
          const value = upstream.headers.get(header);
          if (value) res.setHeader(header, value);
        }
        // pipeline: an upstream failure mid-file cuts the download (no silently short file), a client gone stops the upstream.
        if (upstream.body) await pipeline(Readable.fromWeb(upstream.body as NodeReadableStream), res);
        else res.end();
      } catch (error) {
        log(`export ${target.pathname} failed: ${(error as Error).message}`);
        if (!res.headersSent)
          res.status(503).json({ errors: [{ message: 'Мониторинг недоступен, выгрузка не сформирована', extensions: { code: 'SCHOOL_UNAVAILABLE' } }] });
        else res.destroy();
      }
    },
  );

  // The web client on the same origin: /config.json always, the built app at / when WEB_ROOT is set (gateway/src/web.ts).
  app.use(
    webApp({
      webRoot: config.webRoot,
      keycloakUrl: config.publicKeycloakUrl ?? config.keycloakUrl,
      realm: config.realm,
      clientId: config.webClientId ?? 'district-web',
      drain: drain.middleware,
    }),
  );

  app.use(notFound);
  app.use(jsonErrors(bodyLimitBytes, log));

  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, config.host, (error?: Error) => (error ? reject(error) : resolve(s)));
  }).catch(async (error: unknown) => {
    directory.stop();
    await diaryOpens.stop();
    await apollo.stop();
    throw error;
  });
  const port = (server.address() as AddressInfo).port;
  const graceMs = config.shutdownGraceMs ?? 5_000;
  let closing: Promise<void> | undefined;
  return {
    url: `http://localhost:${port}/graphql`,
    port,
    directory,
    diaryOpens,
    metrics,
    /**
     * Stops within about `shutdownGraceMs` + 3 s: readiness goes 503 and new
     * requests are refused (retryable) at once, requests in flight get up to
     * the grace to finish, then the listener and every connection close, the
     * last diary views are sent (bounded) and the timers stop.
     */
    close: () =>
      (closing ??= (async () => {
        directory.stop();
        await drain.close(server, graceMs);
        await diaryOpens.stop();
        await apollo.stop();
      })()),
  };
}
