import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { formatMonth, formatShort, formatWeek, todayIso } from '../../lib/dates';
import { ErrorNotice, Loading } from '../../ui/components';
import {
  hasProblems,
  MISSING_COLUMNS,
  periodOf,
  severityOf,
  shareOf,
  shiftPeriod,
  sortRows,
  totals,
  type FillRow,
  type MissingColumn,
  type Period,
  type PeriodKind,
  type SortColumn,
} from './fill';

const ControlJournalFill = graphql(`
  query ControlJournalFill($schoolId: ID!, $from: String!, $to: String!) {
    journalFill(schoolId: $schoolId, from: $from, to: $to) {
      classGroupId
      className
      yearOfStudy
      subjectId
      subjectName
      heldLessons
      withoutTopic
      withoutAttendance
      withoutHomework
      entries
      lateEntries
    }
  }
`);

/** The day a switch between week and month keeps: today while the period holds it, else its first day. */
function anchorOf(p: Period): string {
  const today = todayIso();
  return p.from <= today && today <= p.to ? today : p.from;
}

function periodLabel(p: Period): string {
  return p.kind === 'week' ? formatWeek(p.from) : formatMonth(p.from.slice(0, 7));
}

/** The journal's fill state by class and subject for a week or a month, the worst cells highlighted. */
export function FillSection({ schoolId }: { schoolId: string }) {
  const { t } = useTranslation();
  const [period, setPeriod] = useState<Period>(() => periodOf('week', todayIso()));
  const [result, refetch] = useQuery({ query: ControlJournalFill, variables: { schoolId, from: period.from, to: period.to } });
  const rows = result.data?.journalFill;
  const current = periodOf(period.kind, todayIso());
  return (
    <section aria-labelledby="control-fill" className="stack">
      <h2 id="control-fill">{t('control.fill.heading')}</h2>
      <div className="toolbar control-period" role="group" aria-label={t('control.fill.periodKind')}>
        <div className="control-segmented" role="radiogroup" aria-label={t('control.fill.periodKind')}>
          {(['week', 'month'] as PeriodKind[]).map((kind) => (
            <button
              key={kind}
              type="button"
              role="radio"
              aria-checked={period.kind === kind}
              className={`button ${period.kind === kind ? '' : 'button--secondary'}`}
              onClick={() => setPeriod(periodOf(kind, anchorOf(period)))}
            >
              {t(`control.fill.${kind}`)}
            </button>
          ))}
        </div>
        <div className="control-period__nav">
          <button type="button" className="button button--secondary" onClick={() => setPeriod(shiftPeriod(period, -1))} aria-label={t('control.fill.prev')}>
            ←
          </button>
          <strong aria-live="polite" className="control-period__label">
            {periodLabel(period)}
          </strong>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => setPeriod(shiftPeriod(period, 1))}
            aria-label={t('control.fill.next')}
            disabled={period.from >= current.from}
          >
            →
          </button>
        </div>
        {period.from !== current.from && (
          <button type="button" className="button button--secondary" onClick={() => setPeriod(current)}>
            {t('control.fill.current')}
          </button>
        )}
      </div>
      {result.fetching && !rows && <Loading />}
      {result.error && <ErrorNotice error={result.error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />}
      {rows && <FillTable rows={rows} period={period} />}
      <p className="muted small">{t('control.fill.legend')}</p>
    </section>
  );
}

const COLUMNS: SortColumn[] = ['className', 'subjectName', 'heldLessons', ...MISSING_COLUMNS];

export function FillTable({ rows, period }: { rows: readonly FillRow[]; period: Period }) {
  const { t } = useTranslation();
  const [sort, setSort] = useState<{ column: SortColumn; direction: 'asc' | 'desc' }>({ column: 'className', direction: 'asc' });
  const [classFilter, setClassFilter] = useState('');
  const [yearFilter, setYearFilter] = useState('');
  const [onlyProblems, setOnlyProblems] = useState(false);
  const classes = useMemo(() => {
    const seen = new Map<string, FillRow>();
    for (const r of sortRows(rows, 'className', 'asc')) if (!seen.has(r.classGroupId)) seen.set(r.classGroupId, r);
    return [...seen.values()];
  }, [rows]);
  const years = useMemo(() => [...new Set(rows.map((r) => r.yearOfStudy))].sort((a, b) => a - b), [rows]);
  const classChoices = classes.filter((c) => !yearFilter || String(c.yearOfStudy) === yearFilter);
  const shown = useMemo(
    () =>
      sortRows(
        rows.filter(
          (r) => (!yearFilter || String(r.yearOfStudy) === yearFilter) && (!classFilter || r.classGroupId === classFilter) && (!onlyProblems || hasProblems(r)),
        ),
        sort.column,
        sort.direction,
      ),
    [rows, yearFilter, classFilter, onlyProblems, sort],
  );
  const sum = totals(shown);

  if (rows.length === 0) return <p className="muted">{t('control.fill.empty')}</p>;

  const toggleSort = (column: SortColumn) =>
    setSort((s) =>
      s.column === column
        ? { column, direction: s.direction === 'asc' ? 'desc' : 'asc' }
        : { column, direction: MISSING_COLUMNS.includes(column as MissingColumn) ? 'desc' : 'asc' },
    );

  return (
    <>
      <div className="toolbar">
        <label className="field control-inline-field">
          {t('control.fill.yearFilter')}
          <select
            value={yearFilter}
            onChange={(e) => {
              setYearFilter(e.target.value);
              setClassFilter('');
            }}
          >
            <option value="">{t('control.fill.allYears')}</option>
            {years.map((y) => (
              <option key={y} value={String(y)}>
                {t('control.fill.year', { year: y })}
              </option>
            ))}
          </select>
        </label>
        <label className="field control-inline-field">
          {t('control.fill.classFilter')}
          <select value={classFilter} onChange={(e) => setClassFilter(e.target.value)}>
            <option value="">{t('control.fill.allClasses')}</option>
            {classChoices.map((c) => (
              <option key={c.classGroupId} value={c.classGroupId}>
                {c.className}
              </option>
            ))}
          </select>
        </label>
        <label className="control-check">
          <input type="checkbox" checked={onlyProblems} onChange={(e) => setOnlyProblems(e.target.checked)} />
          {t('control.fill.onlyProblems')}
        </label>
      </div>
      {shown.length === 0 ? (
        <p className="muted">{t('control.fill.emptyFiltered')}</p>
      ) : (
        <div className="table-scroll">
          <table className="table control-fill">
            <caption className="control-sr-only">
              {t('control.fill.caption', {
                period: period.kind === 'week' ? `${formatShort(period.from)}–${formatShort(period.to)}` : formatMonth(period.from.slice(0, 7)),
              })}
            </caption>
            <thead>
              <tr>
                {COLUMNS.map((column) => {
                  const active = sort.column === column;
                  const numeric = column !== 'className' && column !== 'subjectName';
                  return (
                    <th
                      key={column}
                      scope="col"
                      aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}
                      className={numeric ? 'num' : undefined}
                    >
                      <button
                        type="button"
                        className="control-sort"
                        onClick={() => toggleSort(column)}
                        title={t('control.fill.sortBy', { column: t(`control.fill.col.${column}`) })}
                      >
                        {t(`control.fill.col.${column}`)}
                        <span aria-hidden="true" className="control-sort__mark">
                          {active ? (sort.direction === 'asc' ? '▲' : '▼') : '↕'}
                        </span>
                      </button>
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr key={`${r.classGroupId}/${r.subjectName}`}>
                  <th scope="row">{r.className}</th>
                  <td>{r.subjectName}</td>
                  <td className="num">{r.heldLessons}</td>
                  {MISSING_COLUMNS.map((column) => (
                    <FillCell key={column} row={r} column={column} />
                  ))}
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={2}>
                  {t('control.fill.total')}
                </th>
                <td className="num">{sum.heldLessons}</td>
                {MISSING_COLUMNS.map((column) => (
                  <td key={column} className="num">
                    {sum[column]}
                    <span className="control-share">
                      {formatShare(shareOf({ ...sum, classGroupId: '', className: '', yearOfStudy: 0, subjectName: '' }, column))}
                    </span>
                  </td>
                ))}
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </>
  );
}

function formatShare(share: number): string {
  return `${Math.round(share * 100)} %`;
}

function FillCell({ row, column }: { row: FillRow; column: MissingColumn }) {
  const { t } = useTranslation();
  const severity = severityOf(row, column);
  const value = row[column];
  return (
    <td
      className={`num${severity ? ` control-cell--${severity}` : ''}`}
      title={column === 'lateEntries' ? t('control.fill.ofEntries', { count: row.entries }) : undefined}
    >
      {value}
      {value > 0 && <span className="control-share">{formatShare(shareOf(row, column))}</span>}
      {severity && <span className="control-sr-only"> ({t(`control.fill.severity.${severity}`)})</span>}
    </td>
  );
}
