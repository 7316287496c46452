import { ApolloGateway, LocalGraphQLDataSource, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { Kind } from 'graphql';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { closeGracefully, formatError, serviceAccountTokens } from '@district/kit';
import express, { type Request } from 'express';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { keycloakAuthenticator } from './auth';
import { SUPERGRAPH_FILE } from './compose';
import type { GatewayConfig } from './config';
import type { GatewayContext } from './context';
import { DiaryOpenRecorder, diaryOpensPlugin } from './diary-opens';
import { queryLimitsRule } from './limits';
import { SchoolDirectory, type SchoolSubgraph } from './school-directory';
import { SchoolRouter } from './school-router';

const SCHOOL_SUBGRAPHS: SchoolSubgraph[] = ['people', 'schedule', 'journal'];

export interface RunningGateway {
  url: string;
  port: number;
  directory: SchoolDirectory;
  diaryOpens: DiaryOpenRecorder;
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
 * The district gateway: a static supergraph (so it starts while a school is
 * down), every school subgraph behind the school router, the monitoring
 * subgraph called directly, and Keycloak bearer tokens checked before anything.
 */
export async function startGateway(config: GatewayConfig, options: { log?: (message: string) => void } = {}): Promise<RunningGateway> {
  const log = options.log ?? ((m: string) => console.log(`[gateway] ${m}`));
  const serviceToken = serviceAccountTokens(`${config.keycloakUrl}/realms/${config.realm}/protocol/openid-connect/token`, config.gatewayClientId, config.gatewayClientSecret);
  const directory = new SchoolDirectory({ monitoringUrl: config.monitoringUrl, token: serviceToken, refreshMs: config.registryRefreshMs, log });
  await directory.start();
  const diaryOpens = new DiaryOpenRecorder({ monitoringUrl: config.monitoringUrl, token: serviceToken, log });
  diaryOpens.start();

  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(config.supergraphPath ?? SUPERGRAPH_FILE, 'utf8'),
    buildService: ({ name, url }) => {
      if (SCHOOL_SUBGRAPHS.includes(name as SchoolSubgraph)) return new SchoolRouter(name as SchoolSubgraph, directory, config.schoolTimeoutMs);
      if (name === 'monitoring') {
        return new RemoteGraphQLDataSource<GatewayContext>({
          url: config.monitoringUrl,
          fetcher: ((input: string, init: RequestInit) => fetch(input, { ...init, signal: AbortSignal.timeout(config.schoolTimeoutMs * 2) })) as never,
          willSendRequest({ request, context }) {
            request.http?.headers.set('authorization', `Bearer ${context.token}`);
            request.http?.headers.set('x-request-id', context.requestId);
          },
        });
      }
      void url;
      return new LocalGraphQLDataSource(undefined as never);
    },
  });

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: !config.production,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    parseOptions: { maxTokens: config.limits.maxTokens },
    validationRules: [queryLimitsRule(config.limits)],
    formatError: (formatted, error) => formatError(formatted, error),
    plugins: [registryChangeRefresh(directory), diaryOpensPlugin(diaryOpens), ...(config.production ? [ApolloServerPluginLandingPageDisabled()] : [])],
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', schools: directory.size, registry: directory.lastError ? `stale: ${directory.lastError}` : 'ok' });
  });
  const authenticate = keycloakAuthenticator({ keycloakUrl: config.keycloakUrl, realm: config.realm, audience: config.audience });
  app.use(
    '/graphql',
    authenticate,
    express.json({ limit: '2mb' }),
    expressMiddleware(apollo, { context: async ({ req }) => (req as Request & { district: GatewayContext }).district }),
  );
  // Monitoring's file exports (CSV/XLSX), streamed through with the caller's token; monitoring applies its access rules.
  const exportsBase = new URL('/exports/', config.monitoringUrl);
  app.get(
    '/exports/:file',
    (req, res, next) => (/^[\w-]+\.(csv|xlsx)$/.test(String(req.params.file)) ? next() : res.status(404).end()),
    authenticate,
    async (req, res) => {
      const { token, requestId } = (req as Request & { district: GatewayContext }).district;
      const target = new URL(req.originalUrl.slice('/exports/'.length), exportsBase);
      try {
        const upstream = await fetch(target, { headers: { authorization: `Bearer ${token}`, 'x-request-id': requestId }, signal: AbortSignal.timeout(300_000) });
        res.status(upstream.status);
        for (const header of ['content-type', 'content-disposition']) {
          const value = upstream.headers.get(header);
          if (value) res.setHeader(header, value);
        }
        // pipeline: an upstream failure mid-file cuts the download (no silently short file), a client gone stops the upstream.
        if (upstream.body) await pipeline(Readable.fromWeb(upstream.body as never), res);
        else res.end();
      } catch (error) {
        log(`export ${target.pathname} failed: ${(error as Error).message}`);
        if (!res.headersSent) res.status(503).json({ errors: [{ message: 'Мониторинг недоступен, выгрузка не сформирована', extensions: { code: 'SCHOOL_UNAVAILABLE' } }] });
        else res.destroy();
      }
    },
  );

  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, config.host, (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://localhost:${port}/graphql`,
    port,
    directory,
    diaryOpens,
    close: async () => {
      directory.stop();
      await diaryOpens.stop();
      await closeGracefully(server);
      await apollo.stop();
    },
  };
}
