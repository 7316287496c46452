import { DefaultLogger, MikroORM, type LoggerNamespace, type LoggerOptions, type LogContext, type MigrationObject } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { processLogger } from './observability/logger';

/**
 * Counts SQL statements so tests and benchmarks can prove that statements per
 * request stay flat as data grows. Prints them only when asked to.
 */
export class SqlCounter {
  count = 0;
  constructor(readonly print = false) {}
  reset(): void {
    this.count = 0;
  }
}

class CountingLogger extends DefaultLogger {
  constructor(
    options: LoggerOptions,
    private readonly counter: SqlCounter,
  ) {
    super(options);
  }
  override log(namespace: LoggerNamespace, message: string, context?: LogContext): void {
    if (namespace === 'query') this.counter.count++;
    // Migrations and queries are only printed when asked for (SQL_LOG); errors still surface as exceptions.
    if (this.counter.print) super.log(namespace, message, context);
  }
}

export interface DatabaseOptions {
  url: string;
  /** PostgreSQL schema the service owns inside the database. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: Function[];
  migrations: MigrationObject[];
  sqlCounter?: SqlCounter;
  poolMax?: number;
  /** How long a query waits for a pooled connection (default 5 s). */
  acquireTimeoutMs?: number;
  /** How long opening a connection may take (default 5 s). */
  connectTimeoutMs?: number;
}

/** Opens the service's database and applies its committed migrations. */
export async function openDatabase(options: DatabaseOptions): Promise<MikroORM<PostgreSqlDriver>> {
  const counter = options.sqlCounter ?? new SqlCounter();
  const orm = await MikroORM.init<PostgreSqlDriver>({
    driver: PostgreSqlDriver,
    clientUrl: options.url,
    schema: options.schema,
    entities: options.entities,
    allowGlobalContext: false,
    forceUtcTimezone: true,
    // Fail fast when the database is down or the pool is exhausted (knex waits 60 s by default):
    // the request gets DATABASE_UNAVAILABLE and the client retries, rather than hanging.
    pool: { min: 0, max: options.poolMax ?? 10, acquireTimeoutMillis: options.acquireTimeoutMs ?? 5_000 },
    driverOptions: {
      connection: { connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000 },
      // knex warns once per broken pooled connection; during an outage the requests that fail log one line each instead.
      log: { warn: (message: string) => (/^Connection Error:/.test(message) ? undefined : processLogger().warn({ component: 'knex' }, message)) },
    },
    extensions: [Migrator],
    migrations: {
      migrationsList: options.migrations,
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
    },
    // A service that works in SQL only (the portal's access log) has no entities.
    discovery: { disableDynamicFileAccess: true, requireEntitiesArray: true, warnWhenNoEntities: options.entities.length > 0 },
    debug: ['query'],
    loggerFactory: (loggerOptions) => new CountingLogger(loggerOptions, counter),
  });
  await orm.getMigrator().up();
  return orm;
}

export type { MigrationObject };

interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  max: number;
}

/** The connections of the ORM's pool now (knex's tarn pool); undefined once it is closed. */
export function poolUse(orm: MikroORM<PostgreSqlDriver>): { used: number; free: number; pending: number; max: number } | undefined {
  const pool = (orm.em.getConnection().getKnex().client as { pool?: TarnPool }).pool;
  if (!pool) return undefined;
  return { used: pool.numUsed(), free: pool.numFree(), pending: pool.numPendingAcquires(), max: pool.max };
}
