import type { BaseContext } from '@apollo/server';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Request } from 'express';
import type { GraphQLSchema } from 'graphql';
import type { AuthSettings, SchoolServiceConfig } from './config';
import { requestMeta, type RequestContext } from './context';
import { openDatabase, SqlCounter, type DatabaseOptions } from './orm';
import { startSubgraphServer, type RunningServer, type SubgraphServerOptions } from './server';
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
  health?: Record<string, unknown>;
  routes?: SubgraphServerOptions<Ctx>['routes'];
  /** Print every SQL statement (SQL_LOG=1). */
  sqlLog?: boolean;
  verifier?: TokenVerifier;
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
  try {
    const server = await startSubgraphServer<Ctx>(
      {
        name: options.name,
        schema: await options.schema(),
        verifier: options.verifier ?? new TokenVerifier(options.auth),
        production: options.production,
        log: options.log,
        routes: options.routes,
        context: (viewer, req) => options.context(viewer, orm.em.fork() as EntityManager, req),
        health: async () => {
          await orm.em.getConnection().execute('select 1');
          return options.health ?? {};
        },
      },
      options.port,
      options.host,
    );
    return {
      ...server,
      sql,
      em: () => orm.em.fork() as EntityManager,
      close: async () => {
        await server.close();
        await orm.close();
      },
    };
  } catch (error) {
    await orm.close();
    throw error;
  }
}

/** Entry point of a service process: start, log where, stop cleanly on SIGINT/SIGTERM, exit 1 with the reason on failure. */
export function runMain(name: string, start: () => Promise<{ url: string; close(): Promise<void> }>): void {
  start()
    .then((service) => {
      console.log(`${name} ready at ${service.url}`);
      const stop = () => {
        service.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
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
  const service = await startService<RequestContext<L>>({
    name: `${definition.name}-${config.schoolId}`,
    database: { ...definition.database, url: config.databaseUrl, poolMax: config.poolMax },
    schema: definition.schema,
    auth: config.auth,
    production: config.production,
    port: config.port,
    host: config.host,
    sqlLog: config.sqlLog,
    health: { schoolId: config.schoolId },
    context: (viewer, em, req) => ({ viewer, em, loaders: definition.loaders(em), schoolId: config.schoolId, ...requestMeta(req.headers) }),
    ...options,
  });
  return { ...service, schoolId: config.schoolId };
}
