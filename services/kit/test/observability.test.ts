import { DriverException, EntitySchema } from '@mikro-orm/core';
import { GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { authSettings, createLogger, logLevelFromEnv, schoolServiceConfigFromEnv, startService, TokenVerifier, type RunningService } from '../src';
import { adminUrl, captureLogs, createTestDatabase, keycloakUrl, startTcpProxy, tokenFor, type CapturedLogs, type TcpProxy } from '../src/testing';

/**
 * Liveness and readiness apart: /health says the process answers (200 until
 * it stops), /ready says requests may be sent (the database answers and the
 * token keys are at hand), 503 naming what is not. The database is reached
 * through a TCP proxy the test cuts, as when PostgreSQL stops. Also: /metrics
 * behind METRICS_TOKEN, the request id and log line of a subgraph request,
 * and the settings (LOG_LEVEL, METRICS_TOKEN).
 */

/** `slow` answers when the test opens the gate: a request in flight keeps a stopping server draining. */
let openGate = () => undefined as void;
let entered = () => undefined as void;
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      ping: { type: GraphQLString, resolve: () => 'pong' },
      slow: {
        type: GraphQLString,
        resolve: async () => {
          entered();
          await new Promise<void>((resolve) => (openGate = resolve));
          return 'done';
        },
      },
    },
  }),
});
// MikroORM wants one entity; its table is never created or read.
const Probe = new EntitySchema({ name: 'Probe', tableName: 'probe', properties: { id: { type: 'number', primary: true } } });
const auth = authSettings(keycloakUrl(), 'district', 'district-api');

let database: { url: string; drop(): Promise<void> };
let proxy: TcpProxy;
let logs: CapturedLogs;
const notices: string[] = [];
const started: RunningService[] = [];

function start(options: { verifier?: TokenVerifier; metricsToken?: string } = {}): Promise<RunningService> {
  return startService({
    name: 'ready-test',
    identity: { service: 'ready-test', school: 's001' },
    database: { url: proxy.via(database.url), schema: 'ready_test', entities: [Probe], migrations: [], poolMax: 2 },
    schema: async () => schema,
    auth,
    production: false,
    port: 0,
    info: { schoolId: 's001' },
    context: () => ({}),
    log: (e) => notices.push(String(e)),
    ...options,
  }).then((service) => (started.push(service), service));
}

async function get(service: RunningService, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(service.url.replace('/graphql', path), { headers });
  const text = await response.text();
  return { status: response.status, body: response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text, headers: response.headers };
}

beforeAll(async () => {
  logs = captureLogs();
  database = await createTestDatabase('ready');
  const pg = new URL(adminUrl());
  proxy = await startTcpProxy({ host: pg.hostname, port: Number(pg.port || 5432) });
});
afterAll(async () => {
  for (const service of started) await service.close();
  await proxy?.close();
  await database?.drop();
  logs?.restore();
});

describe('/health and /ready', () => {
  it('a database outage makes the service not ready (503 naming the database), never not alive; it is ready again when the database is back', async () => {
    const service = await start();
    expect(await get(service, '/health')).toMatchObject({ status: 200, body: { status: 'ok', service: 'ready-test', schoolId: 's001' } });
    expect(await get(service, '/ready')).toMatchObject({ status: 200, body: { status: 'ready', service: 'ready-test', schoolId: 's001' } });

    await proxy.cut();
    try {
      const ready = await get(service, '/ready');
      expect({ status: ready.status, body: ready.body }).toEqual({
        status: 503,
        body: { status: 'not ready', service: 'ready-test', schoolId: 's001', notReady: { database: 'unreachable' } },
      });
      // Asked again: still not ready, and the change is logged once, not per probe.
      expect((await get(service, '/ready')).status).toBe(503);
      expect((await get(service, '/health')).status).toBe(200);
    } finally {
      await proxy.restore();
    }
    expect(await get(service, '/ready')).toMatchObject({ status: 200, body: { status: 'ready' } });
    expect(notices.filter((n) => n.startsWith('[ready-test] not ready: database DATABASE_UNAVAILABLE'))).toHaveLength(1);
    expect(notices.filter((n) => n === '[ready-test] ready again')).toHaveLength(1);
  });

  it('without the token keys (Keycloak never reached) the service is not ready, naming the keys', async () => {
    const service = await start({ verifier: new TokenVerifier(authSettings('http://127.0.0.1:9', 'district', 'district-api')) });
    const ready = await get(service, '/ready');
    expect({ status: ready.status, body: ready.body }).toEqual({
      status: 503,
      body: { status: 'not ready', service: 'ready-test', schoolId: 's001', notReady: { tokenKeys: 'Keycloak keys not loaded' } },
    });
    expect((await get(service, '/health')).status).toBe(200);
  });

  it('a stopping service answers both 503 stopping while its last request finishes', async () => {
    const service = await start();
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const inFlight = fetch(service.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor('s001.teacher')}` },
      body: JSON.stringify({ query: '{ slow }' }),
    });
    await inside;
    const closing = service.close();
    try {
      expect(await get(service, '/health')).toMatchObject({ status: 503, body: { status: 'stopping', service: 'ready-test' } });
      expect(await get(service, '/ready')).toMatchObject({ status: 503, body: { status: 'stopping', service: 'ready-test' } });
    } finally {
      openGate();
    }
    expect(await (await inFlight).json()).toEqual({ data: { slow: 'done' } });
    await closing;
  });
});

describe('/metrics', () => {
  it('is open without METRICS_TOKEN and shows the pool; with it only the bearer is answered', async () => {
    const open = await start();
    const text = await get(open, '/metrics');
    expect(text.status).toBe(200);
    expect(text.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(text.body).toContain('district_db_pool_max{service="ready-test",school="s001"} 2');
    expect(text.body).toMatch(/^district_db_pool_connections\{state="used",service="ready-test",school="s001"\} \d+$/m);
    expect(text.body).toMatch(/^process_resident_memory_bytes \d+/m);

    const token = 'metrics-token-0123456789';
    const closed = await start({ metricsToken: token });
    const refused = await get(closed, '/metrics');
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ errors: [{ message: 'Метрики отдаются только с токеном METRICS_TOKEN', extensions: { code: 'UNAUTHENTICATED' } }] });
    expect((await get(closed, '/metrics', { authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401);
    expect((await get(closed, '/metrics', { authorization: `Bearer ${token}` })).status).toBe(200);
  });
});

describe('request ids and log lines', () => {
  it('keeps a safe X-Request-Id, replaces an unsafe one, answers it, and logs one line per request with ids, codes and times only', async () => {
    const service = await start();
    const token = await tokenFor('s001.teacher');
    const post = (headers: Record<string, string>) =>
      fetch(service.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: 'query Ping { ping }' }),
      });

    const kept = await post({ authorization: `Bearer ${token}`, 'x-request-id': 'kit-req-1' });
    expect(kept.headers.get('x-request-id')).toBe('kit-req-1');
    expect(await kept.json()).toEqual({ data: { ping: 'pong' } });

    const replaced = await post({ authorization: `Bearer ${token}`, 'x-request-id': 'no spaces; or quotes"' });
    const newId = replaced.headers.get('x-request-id')!;
    expect(newId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

    const refused = await post({ 'x-request-id': 'kit-req-2' });
    expect(refused.status).toBe(401);

    await waitFor(() => logs.lines.filter((l) => l.msg === 'request' && ['kit-req-1', newId, 'kit-req-2'].includes(String(l.requestId))).length === 3);
    const line = (id: string) => logs.lines.find((l) => l.msg === 'request' && l.requestId === id)!;
    const shape = {
      level: 'info',
      time: expect.any(String),
      pid: process.pid,
      service: 'ready-test',
      school: 's001',
      msg: 'request',
      durationMs: expect.any(Number),
    };
    expect(line('kit-req-1')).toEqual({ ...shape, requestId: 'kit-req-1', operation: 'Ping', outcome: 'ok', status: 200 });
    expect(line(newId)).toEqual({ ...shape, requestId: newId, operation: 'Ping', outcome: 'ok', status: 200 });
    // The HTTP layer's own refusal names its code; the operation is unknown before the body is read.
    expect(line('kit-req-2')).toEqual({ ...shape, requestId: 'kit-req-2', operation: 'POST /graphql', outcome: 'UNAUTHENTICATED', status: 401 });
    expect(JSON.stringify(logs.lines)).not.toContain(token);
    // Probes and scrapes are not request lines.
    expect(logs.lines.filter((l) => l.msg === 'request' && /health|ready|metrics/.test(String(l.operation)))).toEqual([]);
  });
});

describe('unexpected errors in the log', () => {
  it('keep their type, code and stack frames; a database error’s message (SQL with its values) is withheld', () => {
    const written: any[] = [];
    const logger = createLogger({ level: 'info', destination: { write: (line: string) => void written.push(JSON.parse(line)) } });
    const sql = new DriverException(
      Object.assign(new Error(`insert into "people"."student" ("full_name") values ('Иванова Анна') - duplicate key value violates unique constraint`), {
        code: '23505',
      }),
    );
    logger.error({ err: sql }, 'unexpected error');
    logger.error({ err: new TypeError('Cannot read properties of undefined (reading "id")') }, 'unexpected error');
    expect(written[0].err).toEqual({
      type: 'DriverException',
      code: '23505',
      message: '(database error: message withheld, it may carry data)',
      stack: expect.arrayContaining([expect.stringMatching(/^at /)]),
    });
    expect(JSON.stringify(written[0])).not.toContain('Иванова');
    expect(written[1].err).toMatchObject({ type: 'TypeError', message: 'Cannot read properties of undefined (reading "id")' });
  });
});

describe('settings', () => {
  it('LOG_LEVEL defaults to info and must be a level; METRICS_TOKEN is optional and not short', () => {
    expect(logLevelFromEnv({})).toBe('info');
    expect(logLevelFromEnv({ LOG_LEVEL: 'silent' })).toBe('silent');
    expect(() => logLevelFromEnv({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL: Invalid enum value/);
    expect(schoolServiceConfigFromEnv(4101, { SCHOOL_ID: 's001' }).metricsToken).toBeUndefined();
    expect(schoolServiceConfigFromEnv(4101, { SCHOOL_ID: 's001', METRICS_TOKEN: 'a-long-enough-token' }).metricsToken).toBe('a-long-enough-token');
    expect(() => schoolServiceConfigFromEnv(4101, { SCHOOL_ID: 's001', METRICS_TOKEN: 'short' })).toThrow(
      'Invalid configuration:\n  METRICS_TOKEN: at least 16 characters',
    );
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
