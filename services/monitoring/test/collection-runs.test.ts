import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { hostname } from 'node:os';
import { startDistrict, type District } from '@district/demo';
import { authSettings } from '@district/kit';
import { codes, databaseUrl, gqlAt, keycloakUrl, tokenFor } from '@district/kit/testing';
import { tokenUrlOf } from '@district/kit';
import { startMonitoring } from '../src';
import { collectionRunId } from '../src/collection/collection-run';
import { currentMonth } from '../src/collection/month';

/**
 * A collection with a school that hangs used to outlive the
 * gateway's timeout for monitoring (2 × SCHOOL_TIMEOUT_MS), so the admin got
 * INTERNAL_SERVER_ERROR for a collection that completed. A collection is now a
 * run: the mutation answers at once and the run is followed by query.
 */
const SCHOOL_TIMEOUT_MS = 1_500;
const MONITORING_TIMEOUT_MS = 2 * SCHOOL_TIMEOUT_MS;
const TZ = 'Europe/Moscow';
const prefix = `t_${randomBytes(3).toString('hex')}`;
let district: District;

beforeAll(async () => {
  district = await startDistrict({
    schools: ['s001', 's002', 's003'],
    databasePrefix: prefix,
    keycloakUrl: keycloakUrl(),
    studentsPerClass: 1,
    schoolTimeoutMs: SCHOOL_TIMEOUT_MS,
    collectionRetryMs: 1_000,
  });
}, 300_000);
afterAll(async () => {
  await district?.close({ dropDatabases: true });
});

const RUN_FIELDS = `id state month requestedBy startedAt finishedAt total processed schools { schoolId state attempts error } reportVersion error errorCode`;
const COLLECT = `mutation($m: String!) { collectMonitoring(month: $m) { ${RUN_FIELDS} } }`;
const RUN = `query($id: ID!) { monitoringCollectionRun(id: $id) { ${RUN_FIELDS} } }`;
const districtSql = <T = any>(text: string, params: unknown[] = []) => district.monitoring.em().getConnection().execute<T[]>(text, params);

async function finished(token: string, id: string): Promise<any> {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 250))) {
    const run = (await gqlAt(district.gateway.url, token, RUN, { id })).data!.monitoringCollectionRun;
    if (!['QUEUED', 'RUNNING'].includes(run.state)) return run;
  }
  throw new Error(`run ${id} did not finish`);
}

/** Points a school's journal at a port that accepts connections and never answers. */
async function hang(schoolId: string): Promise<() => Promise<void>> {
  const sockets: Socket[] = [];
  const blackhole: Server = createServer((s) => sockets.push(s));
  await new Promise<void>((resolve) => blackhole.listen(0, '127.0.0.1', () => resolve()));
  const school = district.schools.get(schoolId)!;
  await district.registerSchool(schoolId, { ...school.urls, journal: `http://127.0.0.1:${(blackhole.address() as AddressInfo).port}/graphql` });
  await district.gateway.directory.refresh();
  return async () => {
    await district.registerSchool(schoolId, school.urls);
    await district.gateway.directory.refresh();
    sockets.forEach((s) => s.destroy());
    blackhole.close();
  };
}

describe('a collection that outlives the gateway’s timeout for monitoring', () => {
  it('through the gateway: the mutation answers at once with the run, and polling shows it PARTIAL with the hanging school stale, never an error', async () => {
    const month = currentMonth(TZ);
    const admin = await tokenFor('district.admin');
    const restore = await hang('s002');
    try {
      const asked = Date.now();
      const answer = await gqlAt(district.gateway.url, admin, COLLECT, { m: month });
      const answeredIn = Date.now() - asked;
      expect(answer.errors).toBeUndefined();
      expect(answeredIn).toBeLessThan(MONITORING_TIMEOUT_MS / 2);
      const started = answer.data!.collectMonitoring;
      expect(started).toMatchObject({
        state: 'RUNNING',
        month,
        requestedBy: 'district.admin',
        finishedAt: null,
        schools: [],
        reportVersion: null,
        error: null,
      });

      const seen: { state: string; total: number | null; processed: number }[] = [];
      let run: any;
      for (;;) {
        const polled = await gqlAt(district.gateway.url, admin, RUN, { id: started.id });
        expect(polled.errors).toBeUndefined();
        run = polled.data!.monitoringCollectionRun;
        seen.push({ state: run.state, total: run.total, processed: run.processed });
        if (!['QUEUED', 'RUNNING'].includes(run.state)) break;
        expect(Date.now() - asked).toBeLessThan(60_000);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      // The run took longer than the gateway waits for monitoring: the old synchronous mutation would have failed.
      expect(Date.now() - asked).toBeGreaterThan(MONITORING_TIMEOUT_MS);
      // While s002 hung, the run showed the two schools that had answered.
      expect(seen).toContainEqual({ state: 'RUNNING', total: 3, processed: 2 });
      expect(run).toMatchObject({ id: started.id, state: 'PARTIAL', total: 3, processed: 3, errorCode: null, reportVersion: null });
      expect(run.error).toContain('s002');
      expect(run.schools).toEqual([
        { schoolId: 's001', state: 'CURRENT', attempts: 1, error: null },
        { schoolId: 's002', state: 'STALE', attempts: 2, error: expect.stringMatching(/^(SCHOOL_UNAVAILABLE|TIMEOUT): /) },
        { schoolId: 's003', state: 'CURRENT', attempts: 1, error: null },
      ]);
      const stored = await districtSql(`select school_id, state from monitoring.school_month where month = ? order by school_id`, [month]);
      expect(stored).toEqual([
        { school_id: 's001', state: 'CURRENT' },
        { school_id: 's002', state: 'STALE' },
        { school_id: 's003', state: 'CURRENT' },
      ]);
      // An analyst follows the same run.
      const analyst = await gqlAt(district.gateway.url, await tokenFor('analyst'), RUN, { id: started.id });
      expect(analyst.data!.monitoringCollectionRun).toEqual(run);
    } finally {
      await restore();
    }
  });
});

describe('runs whose process is gone', () => {
  const insertRun = async (month: string, owner: string, heartbeatAgo: string) => {
    const [row] = await districtSql<{ id: number }>(
      `insert into monitoring.collection_run (month, trigger, requested_by, owner, state, started_at, heartbeat_at)
       values (?, 'MANUAL', 'district.admin', ?, 'RUNNING', now() - ?::interval, now() - ?::interval) returning id`,
      [month, owner, heartbeatAgo, heartbeatAgo],
    );
    return Number(row!.id);
  };

  it('a run left RUNNING by a process that was restarted is FAILED (interrupted) once monitoring starts again, and the month can be collected again', async () => {
    const month = '2026-01';
    // The same host and pid as this process, another incarnation: what a container restart leaves behind.
    const orphan = await insertRun(month, `${hostname().slice(0, 150)}:${process.pid}:0ld0ld00`, '1 second');
    const admin = await tokenFor('district.admin');
    expect(await districtSql(`select state from monitoring.collection_run where id = ?`, [orphan])).toEqual([{ state: 'RUNNING' }]);

    const logged: string[] = [];
    const config = {
      port: 0,
      databaseUrl: databaseUrl(prefix),
      production: false,
      auth: authSettings(keycloakUrl(), 'district', 'district-api'),
      collection: {
        gatewayUrl: () => undefined,
        tokenUrl: tokenUrlOf(keycloakUrl()),
        clientId: 'district-monitoring',
        clientSecret: 'district-monitoring-secret',
        timezone: TZ,
        nightlyAt: null,
      },
    };
    const restarted = await startMonitoring(config, { log: (m) => logged.push(String(m)) });
    try {
      const [row] = await districtSql(`select state, error_code, finished_at is not null as finished from monitoring.collection_run where id = ?`, [orphan]);
      expect(row).toEqual({ state: 'FAILED', error_code: 'INTERRUPTED', finished: true });
      expect(logged).toContain(`monitoring.collection_run: runs ${orphan} were interrupted by a restart; marked FAILED`);
    } finally {
      await restarted.close();
    }
    const { monitoringCollectionRun: failed } = (await gqlAt(district.gateway.url, admin, RUN, { id: collectionRunId(orphan) })).data!;
    expect(failed).toMatchObject({ state: 'FAILED', errorCode: 'INTERRUPTED', schools: [] });
    expect(failed.error).toMatch(/прервано/);

    const again = (await gqlAt(district.gateway.url, admin, COLLECT, { m: month })).data!.collectMonitoring;
    expect(again.id).not.toBe(collectionRunId(orphan));
    expect(again.state).toBe('RUNNING');
    expect(await finished(admin, again.id)).toMatchObject({ state: 'SUCCEEDED', reportVersion: 1 });
  });

  it('a run of another replica that stopped beating is shown FAILED (interrupted) to whoever reads it; a live one is left alone', async () => {
    const silent = await insertRun('2026-02', 'replica-b:1:a1b2c3d4', '10 minutes');
    const live = await insertRun('2026-03', 'replica-c:1:a1b2c3d4', '1 second');
    const analyst = await tokenFor('analyst');
    const read = async (id: number) => (await gqlAt(district.gateway.url, analyst, RUN, { id: collectionRunId(id) })).data!.monitoringCollectionRun;
    expect(await read(silent)).toMatchObject({ state: 'FAILED', errorCode: 'INTERRUPTED' });
    expect(await read(live)).toMatchObject({ state: 'RUNNING', errorCode: null, finishedAt: null });
    await districtSql(`update monitoring.collection_run set state = 'FAILED', error_code = 'INTERRUPTED', finished_at = now() where id = ?`, [live]);
  });

  it('only district roles read runs', async () => {
    const [{ id }] = await districtSql<{ id: number }>(`select id from monitoring.collection_run order by id limit 1`);
    for (const user of ['s001.director', 's001.deputy', 's001.teacher']) {
      const answer = await gqlAt(district.gateway.url, await tokenFor(user), RUN, { id: collectionRunId(id) });
      expect([user, codes(answer)]).toEqual([user, ['FORBIDDEN']]);
    }
  });
});
