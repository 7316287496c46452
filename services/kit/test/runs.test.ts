import { MikroORM } from '@mikro-orm/core';
import { PostgreSqlDriver, type EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '../src/errors';
import { RUN_INTERRUPTED, RunExecutor, RunState, runTableSql, type RunHandle } from '../src/runs';
import { createTestDatabase } from '../src/testing';

/**
 * The run executor against a real PostgreSQL: a run answers at once and is
 * worked on in the background, with progress, a bounded number at a time, an
 * outcome recorded with the work's own writes, and runs whose process is gone
 * marked FAILED (interrupted) while a live process's runs are left alone.
 */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let orm: MikroORM<PostgreSqlDriver>;
const em = () => orm.em.fork() as EntityManager;
const sql = <T = any>(text: string, params: unknown[] = []) => em().execute<T[]>(text, params);
const logged: string[] = [];
const executors: RunExecutor[] = [];

function executor(options: Partial<ConstructorParameters<typeof RunExecutor>[0]> = {}): RunExecutor {
  const e = new RunExecutor({ table: 'jobs.run', em, log: (m) => logged.push(m), ...options });
  executors.push(e);
  return e;
}

/** A promise the test resolves when it wants the work to go on. */
function gate(): { wait: Promise<void>; open(): void } {
  let open!: () => void;
  return { wait: new Promise<void>((resolve) => (open = resolve)), open: () => open() };
}

const create = (e: RunExecutor, label: string) => (tx: EntityManager) => e.insert(tx, 'tester', { label });

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  db = await createTestDatabase('runs');
  orm = await MikroORM.init<PostgreSqlDriver>({
    driver: PostgreSqlDriver,
    clientUrl: db.url,
    entities: [],
    discovery: { warnWhenNoEntities: false },
    allowGlobalContext: false,
  });
  await sql(`create schema jobs`);
  for (const statement of runTableSql('jobs.run', ['label varchar(50) not null'])) await sql(statement);
  await sql(`create table jobs.item (run_id int not null, n int not null)`);
});
afterAll(async () => {
  for (const e of executors) await e.stop(1_000);
  await orm?.close();
  await db?.drop();
});

describe('a run', () => {
  it('answers RUNNING at once, shows progress while it works, and ends SUCCEEDED with its result', async () => {
    const runs = executor();
    const go = gate();
    const { run, done } = await runs.submit(em(), create(runs, 'progress'), async (r) => {
      r.progress(3, 10);
      await go.wait;
      r.progress(10);
      return { state: RunState.SUCCEEDED, result: { items: 10 } };
    });
    expect(run).toMatchObject({ state: RunState.RUNNING, requestedBy: 'tester', processed: 0, total: null, finishedAt: null, error: null, result: null });
    expect(run.startedAt).toBeInstanceOf(Date);
    expect(run.row.label).toBe('progress');

    const midway = await until(
      () => runs.find(run.id),
      (r) => r!.processed === 3,
    );
    expect(midway).toMatchObject({ state: RunState.RUNNING, processed: 3, total: 10 });
    go.open();
    const end = await done;
    expect(end).toMatchObject({ id: run.id, state: RunState.SUCCEEDED, processed: 10, total: 10, errorCode: null, error: null, result: { items: 10 } });
    expect(end.finishedAt!.getTime()).toBeGreaterThanOrEqual(end.startedAt!.getTime());
    expect(await runs.find(run.id)).toEqual(end);
  });

  it('runs at most `concurrency` at a time: the next waits QUEUED and starts when a slot frees', async () => {
    const runs = executor({ concurrency: 1 });
    const go = gate();
    const order: string[] = [];
    const first = await runs.submit(em(), create(runs, 'first'), async () => {
      order.push('first');
      await go.wait;
      return { state: RunState.SUCCEEDED };
    });
    const second = await runs.submit(em(), create(runs, 'second'), async () => {
      order.push('second');
      return { state: RunState.PARTIAL, result: { skipped: 1 } };
    });
    expect([first.run.state, second.run.state]).toEqual([RunState.RUNNING, RunState.QUEUED]);
    expect(second.run.startedAt).toBeNull();
    await new Promise((r) => setTimeout(r, 200));
    expect((await runs.find(second.run.id))!.state).toBe(RunState.QUEUED);
    go.open();
    expect((await second.done).state).toBe(RunState.PARTIAL);
    expect((await first.done).state).toBe(RunState.SUCCEEDED);
    expect(order).toEqual(['first', 'second']);
  });

  it('a domain error ends FAILED with its code, message and details; anything else FAILED with a masked message, logged', async () => {
    const runs = executor();
    const refused = await runs.submit(em(), create(runs, 'refused'), async () => {
      throw DomainError.invalid('Файл не импортирован', [{ line: 7, message: 'неверная дата' }]);
    });
    expect(await refused.done).toMatchObject({
      state: RunState.FAILED,
      errorCode: 'BAD_USER_INPUT',
      error: 'Файл не импортирован',
      result: { problems: [{ line: 7, message: 'неверная дата' }] },
    });

    const broken = await runs.submit(em(), create(runs, 'broken'), async () => {
      throw new Error('connect ECONNREFUSED 10.0.0.5:5432');
    });
    const end = await broken.done;
    expect(end).toMatchObject({ state: RunState.FAILED, errorCode: 'INTERNAL_SERVER_ERROR', result: null });
    expect(end.error).toMatch(/^Внутренняя ошибка сервера/);
    expect(end.error).not.toContain('ECONNREFUSED');
    expect(logged.filter((m) => m.includes(`run ${end.id} failed`) && m.includes('ECONNREFUSED'))).toHaveLength(1);
  });

  it('an outcome recorded in the work’s transaction commits with its writes, or not at all', async () => {
    const runs = executor();
    const work = (fail: boolean) => async (r: RunHandle) => {
      await r.em.transactional(async (tx) => {
        await tx.execute(`insert into jobs.item (run_id, n) values (?, 1), (?, 2)`, [r.id, r.id]);
        await r.complete(tx, { state: RunState.SUCCEEDED, processed: 2, result: { items: 2 } });
        if (fail) throw new Error('commit refused');
      });
      return { state: RunState.SUCCEEDED };
    };
    const ok = await runs.submit(em(), create(runs, 'atomic'), work(false));
    expect(await ok.done).toMatchObject({ state: RunState.SUCCEEDED, processed: 2, result: { items: 2 } });
    expect(await sql(`select n from jobs.item where run_id = ? order by n`, [ok.run.id])).toEqual([{ n: 1 }, { n: 2 }]);

    const rolledBack = await runs.submit(em(), create(runs, 'rolled back'), work(true));
    expect(await rolledBack.done).toMatchObject({ state: RunState.FAILED, errorCode: 'INTERNAL_SERVER_ERROR', result: null });
    expect(await sql(`select n from jobs.item where run_id = ?`, [rolledBack.run.id])).toEqual([]);
  });
});

describe('runs whose process is gone', () => {
  const insertRun = (label: string, owner: string, state: string, heartbeatAgo: string) =>
    sql<{ id: number }>(
      `insert into jobs.run (label, requested_by, owner, state, started_at, heartbeat_at) values (?, 'tester', ?, ?, case when ? = 'RUNNING' then now() end, now() - ?::interval) returning id`,
      [label, owner, state, state, heartbeatAgo],
    ).then((rows) => Number(rows[0]!.id));
  const stateOf = async (id: number) =>
    (await sql<{ state: string; error_code: string | null }>(`select state, error_code from jobs.run where id = ?`, [id]))[0];

  it('at start: an earlier incarnation’s runs are interrupted at once, another live replica’s are left alone, a silent one’s are interrupted', async () => {
    const earlier = await insertRun('crashed', 'node-a:1:0ld0ld00', 'RUNNING', '1 second');
    const earlierQueued = await insertRun('crashed, queued', 'node-a:1:0ld0ld00', 'QUEUED', '1 second');
    const replica = await insertRun('replica', 'node-b:1:a1b2c3d4', 'RUNNING', '2 seconds');
    const silent = await insertRun('silent', 'node-c:1:a1b2c3d4', 'RUNNING', '10 minutes');
    const restarted = executor({ processName: 'node-a:1' });
    expect(await restarted.start()).toBe(3);
    expect(await stateOf(earlier)).toEqual({ state: 'FAILED', error_code: RUN_INTERRUPTED });
    expect(await stateOf(earlierQueued)).toEqual({ state: 'FAILED', error_code: RUN_INTERRUPTED });
    expect(await stateOf(silent)).toEqual({ state: 'FAILED', error_code: RUN_INTERRUPTED });
    expect(await stateOf(replica)).toEqual({ state: 'RUNNING', error_code: null });
    const [{ error }] = await sql(`select error from jobs.run where id = ?`, [earlier]);
    expect(error).toMatch(/прервано/);
    await sql(`update jobs.run set state = 'SUCCEEDED', finished_at = now() where id = ?`, [replica]);
  });

  it('a working run is kept alive by its heartbeat against the other replicas’ sweeps', async () => {
    const a = executor({ processName: 'node-a:2', heartbeatMs: 100 });
    const b = executor({ processName: 'node-b:2', staleAfterMs: 500 });
    const go = gate();
    const { run, done } = await a.submit(em(), create(a, 'long'), async () => {
      await go.wait;
      return { state: RunState.SUCCEEDED };
    });
    for (let i = 0; i < 8; i++) {
      await new Promise((r) => setTimeout(r, 150));
      expect(await b.sweep()).toEqual([]);
    }
    go.open();
    expect((await done).state).toBe(RunState.SUCCEEDED);
    // A poller in the other process follows it to its end.
    expect((await b.completion(run.id))!.state).toBe(RunState.SUCCEEDED);
  });

  it('stopping: queued runs end interrupted, a running one is given time to finish', async () => {
    const runs = executor({ concurrency: 1 });
    const go = gate();
    const running = await runs.submit(em(), create(runs, 'finishing'), async () => {
      await go.wait;
      return { state: RunState.SUCCEEDED };
    });
    const queued = await runs.submit(em(), create(runs, 'never started'), async () => ({ state: RunState.SUCCEEDED }));
    const stopping = runs.stop(5_000);
    setTimeout(() => go.open(), 200);
    await stopping;
    expect((await running.done).state).toBe(RunState.SUCCEEDED);
    expect(await queued.done).toMatchObject({ state: RunState.FAILED, errorCode: RUN_INTERRUPTED, startedAt: null });
  });
});
