import type { BaseContext } from '@apollo/server';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Request } from 'express';
import type { GraphQLSchema } from 'graphql';
import type { AuthSettings, SchoolServiceConfig } from './config';
import { requestMeta, type SchoolRequestContext } from './context';
import { DatabaseUnreachableError } from './errors';
import { processLifecycle } from './lifecycle';
import { ServiceMetrics } from './observability/metrics';
import { openDatabase, poolUse, SqlCounter, type DatabaseOptions } from './orm';
import { startSubgraphServer, type RunningServer, type SubgraphServerOptions } from './server';
import { withTimeout } from './timeout';
import { TokenVerifier, type Viewer } from './viewer';

export interface ServiceOptions<Ctx extends BaseContext> {
  name: string;
  database: Omit<DatabaseOptions, 'sqlCounter'>;
  schema: () => Promise<GraphQLSchema>;
  auth: AuthSettings;
  production: boolean;
  port: number;
  host?: string;
  /** Per-request context from the viewer and a forked EntityManager. */
  context: (viewer: Viewer, em: EntityManager, request: Request) => Ctx;
  /** Facts shown by /health and /ready (e.g. the school). */
  info?: Record<string, unknown>;
  /** How the service is named in logs and metrics (default: `{ service: name }`). */
  identity?: { service: string; school?: string };
  /** The service's metrics when the caller adds series of its own (default: new); the database pool's are added here. */
  metrics?: ServiceMetrics;
  metricsToken?: string;
  routes?: SubgraphServerOptions<Ctx>['routes'];
  /** Print every SQL statement (SQL_LOG=1). */
  sqlLog?: boolean;
  verifier?: TokenVerifier;
  admit?: (viewer: Viewer) => boolean;
  log?: (error: unknown) => void;
}

export interface RunningService extends RunningServer {
  sql: SqlCounter;
  /** A fresh EntityManager on the service's database (seeding, tests, jobs). */
  em(): EntityManager;
}

/** Opens a subgraph's database (applying its migrations) and serves it; the same for every subgraph. */
export async function startService<Ctx extends BaseContext>(options: ServiceOptions<Ctx>): Promise<RunningService> {
  const sql = new SqlCounter(options.sqlLog ?? false);
  const orm = await openDatabase({ ...options.database, sqlCounter: sql });
  const identity = options.identity ?? { service: options.name };
  const metrics = options.metrics ?? new ServiceMetrics(identity);
  metrics.databasePool(() => poolUse(orm));
  try {
    const server = await startSubgraphServer<Ctx>(
      {
        name: options.name,
        schema: await options.schema(),
        verifier: options.verifier ?? new TokenVerifier(options.auth),
        production: options.production,
        log: options.log,
        routes: options.routes,
        admit: options.admit,
        identity,
        metrics,
        metricsToken: options.metricsToken,
        info: options.info,
        context: (viewer, req) => options.context(viewer, orm.em.fork() as EntityManager, req),
        checks: {
          // Bounded, so a black-holed database host answers 503 now rather than at the pool's acquire timeout.
          database: () =>
            withTimeout(
              orm.em.getConnection().execute('select 1'),
              2_000,
              () => new DatabaseUnreachableError('database ping did not answer within 2000 ms'),
            ).then(() => undefined),
        },
      },
      options.port,
      options.host,
    );
    let closing: Promise<void> | undefined;
    return {
      ...server,
      sql,
      em: () => orm.em.fork() as EntityManager,
      close: () =>
        (closing ??= (async () => {
          await server.close();
          await orm.close();
        })()),
    };
  } catch (error) {
    await orm.close();
    throw error;
  }
}

/**
 * Entry point of a service process: start, log where, and on SIGINT/SIGTERM
 * drain and stop through the process's one lifecycle (exit 0, or 1 naming
 * what did not stop within `deadlineMs`); exit 1 with the reason when start fails.
 */
export function runMain(name: string, start: () => Promise<{ url: string; close(): Promise<void> }>, options: { deadlineMs?: number } = {}): void {
  // Installed before start, so a signal during migrations stops the process too.
  const lifecycle = processLifecycle({ name, deadlineMs: options.deadlineMs });
  // Through a promise, so a configuration error thrown before start's first await is reported the same way.
  Promise.resolve()
    .then(start)
    .then((service) => {
      lifecycle.add(name, () => service.close());
      console.log(`${name} ready at ${service.url}`);
    })
    .catch((error: unknown) => {
      console.error(`${name} failed to start: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    });
}

export interface SchoolServiceDefinition<L> {
  /** Service name, e.g. "people"; the process is "<name>-<school>". */
  name: string;
  database: Pick<DatabaseOptions, 'schema' | 'entities' | 'migrations'>;
  schema: () => Promise<GraphQLSchema>;
  loaders: (em: EntityManager) => L;
}

export interface RunningSchoolService extends RunningService {
  schoolId: string;
}

/** A per-school subgraph started from its definition and the school's settings: the same for people, schedule and journal. */
export async function startSchoolService<L>(
  definition: SchoolServiceDefinition<L>,
  config: SchoolServiceConfig,
  options: { verifier?: TokenVerifier; log?: (e: unknown) => void } = {},
): Promise<RunningSchoolService> {
  const service = await startService<SchoolRequestContext<L>>({
    name: `${definition.name}-${config.schoolId}`,
    database: { ...definition.database, url: config.databaseUrl, poolMax: config.poolMax },
    schema: definition.schema,
    auth: config.auth,
    production: config.production,
    port: config.port,
    host: config.host,
    sqlLog: config.sqlLog,
    info: { schoolId: config.schoolId },
    identity: { service: definition.name, school: config.schoolId },
    metricsToken: config.metricsToken,
    // A token that does not reach this school is refused before any field runs, `_entities` included.
    admit: (viewer) => viewer.canReachSchool(config.schoolId),
    context: (viewer, em, req) => ({ viewer, em, loaders: definition.loaders(em), schoolId: config.schoolId, ...requestMeta(req.headers) }),
    ...options,
  });
  return { ...service, schoolId: config.schoolId };
}
