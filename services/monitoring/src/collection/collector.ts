import { askGateway, RunExecutor, RunState, type DiaryReaderKind, type GatewayUnreachable, type RunHandle, type RunOutcome } from '@district/kit';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  activeCollectionRun,
  COLLECTION_RUNS_TABLE,
  toCollectionRun,
  type CollectionResult,
  type CollectionRun,
  type CollectionTrigger,
  type SchoolOutcome,
} from './collection-run';
import { schoolFigures, SCHOOL_FIGURES_QUERY, type Figures } from './figures';
import { isMonthOver, requireMonth } from './month';
import { closeMonthlyReport } from './report';

export interface CollectorOptions {
  em: () => EntityManager;
  /** The gateway's GraphQL URL; undefined until the gateway is known (collection then fails with a clear error). */
  gatewayUrl: () => string | undefined;
  /** A bearer token of monitoring's service account (role district-analyst). */
  token: () => Promise<string>;
  timezone: string;
  /** Schools asked at once (default 8): the gateway fans out, this only bounds the district's own load. */
  concurrency?: number;
  /** Per school (default 30 s): a slow school is marked stale, the rest go on. */
  timeoutMs?: number;
  /** A school that failed is asked once more after this pause (default 2 s), so a blip does not make it stale. */
  retryDelayMs?: number;
  log?: (message: string) => void;
  /** Told how each run this collector started ended (metrics); not for runs it only joined. */
  runFinished?: (state: RunState) => void;
}

interface Fetched {
  schoolId: string;
  attempts?: number;
  answer?: { journal: Record<string, unknown>; people: { students: number; guardians: number } };
  error?: string;
}

interface SchoolFiguresData {
  school?: { monthlyFigures?: Record<string, unknown> | null; studentCount?: number | null; guardianCount?: number | null } | null;
}

/** Which count of the month's diary use a reader kind adds to. */
const COUNTED_AS = { student: 'students', parent: 'parents' } as const satisfies Record<DiaryReaderKind, string>;

/**
 * Gathers every school's monthly figures through the gateway's school router
 * and stores them with the time they were collected. A school that does not
 * answer is asked once more after a pause; if it still fails it keeps its
 * last good figures, marked stale with the error; the next run catches up.
 * Storing is an upsert per school and month, so collecting a month twice
 * gives the same rows, not doubled ones. A month that is over is closed into
 * a versioned report (./report.ts).
 *
 * A collection is a run (kit's RunExecutor): asking for one records it and
 * answers at once, the schools are asked in the background, and the run's
 * row says how far it got and how it ended. One unfinished run per month:
 * asking again while it works joins it.
 */

export class Collector {
  readonly runs: RunExecutor;

  constructor(private readonly options: CollectorOptions) {
    this.runs = new RunExecutor({ table: COLLECTION_RUNS_TABLE, em: options.em, log: options.log });
  }

  get timezone(): string {
    return this.options.timezone;
  }

  get gatewayUrl(): () => string | undefined {
    return this.options.gatewayUrl;
  }

  /** At service start: runs a previous process left unfinished are marked FAILED (interrupted). */
  open(): Promise<number> {
    return this.runs.start();
  }

  /** At shutdown: a collection under way is given time to finish. */
  close(): Promise<void> {
    return this.runs.stop();
  }

  /**
   * Starts collecting a month, or joins the month's unfinished run. Answers
   * the run as it is now (RUNNING) and a promise of its end.
   */
  async start(month: string, trigger: CollectionTrigger, requestedBy: string): Promise<{ run: CollectionRun; done: Promise<CollectionRun> }> {
    requireMonth(month, this.options.timezone);
    await this.runs.sweep();
    for (let attempt = 1; ; attempt++) {
      const active = await activeCollectionRun(this.options.em(), month);
      if (active) return { run: active, done: this.runs.completion(active.id).then((r) => toCollectionRun(r!)) };
      try {
        const { run, done } = await this.runs.submit(
          this.options.em(),
          (tx) => this.runs.insert(tx, requestedBy, { month, trigger }),
          (handle) => this.collectMonth(handle, month),
        );
        // A run whose end could not even be recorded counts as failed.
        done.then(
          (r) => this.options.runFinished?.(r.state),
          () => this.options.runFinished?.(RunState.FAILED),
        );
        return { run: toCollectionRun(run), done: done.then(toCollectionRun) };
      } catch (error) {
        // Another request started this month's run between our look and our insert (the unique index said so): join it.
        if (!(error instanceof UniqueConstraintViolationException) || attempt >= 3) throw error;
      }
    }
  }

  /** Collects a month and waits for the end: the nightly schedule, the demo and scripts. */
  async collect(month: string, trigger: CollectionTrigger, requestedBy: string): Promise<CollectionRun> {
    return (await this.start(month, trigger, requestedBy)).done;
  }

  /** The work of one run: ask every school (retrying failures once), then store everything and the outcome in one transaction. */
  private async collectMonth(run: RunHandle, month: string): Promise<RunOutcome<CollectionResult>> {
    const em = run.em;
    const schools = (await em.execute<{ id: string }[]>(`select id from monitoring.school where status <> 'NOT_STARTED' order by id`)).map((s) => s.id);
    let processed = 0;
    run.progress(processed, schools.length);
    const fetched = await this.fetchAll(schools, month, (f) => {
      if (f.answer) run.progress(++processed);
    });
    const failed = fetched.filter((f) => !f.answer);
    if (failed.length) {
      await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs ?? 2_000));
      const retried = new Map(
        (
          await this.fetchAll(
            failed.map((f) => f.schoolId),
            month,
            () => run.progress(++processed),
          )
        ).map((f) => [f.schoolId, { ...f, attempts: 2 }]),
      );
      fetched.forEach((f, i) => (fetched[i] = retried.get(f.schoolId) ?? f));
    }
    const diary = await this.diaryOpens(em, month);

    return em.transactional(async (tx) => {
      // One writer per month at a time: two runs of the same month serialize instead of interleaving.
      await tx.execute(`select pg_advisory_xact_lock(hashtext(?))`, [`monitoring:${month}`]);
      const outcomes: SchoolOutcome[] = [];
      for (const f of fetched) {
        if (f.answer) {
          const figures: Figures = schoolFigures(f.answer.journal, f.answer.people, diary.get(f.schoolId) ?? { students: 0, parents: 0 });
          await tx.execute(
            `insert into monitoring.school_month (school_id, month, figures, collected_at, state, last_attempt_at, last_error)
             values (?, ?, ?::jsonb, now(), 'CURRENT', now(), null)
             on conflict (school_id, month) do update
               set figures = excluded.figures, collected_at = excluded.collected_at, state = 'CURRENT', last_attempt_at = excluded.last_attempt_at, last_error = null`,
            [f.schoolId, month, JSON.stringify(figures)],
          );
          outcomes.push({ schoolId: f.schoolId, state: 'CURRENT', error: null, attempts: f.attempts ?? 1 });
        } else {
          await tx.execute(
            `insert into monitoring.school_month (school_id, month, figures, collected_at, state, last_attempt_at, last_error)
             values (?, ?, null, null, 'STALE', now(), ?)
             on conflict (school_id, month) do update set state = 'STALE', last_attempt_at = excluded.last_attempt_at, last_error = excluded.last_error`,
            [f.schoolId, month, f.error ?? 'неизвестная ошибка'],
          );
          outcomes.push({ schoolId: f.schoolId, state: 'STALE', error: f.error ?? null, attempts: f.attempts ?? 1 });
        }
      }
      const reportVersion = isMonthOver(month, this.options.timezone) ? await closeMonthlyReport(tx as EntityManager, month, run.id) : null;
      const stale = outcomes.filter((o) => o.state === 'STALE').map((o) => o.schoolId);
      // PARTIAL: the run finished and recorded everything, but some schools kept their last figures (marked stale).
      const outcome: RunOutcome<CollectionResult> = {
        state: stale.length ? RunState.PARTIAL : RunState.SUCCEEDED,
        processed: outcomes.length,
        result: { schools: outcomes, reportVersion },
        error: stale.length ? `Не ответили школы: ${stale.join(', ')} — их показатели прежние, помечены устаревшими` : null,
      };
      // The outcome commits with the figures: a run is never SUCCEEDED without them, nor FAILED with them.
      await run.complete(tx as EntityManager, outcome);
      this.options.log?.(`collected ${month}: ${outcomes.length - stale.length} current, ${stale.length} stale${stale.length ? ` (${stale.join(', ')})` : ''}`);
      return outcome;
    });
  }

  /** Months that need another run: the current and the previous month, and any month of the last year with a stale school. */
  async monthsToCollect(current: string, previous: string): Promise<string[]> {
    const rows = await this.options
      .em()
      .execute<{ month: string }[]>(`select distinct month from monitoring.school_month where state = 'STALE' and month >= ? order by month`, [
        `${Number(current.slice(0, 4)) - 1}${current.slice(4)}`,
      ]);
    return [...new Set([...rows.map((r) => r.month), previous, current])].sort();
  }

  private async fetchAll(schoolIds: string[], month: string, answered: (f: Fetched) => void): Promise<Fetched[]> {
    const results: Fetched[] = new Array(schoolIds.length);
    let next = 0;
    const worker = async () => {
      while (next < schoolIds.length) {
        const i = next++;
        results[i] = await this.fetchSchool(schoolIds[i]!, month);
        answered(results[i]!);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency ?? 8, schoolIds.length) }, worker));
    return results;
  }

  private async fetchSchool(schoolId: string, month: string): Promise<Fetched> {
    try {
      const answer = await askGateway<SchoolFiguresData>(this.options.gatewayUrl(), {
        authorization: `Bearer ${await this.options.token()}`,
        query: SCHOOL_FIGURES_QUERY,
        variables: { id: schoolId, month },
        client: 'monitoring',
        timeoutMs: this.options.timeoutMs ?? 30_000,
      });
      const school = answer.data?.school;
      const error = answer.errors?.[0];
      if (error) return { schoolId, error: `${error.extensions?.code ?? 'ERROR'}: ${error.message}` };
      if (answer.status !== 200 || !school?.monthlyFigures || school.studentCount == null || school.guardianCount == null) {
        return { schoolId, error: `школа не ответила (HTTP ${answer.status})` };
      }
      return { schoolId, answer: { journal: school.monthlyFigures, people: { students: school.studentCount, guardians: school.guardianCount } } };
    } catch (error) {
      const e = error as GatewayUnreachable;
      if (e.reason === 'not configured') return { schoolId, error: 'адрес шлюза не настроен (GATEWAY_URL)' };
      return { schoolId, error: e.reason === 'timeout' ? 'TIMEOUT: школа не ответила вовремя' : `UNREACHABLE: ${e.message}` };
    }
  }

  private async diaryOpens(em: EntityManager, month: string): Promise<Map<string, { students: number; parents: number }>> {
    const rows = await em.execute<{ school_id: string; role: string; n: string }[]>(
      `select school_id, role, count(*) as n from monitoring.diary_open where month = ? group by school_id, role`,
      [month],
    );
    const bySchool = new Map<string, { students: number; parents: number }>();
    for (const r of rows) {
      const entry = bySchool.get(r.school_id) ?? { students: 0, parents: 0 };
      entry[COUNTED_AS[r.role as DiaryReaderKind]] = Number(r.n);
      bySchool.set(r.school_id, entry);
    }
    return bySchool;
  }
}
