import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Request, type RequestHandler, type Response, type NextFunction } from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLSchema } from 'graphql';
import { DomainError, ErrorCode, formatError } from './errors';
import { bearerToken, type TokenVerifier, type Viewer } from './viewer';

export interface SubgraphServerOptions<Ctx extends BaseContext> {
  name: string;
  schema: GraphQLSchema;
  verifier: TokenVerifier;
  production: boolean;
  /** Builds the per-request context (forked EntityManager, fresh loaders). */
  context: (viewer: Viewer, request: Request) => Promise<Ctx> | Ctx;
  /** Extra readiness facts for /health (e.g. a database ping). */
  health?: () => Promise<Record<string, unknown>>;
  /** Extra HTTP routes (e.g. file exports); `authenticate` puts the verified viewer on `req.viewer`, like /graphql. */
  routes?: (app: express.Express, authenticate: RequestHandler) => void;
  log?: (error: unknown) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  /** GraphQL requests received (authenticated or not); tests count calls with it. */
  stats: { requests: number };
  close(): Promise<void>;
}

function unauthenticated(res: Response, message: string): void {
  res.status(401).set('WWW-Authenticate', 'Bearer').json({ errors: [{ message, extensions: { code: ErrorCode.Unauthenticated } }] });
}

/**
 * Every subgraph is served the same way: /health, and /graphql behind token
 * verification — nothing, `_service` and `_entities` included, answers a
 * caller without a valid token.
 */
export async function startSubgraphServer<Ctx extends BaseContext>(options: SubgraphServerOptions<Ctx>, port: number, host = '127.0.0.1'): Promise<RunningServer> {
  const apollo = new ApolloServer<Ctx>({
    schema: options.schema,
    introspection: !options.production,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    formatError: (formatted, error) => formatError(formatted, error, options.log),
  });
  await apollo.start();

  const stats = { requests: 0 };
  const app = express();
  app.disable('x-powered-by');
  app.get('/health', async (_req, res) => {
    try {
      res.json({ status: 'ok', service: options.name, ...(await options.health?.()) });
    } catch (error) {
      options.log?.(error);
      res.status(503).json({ status: 'unavailable', service: options.name });
    }
  });
  const authenticate = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    stats.requests++;
    try {
      (req as Request & { viewer?: Viewer }).viewer = await options.verifier.verify(bearerToken(req.headers.authorization));
      next();
    } catch (error) {
      unauthenticated(res, error instanceof DomainError ? error.message : 'Требуется вход');
    }
  };
  app.use(
    '/graphql',
    authenticate,
    express.json({ limit: '2mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => options.context((req as Request & { viewer: Viewer }).viewer, req),
    }),
  );
  options.routes?.(app, authenticate);

  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${actualPort}/graphql`,
    port: actualPort,
    stats,
    close: async () => {
      await closeGracefully(server);
      await apollo.stop();
    },
  };
}

/** Stops accepting connections, lets requests in flight finish (up to `graceMs`), then cuts the rest. */
export async function closeGracefully(server: Server, graceMs = 5_000): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  await closed;
  clearTimeout(timer);
}
