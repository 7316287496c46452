import type { DistrictFiguresFragment } from '../../gql/graphql';

export type Figures = DistrictFiguresFragment;
type Key = keyof Figures;

/**
 * A column of the monitoring table. Shares come with their numerator and
 * denominator, so the district's share is Σ numerators / Σ denominators
 * (averaging the schools' shares would weigh a small school like a large one).
 */
export interface FigureColumn {
  key: Key;
  kind: 'count' | 'share' | 'decimal' | 'minutes';
  /** for a share or ratio: the fields it is computed from, for the district's total */
  of?: [Key, Key];
  /** the share is capped at 1 (diary opens against enrolment taken at collection time) */
  capped?: boolean;
  /** the district's total cannot be recomputed exactly from the stored figures (a median, a rounded mean) */
  noTotal?: boolean;
}

/** The order's figures in the table's order (docs/monitoring.md). */
export const FIGURE_COLUMNS: FigureColumn[] = [
  { key: 'heldLessons', kind: 'count' },
  { key: 'shareWithTopic', kind: 'share', of: ['lessonsWithTopic', 'heldLessons'] },
  { key: 'shareWithAttendanceTaken', kind: 'share', of: ['lessonsWithAttendanceTaken', 'heldLessons'] },
  { key: 'shareMarksSameDay', kind: 'share', of: ['marksSameDay', 'marksEntered'] },
  { key: 'shareAbsencesSameDay', kind: 'share', of: ['absencesSameDay', 'absencesEntered'] },
  { key: 'shareHomeworkWithinHour', kind: 'share', of: ['homeworkWithinHour', 'lessonsWithHomework'] },
  { key: 'medianEntryDelayMinutes', kind: 'minutes', noTotal: true },
  { key: 'correctionsAfterWindow', kind: 'count' },
  { key: 'correctionsApproved', kind: 'count' },
  { key: 'marksPerStudentPerSubject', kind: 'decimal', of: ['activeMarks', 'studentSubjectPairs'] },
  { key: 'averageMark', kind: 'decimal', noTotal: true },
  { key: 'markQualityShare', kind: 'share', noTotal: true },
  { key: 'markSuccessShare', kind: 'share', noTotal: true },
  { key: 'shareStudentsOpenedDiary', kind: 'share', of: ['studentsOpenedDiary', 'students'], capped: true },
  { key: 'shareParentsOpenedDiary', kind: 'share', of: ['parentsOpenedDiary', 'guardians'], capped: true },
];

/** Figures the trends chart offers: shares and means whose meaning is comparable from month to month. */
export const TREND_FIGURES: Key[] = [
  'shareWithTopic',
  'shareWithAttendanceTaken',
  'shareMarksSameDay',
  'shareAbsencesSameDay',
  'shareHomeworkWithinHour',
  'averageMark',
  'markQualityShare',
  'shareStudentsOpenedDiary',
  'shareParentsOpenedDiary',
];

export const columnOf = (key: Key): FigureColumn => FIGURE_COLUMNS.find((c) => c.key === key)!;

const round = (value: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round((value + Number.EPSILON) * f) / f;
};

/**
 * The district's value of a column over the schools' figures: a sum for
 * counts, Σ numerator / Σ denominator for shares and ratios (null when the
 * denominator is 0), null where the stored figures do not allow an exact total.
 */
export function districtValue(column: FigureColumn, schools: (Figures | null | undefined)[]): number | null {
  const present = schools.filter((f): f is Figures => !!f);
  if (column.noTotal || present.length === 0) return null;
  const sum = (key: Key) => present.reduce((s, f) => s + (Number(f[key] ?? 0) || 0), 0);
  if (!column.of) return sum(column.key);
  const [numerator, denominator] = column.of;
  const d = sum(denominator);
  if (d === 0) return null;
  const value = sum(numerator) / d;
  return column.kind === 'share' ? round(Math.min(column.capped ? 1 : Infinity, value), 4) : round(value, 2);
}

/** The figure's value as text: shares in per cent, means with a decimal comma, counts as integers. */
export function formatFigure(kind: FigureColumn['kind'], value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  switch (kind) {
    case 'share':
      return `${(value * 100).toLocaleString('ru-RU', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} %`;
    case 'decimal':
      return value.toLocaleString('ru-RU', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    case 'minutes':
      return value.toLocaleString('ru-RU', { maximumFractionDigits: 0 });
    case 'count':
      return value.toLocaleString('ru-RU');
  }
}

/** YYYY-MM of a date in the district (Europe/Moscow). */
export function monthOf(isoDate: string): string {
  return isoDate.slice(0, 7);
}

export function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + by;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The last `count` months up to and including `month`, oldest first. */
export function lastMonths(month: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => shiftMonth(month, i - count + 1));
}
