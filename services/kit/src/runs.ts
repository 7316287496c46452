import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { EntityManager } from '@mikro-orm/postgresql';
import { registerEnumType } from 'type-graphql';
import { DomainError, ErrorCode } from './errors';

/**
 * Long operations (a monitoring collection, a big roster import, later
 * account provisioning) answer at once with a run and do their work in the
 * background; the caller follows the run by query. A run is a row in the
 * owning service's own table (same shape everywhere, `runTableSql`), moved
 * along by a `RunExecutor` in the process that accepted it.
 */
export enum RunState {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  PARTIAL = 'PARTIAL',
  FAILED = 'FAILED',
}
registerEnumType(RunState, {
  name: 'RunState',
  description:
    'QUEUED: accepted, waiting for a free slot; RUNNING: in progress (see processed / total); SUCCEEDED: done; PARTIAL: done, but part of the work could not be done (the run says which); FAILED: not done, nothing of it was recorded (see error)',
});

export type FinishedRunState = RunState.SUCCEEDED | RunState.PARTIAL | RunState.FAILED;

export const isRunFinished = (state: RunState): boolean => state !== RunState.QUEUED && state !== RunState.RUNNING;

/** `errorCode` of a run that its process did not finish (stopped, crashed, restarted). */
export const RUN_INTERRUPTED = 'INTERRUPTED';
const INTERRUPTED_MESSAGE = 'Выполнение прервано: служба была остановлена или перезапущена; ничего не записано, запустите снова';

/**
 * A run table: the generic columns, then the service's own (e.g. `month char(7) not null`).
 * `owner` and `heartbeat_at` let any process tell a run whose process is gone from one still working.
 */
export function runTableSql(table: string, columns: string[] = []): string[] {
  const name = table.split('.').pop()!;
  return [
    `create table ${table} (
      id serial primary key,
      state varchar(10) not null default 'QUEUED' check (state in ('QUEUED', 'RUNNING', 'SUCCEEDED', 'PARTIAL', 'FAILED')),
      requested_by varchar(100) not null,
      requested_at timestamptz not null default now(),
      started_at timestamptz,
      finished_at timestamptz,
      owner varchar(200) not null,
      heartbeat_at timestamptz not null default now(),
      total int check (total >= 0),
      processed int not null default 0 check (processed >= 0),
      error_code varchar(40),
      error text,
      result jsonb,
      ${columns.map((c) => `${c},`).join('\n      ')}
      check ((state in ('QUEUED', 'RUNNING')) = (finished_at is null)),
      check (state <> 'RUNNING' or started_at is not null),
      check ((state = 'FAILED') = (error_code is not null))
    )`,
    `create index ${name}_active_idx on ${table} (heartbeat_at) where state in ('QUEUED', 'RUNNING')`,
    `create index ${name}_requested_idx on ${table} (requested_at desc)`,
  ];
}

export interface RunRecord<R = unknown> {
  id: number;
  state: RunState;
  requestedBy: string;
  requestedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** Units of work (schools, rows), once known. */
  total: number | null;
  processed: number;
  errorCode: string | null;
  error: string | null;
  /** What the work reported at its end (service-specific), or a domain error's details. */
  result: R | null;
  /** The whole row, for the service's own columns. */
  row: Record<string, unknown>;
}

export function toRunRecord<R = unknown>(row: Record<string, unknown>): RunRecord<R> {
  const date = (v: unknown) => (v == null ? null : new Date(v as string));
  return {
    id: Number(row.id),
    state: row.state as RunState,
    requestedBy: String(row.requested_by),
    requestedAt: date(row.requested_at)!,
    startedAt: date(row.started_at),
    finishedAt: date(row.finished_at),
    total: row.total == null ? null : Number(row.total),
    processed: Number(row.processed ?? 0),
    errorCode: (row.error_code as string | null) ?? null,
    error: (row.error as string | null) ?? null,
    result: (row.result as R | null) ?? null,
    row,
  };
}

export interface RunOutcome<R = unknown> {
  state: FinishedRunState;
  result?: R | null;
  errorCode?: string | null;
  error?: string | null;
  /** Final count of processed units (default: the last progress reported). */
  processed?: number;
}

/** What the work sees of its run. */
export interface RunHandle {
  readonly id: number;
  /** An EntityManager of its own: the request that started the run has ended. */
  readonly em: EntityManager;
  /** Cheap to call often: written at most every few hundred milliseconds, outside the work's transaction, so pollers see it. */
  progress(processed: number, total?: number): void;
  /**
   * Records the outcome inside the work's own transaction, so the outcome and
   * what the work wrote commit together (a run is never SUCCEEDED without its
   * data, nor FAILED with it). Without it, the executor records the returned outcome.
   */
  complete(tx: EntityManager, outcome: RunOutcome): Promise<void>;
}

export type RunWork<R = unknown> = (run: RunHandle) => Promise<RunOutcome<R>>;

export interface RunExecutorOptions {
  /** `schema.table`, created with runTableSql. */
  table: string;
  em: () => EntityManager;
  /** Runs of this table worked on at once in this process; more wait QUEUED (default 2). */
  concurrency?: number;
  /** How often this process marks its runs alive (default 5 s). */
  heartbeatMs?: number;
  /** A run not marked alive for this long belongs to a process that is gone (default 30 s). */
  staleAfterMs?: number;
  log?: (message: string) => void;
  /** Which process this is among the service's replicas (default hostname:pid). */
  processName?: string;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  // Nobody has to await a run's end; a failure to record it is logged, not an unhandled rejection.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

interface Entry {
  id: number;
  work: RunWork;
  done: Deferred<RunRecord>;
  latest: { processed: number; total: number | null };
  timer?: NodeJS.Timeout;
  writing?: Promise<void>;
  closing?: boolean;
  completed?: boolean;
  /** Holds one of the `concurrency` slots. */
  started?: boolean;
}

const PROGRESS_WRITE_MS = 250;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs the work of runs in the background of this process, after the
 * transaction that created the run has committed: at most `concurrency` at a
 * time (the rest wait QUEUED), each with progress, a heartbeat and a recorded
 * outcome. A thrown DomainError becomes FAILED with its code, message and
 * details; anything else FAILED with a masked message (and a log line).
 *
 * A run whose process is gone is marked FAILED (`INTERRUPTED`) by `sweep()`:
 * at start (runs of an earlier incarnation of this process at once, others'
 * once their heartbeat is stale) and whenever a service reads or starts runs,
 * so no run stays RUNNING forever, and a live replica's runs are left alone.
 * One executor per table per process.
 */
export class RunExecutor {
  /** host:pid:random — a process on the same host and pid with another suffix is an earlier incarnation, hence gone. */
  readonly owner: string;
  private readonly incarnation: string;
  private readonly entries = new Map<number, Entry>();
  private readonly queue: Entry[] = [];
  private active = 0;
  private heartbeat?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly options: RunExecutorOptions) {
    if (!/^[a-z_]+\.[a-z_]+$/.test(options.table)) throw new Error(`run table must be schema.table: ${options.table}`);
    this.incarnation = `${options.processName ?? `${hostname().slice(0, 150)}:${process.pid}`}:`;
    this.owner = `${this.incarnation}${randomBytes(4).toString('hex')}`;
  }

  get table(): string {
    return this.options.table;
  }

  /** At start: whatever an earlier incarnation left QUEUED or RUNNING is FAILED (interrupted). */
  async start(): Promise<number> {
    const swept = await this.sweep();
    if (swept.length) this.options.log?.(`${this.table}: runs ${swept.join(', ')} were interrupted by a restart; marked FAILED`);
    return swept.length;
  }

  /** Marks FAILED (interrupted) the unfinished runs whose process is gone; returns their ids. */
  async sweep(): Promise<number[]> {
    const rows = await this.options.em().execute<{ id: number }[]>(
      `update ${this.table} set state = 'FAILED', finished_at = now(), error_code = ?, error = ?
       where state in ('QUEUED', 'RUNNING') and owner <> ?
         and (heartbeat_at < now() - make_interval(secs => ?) or left(owner, ?) = ?)
       returning id`,
      [RUN_INTERRUPTED, INTERRUPTED_MESSAGE, this.owner, (this.options.staleAfterMs ?? 30_000) / 1000, this.incarnation.length, this.incarnation],
    );
    return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
  }

  /** Inserts a QUEUED run owned by this process, in the caller's transaction; `columns` are the service's own. */
  async insert(tx: EntityManager, requestedBy: string, columns: Record<string, unknown> = {}, total: number | null = null): Promise<number> {
    const names = Object.keys(columns);
    if (names.some((n) => !/^[a-z_]+$/.test(n))) throw new Error(`bad run column in ${names.join(', ')}`);
    const [row] = await tx.execute<{ id: number }[]>(
      `insert into ${this.table} (requested_by, owner, total${names.map((n) => `, ${n}`).join('')}) values (?, ?, ?${names.map(() => ', ?').join('')}) returning id`,
      [requestedBy, this.owner, total, ...names.map((n) => columns[n])],
    );
    return Number(row!.id);
  }

  /**
   * Creates a run in a transaction of its own (`create` validates and inserts,
   * e.g. with `insert`), and once that has committed, starts its work here in
   * the background. Answers the run as it is now — RUNNING, or QUEUED when all
   * slots are busy — and a promise of its end.
   */
  async submit<R>(
    em: EntityManager,
    create: (tx: EntityManager) => Promise<number>,
    work: RunWork<R>,
  ): Promise<{ run: RunRecord; done: Promise<RunRecord<R>> }> {
    // A free slot is taken before the transaction, so a run that can start commits as RUNNING: nobody sees it QUEUED for a moment.
    const slot = !this.stopped && this.active < (this.options.concurrency ?? 2);
    if (slot) this.active++;
    let created: { id: number; row?: Record<string, unknown> };
    try {
      created = await em.transactional(async (tx) => {
        const id = await create(tx);
        if (!slot) return { id };
        const [row] = await tx.execute<Record<string, unknown>[]>(
          `update ${this.table} set state = 'RUNNING', started_at = now(), heartbeat_at = now() where id = ? and owner = ? and state = 'QUEUED' returning *`,
          [id, this.owner],
        );
        return { id, row };
      });
    } catch (error) {
      if (slot) this.active--;
      throw error;
    }
    const entry: Entry = { id: created.id, work: work as RunWork, done: deferred(), latest: { processed: 0, total: null }, started: slot };
    const done = entry.done.promise as Promise<RunRecord<R>>;
    this.entries.set(entry.id, entry);
    if (slot) {
      this.beat();
      // The caller's answer goes out first; the work starts on the next turn of the event loop.
      setImmediate(() => void this.execute(entry));
      return { run: toRunRecord(created.row!), done };
    }
    if (this.stopped) {
      await this.end(entry, () => this.interrupt(entry));
    } else {
      this.beat();
      this.queue.push(entry);
    }
    return { run: (await this.find(entry.id))!, done };
  }

  /** The end of a run: from this process's memory, or by polling the table when another process works on it. */
  async completion(id: number, pollMs = 500): Promise<RunRecord | null> {
    const entry = this.entries.get(id);
    if (entry) return entry.done.promise;
    for (;;) {
      await this.sweep();
      const run = await this.find(id);
      if (!run || isRunFinished(run.state)) return run;
      await sleep(pollMs);
    }
  }

  async find(id: number, em: EntityManager = this.options.em()): Promise<RunRecord | null> {
    const [row] = await em.execute<Record<string, unknown>[]>(`select * from ${this.table} where id = ?`, [id]);
    return row ? toRunRecord(row) : null;
  }

  /** The latest runs, newest first. */
  async latest(limit: number, em: EntityManager = this.options.em()): Promise<RunRecord[]> {
    const rows = await em.execute<Record<string, unknown>[]>(`select * from ${this.table} order by id desc limit ?`, [limit]);
    return rows.map((r) => toRunRecord(r));
  }

  /**
   * Stops taking work: queued runs end as interrupted; running ones get up to
   * `graceMs` to finish (a shutdown waits for them), then are marked interrupted.
   */
  async stop(graceMs = 30_000): Promise<void> {
    this.stopped = true;
    for (const entry of this.queue.splice(0)) await this.end(entry, () => this.interrupt(entry));
    const running = [...this.entries.values()];
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(running.map((e) => e.done.promise.catch(() => undefined))),
      new Promise((resolve) => (timer = setTimeout(resolve, graceMs))),
    ]);
    clearTimeout(timer);
    for (const entry of [...this.entries.values()]) {
      this.options.log?.(`${this.table}: run ${entry.id} did not finish within ${graceMs} ms of shutdown; marked interrupted`);
      await this.end(entry, () => this.interrupt(entry));
    }
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  /** Starts a queued run once a slot is free. */
  private async begin(entry: Entry): Promise<void> {
    this.active++;
    entry.started = true;
    const [row] = await this.options
      .em()
      .execute<Record<string, unknown>[]>(
        `update ${this.table} set state = 'RUNNING', started_at = now(), heartbeat_at = now() where id = ? and owner = ? and state = 'QUEUED' returning id`,
        [entry.id, this.owner],
      );
    // Ended in between (swept by another process): nothing to run.
    if (!row) await this.end(entry, async () => (await this.find(entry.id))!);
    else void this.execute(entry);
  }

  private async execute(entry: Entry): Promise<void> {
    const handle: RunHandle = {
      id: entry.id,
      em: this.options.em(),
      progress: (processed, total) => this.progress(entry, processed, total),
      complete: async (tx, outcome) => {
        await this.quiesce(entry);
        await this.record(tx, entry, outcome);
        entry.completed = true;
      },
    };
    await this.end(entry, async () => {
      try {
        const outcome = await entry.work(handle);
        if (entry.completed) return (await this.find(entry.id))!;
        return await this.finish(entry, outcome);
      } catch (error) {
        return this.finish(entry, this.failure(entry, error));
      }
    });
  }

  private failure(entry: Entry, error: unknown): RunOutcome {
    if (error instanceof DomainError) {
      return { state: RunState.FAILED, errorCode: error.code, error: error.message, result: Object.keys(error.details).length ? error.details : null };
    }
    this.options.log?.(`${this.table}: run ${entry.id} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return { state: RunState.FAILED, errorCode: ErrorCode.Internal, error: 'Внутренняя ошибка сервера: выполнение не завершено, ничего не записано' };
  }

  /** Records an outcome (outside any transaction of the work). */
  private async finish(entry: Entry, outcome: RunOutcome): Promise<RunRecord> {
    await this.quiesce(entry);
    return this.record(this.options.em(), entry, outcome);
  }

  /** Marks a run this process gives up on (shutdown); one that has just recorded its own outcome keeps it. */
  private async interrupt(entry: Entry): Promise<RunRecord> {
    await this.quiesce(entry);
    const outcome: RunOutcome = { state: RunState.FAILED, errorCode: RUN_INTERRUPTED, error: INTERRUPTED_MESSAGE };
    return (await this.record(this.options.em(), entry, outcome, true)) ?? (await this.find(entry.id))!;
  }

  private async record(em: EntityManager, entry: Entry, outcome: RunOutcome): Promise<RunRecord>;
  private async record(em: EntityManager, entry: Entry, outcome: RunOutcome, unfinishedOnly: true): Promise<RunRecord | null>;
  private async record(em: EntityManager, entry: Entry, outcome: RunOutcome, unfinishedOnly = false): Promise<RunRecord | null> {
    const failed = outcome.state === RunState.FAILED;
    const [row] = await em.execute<Record<string, unknown>[]>(
      // clock_timestamp: inside the work's transaction now() would be when that transaction began.
      `update ${this.table} set state = ?, finished_at = clock_timestamp(), heartbeat_at = clock_timestamp(),
         processed = ?, total = coalesce(?, total), error_code = ?, error = ?, result = ?::jsonb
       where id = ? and owner = ? ${unfinishedOnly ? `and state in ('QUEUED', 'RUNNING')` : ''} returning *`,
      [
        outcome.state,
        outcome.processed ?? entry.latest.processed,
        entry.latest.total,
        failed ? (outcome.errorCode ?? ErrorCode.Internal) : null,
        outcome.error ?? null,
        outcome.result == null ? null : JSON.stringify(outcome.result),
        entry.id,
        this.owner,
      ],
    );
    if (!row && !unfinishedOnly) throw new Error(`${this.table}: run ${entry.id} is not this process's`);
    return row ? toRunRecord(row) : null;
  }

  /** Runs `finish`, then frees the slot, settles the run's promise and starts the next queued run. */
  private async end(entry: Entry, finish: () => Promise<RunRecord>): Promise<void> {
    let record: RunRecord | undefined;
    let failure: unknown;
    try {
      record = await finish();
    } catch (error) {
      failure = error;
      this.options.log?.(`${this.table}: could not record the end of run ${entry.id}: ${(error as Error).message}`);
    }
    if (!this.entries.delete(entry.id)) return;
    if (entry.started) this.active--;
    if (record) entry.done.resolve(record);
    else entry.done.reject(failure);
    if (this.entries.size === 0) {
      clearInterval(this.heartbeat);
      this.heartbeat = undefined;
    }
    const next = this.stopped ? undefined : this.queue.shift();
    if (next) void this.begin(next).catch((error: Error) => this.end(next, () => Promise.reject(error)));
  }

  private progress(entry: Entry, processed: number, total?: number): void {
    entry.latest = { processed, total: total ?? entry.latest.total };
    if (entry.timer || entry.closing) return;
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      const { processed: p, total: t } = entry.latest;
      entry.writing = this.options
        .em()
        .execute(
          `update ${this.table} set processed = ?, total = coalesce(?, total), heartbeat_at = now() where id = ? and owner = ? and state = 'RUNNING'`,
          [p, t, entry.id, this.owner],
          'run',
        )
        .then(
          () => undefined,
          (error: Error) => this.options.log?.(`${this.table}: progress of run ${entry.id} not written: ${error.message}`),
        )
        .finally(() => (entry.writing = undefined));
    }, PROGRESS_WRITE_MS);
  }

  /** No more progress writes: the final record carries the last numbers. */
  private async quiesce(entry: Entry): Promise<void> {
    entry.closing = true;
    clearTimeout(entry.timer);
    entry.timer = undefined;
    await entry.writing;
  }

  /** While this process has runs, it marks them alive (those it still holds, by id), so other processes' sweeps leave them alone. */
  private beat(): void {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => {
      this.options
        .em()
        .execute(
          `update ${this.table} set heartbeat_at = now() where id in (?) and owner = ? and state in ('QUEUED', 'RUNNING')`,
          [[...this.entries.keys(), 0], this.owner],
          'run',
        )
        .catch((error: Error) => this.options.log?.(`${this.table}: heartbeat not written: ${error.message}`));
    }, this.options.heartbeatMs ?? 5_000);
    this.heartbeat.unref();
  }
}
