import type { EntityManager } from '@mikro-orm/postgresql';
import { FIGURES, type Figures } from './figures';

export type CollectionState = 'CURRENT' | 'STALE' | 'NOT_COLLECTED';

/** One school's line of the monitoring for a month: registry facts, collection state and the stored figures. */
export interface SchoolMonthLine {
  schoolId: string;
  shortName: string;
  schoolStatus: string;
  state: CollectionState;
  /** When the figures were collected (the last good collection when stale); null if never. */
  collectedAt: string | null;
  lastAttemptAt: string | null;
  lastError: string | null;
  figures: Figures | null;
}

export interface ReportChange {
  schoolId: string;
  field: string;
  before: string | number | null;
  after: string | number | null;
}

export interface MonthlyReport {
  month: string;
  version: number;
  closedAt: string;
  runId: number;
  schools: SchoolMonthLine[];
  /** What differs from the previous version (empty for version 1). */
  changes: ReportChange[];
}

interface LineRow {
  school_id: string;
  short_name: string;
  status: string;
  state: string | null;
  figures: Figures | null;
  collected_at: Date | null;
  last_attempt_at: Date | null;
  last_error: string | null;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** Every registered school's line for a month (optionally only some schools), in code order. */
export async function monthLines(em: EntityManager, month: string, schoolIds?: readonly string[]): Promise<SchoolMonthLine[]> {
  const filter = schoolIds ? `where s.id in (?)` : '';
  const rows = await em.execute<LineRow[]>(
    `select s.id as school_id, s.short_name, s.status, m.state, m.figures, m.collected_at, m.last_attempt_at, m.last_error
     from monitoring.school s left join monitoring.school_month m on m.school_id = s.id and m.month = ?
     ${filter} order by s.id`,
    schoolIds ? [month, schoolIds] : [month],
  );
  return rows.map((r) => ({
    schoolId: r.school_id,
    shortName: r.short_name,
    schoolStatus: r.status,
    state: (r.state ?? 'NOT_COLLECTED') as CollectionState,
    collectedAt: iso(r.collected_at),
    lastAttemptAt: iso(r.last_attempt_at),
    lastError: r.last_error,
    figures: r.figures,
  }));
}

/** What a reader of the report would see change: the school's status, its collection state and every figure (not timestamps or error wording). */
export function reportChanges(before: readonly SchoolMonthLine[], after: readonly SchoolMonthLine[]): ReportChange[] {
  const changes: ReportChange[] = [];
  const old = new Map(before.map((l) => [l.schoolId, l]));
  for (const line of after) {
    const prev = old.get(line.schoolId);
    old.delete(line.schoolId);
    const compare = (field: string, a: string | number | null | undefined, b: string | number | null | undefined) => {
      if ((a ?? null) !== (b ?? null)) changes.push({ schoolId: line.schoolId, field, before: a ?? null, after: b ?? null });
    };
    compare('schoolStatus', prev?.schoolStatus, line.schoolStatus);
    compare('state', prev?.state, line.state);
    for (const f of FIGURES) compare(f.key, prev?.figures?.[f.key], line.figures?.[f.key]);
  }
  for (const gone of old.values()) changes.push({ schoolId: gone.schoolId, field: 'state', before: gone.state, after: null });
  return changes;
}

interface ReportRow {
  month: string;
  version: number;
  closed_at: Date;
  run_id: number;
  content: { schools: SchoolMonthLine[] };
  changes: ReportChange[];
}

const toReport = (r: ReportRow): MonthlyReport => ({
  month: r.month,
  version: r.version,
  closedAt: iso(r.closed_at)!,
  runId: r.run_id,
  schools: r.content.schools,
  changes: r.changes,
});

export async function findReport(em: EntityManager, month: string, version?: number | null): Promise<MonthlyReport | null> {
  const [row] = await em.execute<ReportRow[]>(
    version == null
      ? `select * from monitoring.monthly_report where month = ? order by version desc limit 1`
      : `select * from monitoring.monthly_report where month = ? and version = ?`,
    version == null ? [month] : [month, version],
  );
  return row ? toReport(row) : null;
}

export async function reportVersions(em: EntityManager, month: string): Promise<MonthlyReport[]> {
  const rows = await em.execute<ReportRow[]>(`select * from monitoring.monthly_report where month = ? order by version`, [month]);
  return rows.map(toReport);
}

/**
 * Closes a month that is over into a report, inside the collection's
 * transaction: version 1 the first time; afterwards a new version only when
 * something a reader sees has changed, carrying the list of changes. A stored
 * version is never updated (the table refuses it).
 */
export async function closeMonthlyReport(tx: EntityManager, month: string, runId: number): Promise<number | null> {
  const lines = await monthLines(tx, month);
  const latest = await findReport(tx, month);
  const changes = latest ? reportChanges(latest.schools, lines) : [];
  if (latest && changes.length === 0) return null;
  const version = (latest?.version ?? 0) + 1;
  await tx.execute(`insert into monitoring.monthly_report (month, version, closed_at, run_id, content, changes) values (?, ?, now(), ?, ?::jsonb, ?::jsonb)`, [
    month,
    version,
    runId,
    JSON.stringify({ schools: lines }),
    JSON.stringify(changes),
  ]);
  return version;
}
