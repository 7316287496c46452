import { addDays, mondayOf } from '../../lib/dates';

/** One class group × subject of the journal's fill state (as journalFill answers it). */
export interface FillRow {
  classGroupId: string;
  className: string;
  yearOfStudy: number;
  subjectName: string;
  heldLessons: number;
  withoutTopic: number;
  withoutAttendance: number;
  withoutHomework: number;
  entries: number;
  lateEntries: number;
}

export type PeriodKind = 'week' | 'month';
export interface Period {
  kind: PeriodKind;
  from: string;
  to: string;
}

/** The week (Monday–Sunday) or calendar month holding a date. */
export function periodOf(kind: PeriodKind, iso: string): Period {
  if (kind === 'week') {
    const from = mondayOf(iso);
    return { kind, from, to: addDays(from, 6) };
  }
  const from = `${iso.slice(0, 7)}-01`;
  const to = addDays(`${addDays(from, 31).slice(0, 7)}-01`, -1);
  return { kind, from, to };
}

/** The period before (step -1) or after (+1). */
export function shiftPeriod(period: Period, step: -1 | 1): Period {
  return periodOf(period.kind, step < 0 ? addDays(period.from, -1) : addDays(period.to, 1));
}

export type MissingColumn = 'withoutTopic' | 'withoutAttendance' | 'withoutHomework' | 'lateEntries';
export const MISSING_COLUMNS: MissingColumn[] = ['withoutTopic', 'withoutAttendance', 'withoutHomework', 'lateEntries'];
export type SortColumn = 'className' | 'subjectName' | 'heldLessons' | MissingColumn;

/** The share a cell measures: lessons lacking something of the held ones, late entries of all entries. */
export function shareOf(row: FillRow, column: MissingColumn): number {
  const base = column === 'lateEntries' ? row.entries : row.heldLessons;
  return base === 0 ? 0 : row[column] / base;
}

export type Severity = 'danger' | 'warning' | undefined;
/** Red from half the lessons (entries), yellow from a fifth; a single miss is never red on its own in a tiny row. */
export function severityOf(row: FillRow, column: MissingColumn): Severity {
  if (row[column] === 0) return undefined;
  const share = shareOf(row, column);
  if (share >= 0.5 && row[column] >= 2) return 'danger';
  if (share >= 0.2) return 'warning';
  return undefined;
}

/** A class's name in school order: 5А before 10А, by year of study then letter. */
function classOrder(a: FillRow, b: FillRow): number {
  return a.yearOfStudy - b.yearOfStudy || a.className.localeCompare(b.className, 'ru');
}

export function sortRows(rows: readonly FillRow[], column: SortColumn, direction: 'asc' | 'desc'): FillRow[] {
  const sign = direction === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    let c: number;
    if (column === 'className') c = classOrder(a, b);
    else if (column === 'subjectName') c = a.subjectName.localeCompare(b.subjectName, 'ru');
    else if (column === 'heldLessons') c = a.heldLessons - b.heldLessons;
    // Missing figures sort by their share, then by the count, so «3 of 3» ranks above «3 of 10».
    else c = shareOf(a, column) - shareOf(b, column) || a[column] - b[column];
    return sign * c || classOrder(a, b) || a.subjectName.localeCompare(b.subjectName, 'ru');
  });
}

export function totals(rows: readonly FillRow[]): Omit<FillRow, 'classGroupId' | 'className' | 'yearOfStudy' | 'subjectName'> {
  const sum = (k: 'heldLessons' | MissingColumn | 'entries') => rows.reduce((s, r) => s + r[k], 0);
  return {
    heldLessons: sum('heldLessons'),
    withoutTopic: sum('withoutTopic'),
    withoutAttendance: sum('withoutAttendance'),
    withoutHomework: sum('withoutHomework'),
    entries: sum('entries'),
    lateEntries: sum('lateEntries'),
  };
}

export function hasProblems(row: FillRow): boolean {
  return MISSING_COLUMNS.some((c) => row[c] > 0);
}
