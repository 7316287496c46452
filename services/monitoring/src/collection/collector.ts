import type { EntityManager } from '@mikro-orm/postgresql';
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
}

export type CollectionTrigger = 'SCHEDULE' | 'MANUAL';

export interface SchoolOutcome {
  schoolId: string;
  state: 'CURRENT' | 'STALE';
  error: string | null;
  /** 1, or 2 when the school was asked again after a failure. */
  attempts: number;
}

export interface CollectionRun {
  id: number;
  month: string;
  trigger: CollectionTrigger;
  requestedBy: string;
  startedAt: Date;
  finishedAt: Date;
  outcomes: SchoolOutcome[];
  /** The report version this run closed or added; null when the month is not over or nothing changed. */
  reportVersion: number | null;
}

interface Fetched {
  schoolId: string;
  attempts?: number;
  answer?: { journal: Record<string, unknown>; people: { students: number; guardians: number } };
  error?: string;
}

interface GatewayAnswer {
  data?: { school?: { monthlyFigures?: Record<string, unknown> | null; studentCount?: number | null; guardianCount?: number | null } | null } | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/**
 * Gathers every school's monthly figures through the gateway's school router
 * and stores them with the time they were collected. A school that does not
 * answer is asked once more after a pause; if it still fails it keeps its
 * last good figures, marked stale with the error; the next run catches up. Storing is an upsert per school and month, so collecting a
 * month twice gives the same rows, not doubled ones. A month that is over is
 * closed into a versioned report (./report.ts).
 */
export class Collector {
  constructor(private readonly options: CollectorOptions) {}

  get timezone(): string {
    return this.options.timezone;
  }

  get gatewayUrl(): () => string | undefined {
    return this.options.gatewayUrl;
  }

  async collect(month: string, trigger: CollectionTrigger, requestedBy: string): Promise<CollectionRun> {
    requireMonth(month, this.options.timezone);
    const startedAt = new Date();
    const em = this.options.em();
    const schools = await em.execute<{ id: string }[]>(`select id from monitoring.school where status <> 'NOT_STARTED' order by id`);
    const fetched = await this.fetchAll(
      schools.map((s) => s.id),
      month,
    );
    const failed = fetched.filter((f) => !f.answer);
    if (failed.length) {
      await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs ?? 2_000));
      const retried = new Map((await this.fetchAll(failed.map((f) => f.schoolId), month)).map((f) => [f.schoolId, { ...f, attempts: 2 }]));
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
      const finishedAt = new Date();
      const [run] = await tx.execute<{ id: number }[]>(
        `insert into monitoring.collection_run (month, trigger, requested_by, started_at, finished_at, outcomes) values (?, ?, ?, ?, ?, ?::jsonb) returning id`,
        [month, trigger, requestedBy, startedAt, finishedAt, JSON.stringify(outcomes)],
      );
      const runId = Number(run!.id);
      let reportVersion: number | null = null;
      if (isMonthOver(month, this.options.timezone)) {
        reportVersion = await closeMonthlyReport(tx as EntityManager, month, runId);
        if (reportVersion !== null) await tx.execute(`update monitoring.collection_run set report_version = ? where id = ?`, [reportVersion, runId]);
      }
      const stale = outcomes.filter((o) => o.state === 'STALE');
      this.options.log?.(`collected ${month}: ${outcomes.length - stale.length} current, ${stale.length} stale${stale.length ? ` (${stale.map((s) => s.schoolId).join(', ')})` : ''}`);
      return { id: runId, month, trigger, requestedBy, startedAt, finishedAt, outcomes, reportVersion };
    });
  }

  /** Months that need another run: the current and the previous month, and any month of the last year with a stale school. */
  async monthsToCollect(current: string, previous: string): Promise<string[]> {
    const rows = await this.options.em().execute<{ month: string }[]>(
      `select distinct month from monitoring.school_month where state = 'STALE' and month >= ? order by month`,
      [`${Number(current.slice(0, 4)) - 1}${current.slice(4)}`],
    );
    return [...new Set([...rows.map((r) => r.month), previous, current])].sort();
  }

  private async fetchAll(schoolIds: string[], month: string): Promise<Fetched[]> {
    const results: Fetched[] = new Array(schoolIds.length);
    let next = 0;
    const worker = async () => {
      while (next < schoolIds.length) {
        const i = next++;
        results[i] = await this.fetchSchool(schoolIds[i]!, month);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency ?? 8, schoolIds.length) }, worker));
    return results;
  }

  private async fetchSchool(schoolId: string, month: string): Promise<Fetched> {
    const url = this.options.gatewayUrl();
    if (!url) return { schoolId, error: 'адрес шлюза не настроен (GATEWAY_URL)' };
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await this.options.token()}` },
        body: JSON.stringify({ query: SCHOOL_FIGURES_QUERY, variables: { id: schoolId, month } }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
      const answer = (await response.json()) as GatewayAnswer;
      const school = answer.data?.school;
      const error = answer.errors?.[0];
      if (error) return { schoolId, error: `${error.extensions?.code ?? 'ERROR'}: ${error.message}` };
      if (!response.ok || !school?.monthlyFigures || school.studentCount == null || school.guardianCount == null) {
        return { schoolId, error: `школа не ответила (HTTP ${response.status})` };
      }
      return { schoolId, answer: { journal: school.monthlyFigures, people: { students: school.studentCount, guardians: school.guardianCount } } };
    } catch (error) {
      const e = error as Error;
      return { schoolId, error: e.name === 'TimeoutError' ? 'TIMEOUT: школа не ответила вовремя' : `UNREACHABLE: ${e.message}` };
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
      if (r.role === 'student') entry.students = Number(r.n);
      else entry.parents = Number(r.n);
      bySchool.set(r.school_id, entry);
    }
    return bySchool;
  }
}
