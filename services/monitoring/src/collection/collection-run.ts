import { DomainError, toRunRecord, type RunRecord } from '@district/kit';
import type { EntityManager } from '@mikro-orm/postgresql';

export type CollectionTrigger = 'SCHEDULE' | 'MANUAL';

export interface SchoolOutcome {
  schoolId: string;
  state: 'CURRENT' | 'STALE';
  error: string | null;
  /** 1, or 2 when the school was asked again after a failure. */
  attempts: number;
}

/** What a finished collection reports (the run's `result`). */
export interface CollectionResult {
  schools: SchoolOutcome[];
  /** The report version this run closed or added; null when the month is not over or nothing changed. */
  reportVersion: number | null;
}

/** One collection of a month's figures (`monitoring.collection_run`, a run in kit's shape). */
export interface CollectionRun extends Pick<RunRecord, 'id' | 'state' | 'requestedBy' | 'requestedAt' | 'startedAt' | 'finishedAt' | 'total' | 'processed'> {
  month: string;
  trigger: CollectionTrigger;
  /** Per school, once the run has finished; empty before, and for a run that failed. */
  outcomes: SchoolOutcome[];
  reportVersion: number | null;
  errorCode: string | null;
  error: string | null;
}

export const COLLECTION_RUNS_TABLE = 'monitoring.collection_run';

export function toCollectionRun(run: RunRecord): CollectionRun {
  const result = run.result as CollectionResult | null;
  return {
    id: run.id,
    month: String(run.row.month),
    trigger: run.row.trigger as CollectionTrigger,
    state: run.state,
    requestedBy: run.requestedBy,
    requestedAt: run.requestedAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    total: run.total,
    processed: run.processed,
    outcomes: result?.schools ?? [],
    reportVersion: result?.reportVersion ?? null,
    errorCode: run.errorCode,
    error: run.error,
  };
}

// A district-level run has no school to carry, so its opaque id is its own: base64url("MonitoringCollectionRun:<n>").
const ID_TYPE = 'MonitoringCollectionRun';

export function collectionRunId(id: number): string {
  return Buffer.from(`${ID_TYPE}:${id}`, 'utf8').toString('base64url');
}

export function parseCollectionRunId(id: string): number {
  const match = /^[A-Za-z0-9_-]{1,100}$/.test(id) ? new RegExp(`^${ID_TYPE}:([1-9][0-9]{0,9})$`).exec(Buffer.from(id, 'base64url').toString('utf8')) : null;
  if (!match) throw DomainError.invalid(`Некорректный идентификатор запуска сбора: ${id}`, [{ field: 'id', message: 'invalid id' }]);
  return Number(match[1]);
}

export async function findCollectionRun(em: EntityManager, id: number): Promise<CollectionRun | null> {
  const [row] = await em.execute<Record<string, unknown>[]>(`select * from ${COLLECTION_RUNS_TABLE} where id = ?`, [id]);
  return row ? toCollectionRun(toRunRecord(row)) : null;
}

/** The unfinished run of a month, if any (at most one: a unique index). */
export async function activeCollectionRun(em: EntityManager, month: string): Promise<CollectionRun | null> {
  const [row] = await em.execute<Record<string, unknown>[]>(`select * from ${COLLECTION_RUNS_TABLE} where month = ? and state in ('QUEUED', 'RUNNING')`, [
    month,
  ]);
  return row ? toCollectionRun(toRunRecord(row)) : null;
}

export async function listCollectionRuns(em: EntityManager, month: string, limit: number): Promise<CollectionRun[]> {
  const rows = await em.execute<Record<string, unknown>[]>(`select * from ${COLLECTION_RUNS_TABLE} where month = ? order by id desc limit ?`, [month, limit]);
  return rows.map((r) => toCollectionRun(toRunRecord(r)));
}
