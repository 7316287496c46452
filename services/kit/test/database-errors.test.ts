import { Entity, PrimaryKey } from '@mikro-orm/core';
import { GraphQLError } from 'graphql';
import { createServer } from 'node:net';
import { Client } from 'pg';
import { databaseUnavailableReason, ErrorCode, formatError, openDatabase } from '../src';
import { createTestDatabase } from '../src/testing';

/**
 * Which failures mean "the database is unreachable right now" — recognised
 * from the errors the real pg driver, knex pool and MikroORM raise against a
 * real PostgreSQL — and how formatError answers them.
 */

/** The error a real call raises (the test fails if it does not raise). */
async function raised(call: () => Promise<unknown>): Promise<Error> {
  try {
    await call();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** formatError as the server calls it, for an error a resolver threw. */
function formatted(error: Error, log: (e: unknown) => void = () => undefined) {
  return formatError(
    { message: error.message, path: ['controlForms'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
    new GraphQLError(error.message, { originalError: error }),
    log,
  );
}

/** MikroORM wants one entity; its table is never used. */
@Entity({ tableName: 'probe' })
class Probe {
  @PrimaryKey() id!: number;
}

let db: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  db = await createTestDatabase('dberrors');
});
afterAll(async () => {
  await db?.drop();
});

describe('database unavailable', () => {
  it('a refused connection (PostgreSQL stopped) is DATABASE_UNAVAILABLE, retryable, with no detail and nothing logged', async () => {
    const port = await closedPort();
    const error = await raised(() => new Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' }).connect());
    expect(databaseUnavailableReason(error)).toBe(`ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${port}`);
    const logged: unknown[] = [];
    expect(formatted(error, (e) => logged.push(e))).toEqual({
      message: 'База данных временно недоступна, повторите запрос немного позже',
      path: ['controlForms'],
      locations: undefined,
      extensions: { code: ErrorCode.DatabaseUnavailable, retryable: true },
    });
    // The server logs one line per request for these (server.ts), not the error object per field.
    expect(logged).toEqual([]);
  });

  it('a connection the server terminates (57P01, as when PostgreSQL shuts down) is recognised', async () => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    client.on('error', () => undefined);
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    try {
      const pid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
      const sleeping = raised(() => client.query('select pg_sleep(30)'));
      await new Promise((r) => setTimeout(r, 200));
      await admin.query('select pg_terminate_backend($1)', [pid]);
      const error = await sleeping;
      expect((error as Error & { code?: string }).code).toBe('57P01');
      expect(databaseUnavailableReason(error)).toBe('57P01: terminating connection due to administrator command');
      // The next query on that client.
      const after = await raised(() => client.query('select 1'));
      expect(databaseUnavailableReason(after)).toBeDefined();
    } finally {
      await admin.end();
      await client.end().catch(() => undefined);
    }
  });

  it('a pool that cannot hand out a connection in time (knex "Timeout acquiring a connection") is recognised through MikroORM', async () => {
    const orm = await openDatabase({ url: db.url, schema: 'public', entities: [Probe], migrations: [], poolMax: 1, acquireTimeoutMs: 300 });
    try {
      const holding = orm.em.fork().transactional(async (em) => {
        await em.getConnection().execute('select pg_sleep(1.5)', [], 'all', em.getTransactionContext());
      });
      await new Promise((r) => setTimeout(r, 100));
      const started = Date.now();
      const error = await raised(() => orm.em.fork().getConnection().execute('select 1'));
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(databaseUnavailableReason(error)).toMatch(/^Knex: Timeout acquiring a connection/);
      expect(formatted(error).extensions).toEqual({ code: 'DATABASE_UNAVAILABLE', retryable: true });
      await holding;
    } finally {
      await orm.close();
    }
  });

  it('an unreachable database through MikroORM (refused on connect) is recognised', async () => {
    const port = await closedPort();
    const url = new URL(db.url);
    url.port = String(port);
    // MikroORM.init itself connects; a refused connect fails it the same way a query would.
    const error = await raised(() => openDatabase({ url: url.toString(), schema: 'public', entities: [Probe], migrations: [] }));
    expect(databaseUnavailableReason(error)).toMatch(/ECONNREFUSED/);
  });

  it('SQLSTATEs PostgreSQL cannot be made to send on demand: 57P03 (starting up) and class 08 are recognised; others are not', () => {
    const pgError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: 'FATAL' });
    expect(databaseUnavailableReason(pgError('57P03', 'the database system is starting up'))).toBe('57P03: the database system is starting up');
    expect(databaseUnavailableReason(pgError('08006', 'connection failure'))).toBe('08006: connection failure');
    expect(databaseUnavailableReason(pgError('08P01', 'protocol violation'))).toBe('08P01: protocol violation');
    expect(databaseUnavailableReason(pgError('57014', 'canceling statement due to statement timeout'))).toBeUndefined();
  });

  it('another service being down (a fetch refused) is not a database outage', async () => {
    const port = await closedPort();
    const error = await raised(() => fetch(`http://127.0.0.1:${port}/graphql`));
    expect((error as Error & { cause?: { code?: string } }).cause?.code).toBe('ECONNREFUSED');
    expect(databaseUnavailableReason(error)).toBeUndefined();
    expect(formatted(error).extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
  });

  it('real query errors that are not about reachability stay masked INTERNAL_SERVER_ERROR and are logged', async () => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query('create table if not exists t_unique (id int primary key)');
      await client.query('insert into t_unique values (1) on conflict do nothing');
      const duplicate = await raised(() => client.query('insert into t_unique values (1)'));
      const syntax = await raised(() => client.query('selec 1'));
      for (const error of [duplicate, syntax]) {
        expect(databaseUnavailableReason(error)).toBeUndefined();
        const logged: unknown[] = [];
        expect(formatted(error, (e) => logged.push(e))).toEqual({
          message: 'Внутренняя ошибка сервера',
          path: ['controlForms'],
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        });
        expect(logged).toEqual([error]);
      }
    } finally {
      await client.end();
    }
  });
});
