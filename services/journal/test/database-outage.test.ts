import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { authSettings } from '@district/kit';
import { adminUrl, databaseUrl, keycloakUrl, startTcpProxy, tokenFor, type TcpProxy } from '@district/kit/testing';
import { startJournal, type JournalService } from '@district/journal';
import { startDistrict, type District } from '@district/demo';
import { startJournalWorld, type JournalWorld } from './journal-test-world';

/**
 * A school's database goes away under a running journal instance (a TCP proxy
 * between the journal and the real PostgreSQL is cut, as when PostgreSQL
 * stops): requests answer DATABASE_UNAVAILABLE with `retryable: true`, the log
 * gets one line per failed request (no stack), /ready is 503 (/health stays 200: not ready, not dead), a write cut
 * half-way leaves nothing behind, and after the database is back the same
 * requests succeed — the write exactly once, thanks to its idempotency key.
 */

let w: JournalWorld;
let proxy: TcpProxy;
let journal: JournalService;
const logs: string[] = [];

beforeAll(async () => {
  w = await startJournalWorld();
  const pg = new URL(adminUrl());
  proxy = await startTcpProxy({ host: pg.hostname, port: Number(pg.port || 5432) });
  // A second journal instance of the same school, on the same database, but reaching it through the proxy.
  journal = await startJournal(
    {
      schoolId: 's001',
      port: 0,
      databaseUrl: proxy.via(databaseUrl(w.database)),
      production: false,
      auth: authSettings(keycloakUrl(), 'district', 'district-api'),
      poolMax: 3,
    },
    { log: (e) => logs.push(typeof e === 'string' ? e : `(object) ${e instanceof Error ? e.stack : String(e)}`) },
  );
});
afterAll(async () => {
  await journal?.close();
  await proxy?.close();
  await w?.close();
});

async function ask(
  user: string,
  query: string,
  variables: Record<string, unknown>,
  requestId: string,
): Promise<{ status: number; body: { data?: any; errors?: any[] } }> {
  const response = await fetch(journal.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(user)}`, 'x-request-id': requestId },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: any[] } };
}

async function probe(path: '/health' | '/ready'): Promise<{ status: number; body: unknown }> {
  const response = await fetch(journal.url.replace('/graphql', path));
  return { status: response.status, body: await response.json() };
}

const UNAVAILABLE = {
  message: 'База данных временно недоступна, повторите запрос немного позже',
  extensions: { code: 'DATABASE_UNAVAILABLE', retryable: true },
};
const CONTROL_FORMS = `query($s: ID!) { controlForms(schoolId: $s) { code weight } }`;

/** The lines the journal logged about one request. */
const linesAbout = (requestId: string) => logs.filter((l) => l.includes(`request ${requestId}:`));

describe('the school’s database goes down', () => {
  it('reads answer DATABASE_UNAVAILABLE (retryable), one log line each, /ready 503; after it is back the same request succeeds', async () => {
    const before = await ask('s001.teacher', CONTROL_FORMS, { s: 's001' }, 'read-0');
    expect(before.body.errors).toBeUndefined();
    expect(before.body.data.controlForms.length).toBeGreaterThan(3);
    expect((await probe('/ready')).status).toBe(200);

    await proxy.cut();
    for (const id of ['read-1', 'read-2', 'read-3']) {
      const answer = await ask('s001.teacher', CONTROL_FORMS, { s: 's001' }, id);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ data: null, errors: [{ ...UNAVAILABLE, path: ['controlForms'], locations: [{ line: 1, column: 18 }] }] });
    }
    expect(await probe('/ready')).toEqual({
      status: 503,
      body: { status: 'not ready', service: 'journal-s001', schoolId: 's001', notReady: { database: 'unreachable' } },
    });
    expect(await probe('/health')).toEqual({ status: 200, body: { status: 'ok', service: 'journal-s001', schoolId: 's001' } });

    for (const id of ['read-1', 'read-2', 'read-3']) {
      expect(linesAbout(id)).toEqual([
        expect.stringMatching(
          new RegExp(
            `^\\[journal-s001\\] request ${id}: DATABASE_UNAVAILABLE \\((ECONNREFUSED: connect ECONNREFUSED 127\\.0\\.0\\.1:${proxy.port}|Connection terminated[^)]*)\\)$`,
          ),
        ),
      ]);
    }
    // One line per failed request and one for the readiness change: no error objects, no stacks.
    expect(logs.filter((l) => l.startsWith('(object)') || l.includes('\n'))).toEqual([]);
    expect(logs.filter((l) => l.startsWith('[journal-s001] not ready: database DATABASE_UNAVAILABLE'))).toHaveLength(1);

    await proxy.restore();
    const after = await ask('s001.teacher', CONTROL_FORMS, { s: 's001' }, 'read-4');
    expect(after.body).toEqual(before.body);
    expect(await probe('/ready')).toEqual({ status: 200, body: { status: 'ready', service: 'journal-s001', schoolId: 's001' } });
    expect(logs).toContain('[journal-s001] ready again');
    expect(linesAbout('read-4')).toEqual([]);
  });

  it('a mark entry cut half-way leaves no mark, audit row or idempotency key; retried with the same key after the outage it is written once', async () => {
    const ENTER = `mutation($lesson: ID!, $marks: [MarkInput!]!, $key: String!) { enterMarks(lessonId: $lesson, marks: $marks, idempotencyKey: $key) { id value version } }`;
    const variables = {
      lesson: await w.lesson(w.maths, w.dates.recent),
      key: `outage-${randomUUID()}`,
      marks: [{ studentId: w.id('Student', w.ids.classmates[2]!), value: '5', controlForm: 'ORAL' }],
    };
    const before = await w.counts();

    // Hold the journal's audit lock, so the write stops after its idempotency claim and mark insert, just before its audit row.
    const holder = new Client({ connectionString: databaseUrl(w.database) });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('select pg_advisory_xact_lock($1)', [createHash('sha256').update('audit:journal').digest().readInt32BE(0)]);
      const writing = ask('s001.teacher', ENTER, variables, 'write-1');
      await waitFor(
        async () =>
          (await holder.query(`select count(*)::int as n from pg_stat_activity where datname = $1 and wait_event = 'advisory'`, [w.database])).rows[0].n === 1,
      );
      const orphans = proxy.upstreamPorts();

      await proxy.cut();
      const cut = await writing;
      expect(cut.body).toEqual({ data: null, errors: [{ ...UNAVAILABLE, path: ['enterMarks'], locations: [{ line: 1, column: 64 }] }] });
      expect(linesAbout('write-1')).toEqual([
        expect.stringMatching(/^\[journal-s001\] request write-1: DATABASE_UNAVAILABLE \((ECONNRESET: read ECONNRESET|Connection terminated[^)]*)\)$/),
      ]);

      // Released, the half-done transaction finds its client gone and PostgreSQL rolls it back.
      await holder.query('rollback');
      await waitFor(
        async () =>
          (await holder.query(`select count(*)::int as n from pg_stat_activity where datname = $1 and client_port = any($2)`, [w.database, orphans])).rows[0]
            .n === 0,
      );
      expect(await w.counts()).toEqual(before);
    } finally {
      await holder.query('rollback').catch(() => undefined);
      await holder.end();
    }

    await proxy.restore();
    const retried = await ask('s001.teacher', ENTER, variables, 'write-2');
    expect(retried.body.errors).toBeUndefined();
    expect(retried.body.data.enterMarks).toEqual([{ id: expect.any(String), value: '5', version: 1 }]);
    const after = await w.counts();
    expect({ marks: after.marks - before.marks, audit: after.audit - before.audit, idempotency: after.idempotency - before.idempotency }).toEqual({
      marks: 1,
      audit: 1,
      idempotency: 1,
    });
    // A phone that retries once more gets the same answer and writes nothing.
    const replayed = await ask('s001.teacher', ENTER, variables, 'write-3');
    expect(replayed.body.data.enterMarks).toEqual(retried.body.data.enterMarks);
    expect(await w.counts()).toEqual(after);
  });
});

describe('through the gateway', () => {
  let district: District;
  let districtProxy: TcpProxy;
  let proxied: JournalService;
  beforeAll(async () => {
    const prefix = `t_${randomBytes(3).toString('hex')}`;
    district = await startDistrict({ schools: ['s001'], databasePrefix: prefix, keycloakUrl: keycloakUrl(), studentsPerClass: 1, schoolTimeoutMs: 3_000 });
    const pg = new URL(adminUrl());
    districtProxy = await startTcpProxy({ host: pg.hostname, port: Number(pg.port || 5432) });
    const school = district.schools.get('s001')!;
    proxied = await startJournal(
      {
        schoolId: 's001',
        port: 0,
        databaseUrl: districtProxy.via(databaseUrl(`${prefix}_s001`)),
        production: false,
        auth: authSettings(keycloakUrl(), 'district', 'district-api'),
        poolMax: 3,
      },
      { log: () => undefined },
    );
    await district.registerSchool('s001', { ...school.urls, journal: proxied.url });
    await district.gateway.directory.refresh();
  });
  afterAll(async () => {
    await proxied?.close();
    await districtProxy?.close();
    await district?.close({ dropDatabases: true });
  });

  it('the school router passes DATABASE_UNAVAILABLE and retryable through unchanged, naming the school', async () => {
    const ask = async () => {
      const response = await fetch(district.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor('s001.teacher')}` },
        body: JSON.stringify({ query: CONTROL_FORMS, variables: { s: 's001' } }),
      });
      return { status: response.status, body: (await response.json()) as { data?: any; errors?: any[] } };
    };
    const before = await ask();
    expect(before.body.errors).toBeUndefined();
    await districtProxy.cut();
    const during = await ask();
    expect(during.status).toBe(200);
    expect(during.body).toEqual({
      data: null,
      errors: [{ message: UNAVAILABLE.message, path: ['controlForms'], extensions: { ...UNAVAILABLE.extensions, schoolId: 's001', serviceName: 'journal' } }],
    });
    await districtProxy.restore();
    expect((await ask()).body).toEqual(before.body);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
