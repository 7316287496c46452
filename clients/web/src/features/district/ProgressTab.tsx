import { useId, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import type { ProgressPeriodInput } from '../../gql/graphql';
import { formatAverage, todayIso } from '../../lib/dates';
import { Card, ErrorNotice, Loading, Notice } from '../../ui/components';
import { Chart, type ChartOption } from './Chart';
import { QueryProblems } from './common';
import { formatFigure, monthOf, shiftMonth } from './figures';
import { sumSchools } from './progress-totals';
import { Downloads } from './Downloads';
import { DistrictProgressTotalsQuery, DistrictSchoolsProgressQuery } from './queries';

type GroupBy = 'school' | 'year' | 'subject';
type PeriodForm = { kind: 'range'; from: string; to: string } | { kind: 'term'; academicYear: string; termNumber: number };

interface Row {
  key: string;
  label: string;
  schools?: number;
  students: number;
  ratedStudents: number;
  qualityRate: number | null;
  successRate: number | null;
  averageMark: number | null;
  attendanceRate: number | null;
  studentsAtRisk: number;
}

/** 01.09.2026 */
const fullDate = (iso: string) => iso.split('-').reverse().join('.');

/** The academic year a date belongs to: it starts on 1 September. */
function academicYearOf(iso: string): string {
  const year = Number(iso.slice(0, 4));
  return Number(iso.slice(5, 7)) >= 9 ? `${year}/${year + 1}` : `${year - 1}/${year}`;
}

function periodInput(form: PeriodForm): ProgressPeriodInput {
  return form.kind === 'range' ? { from: form.from, to: form.to } : { academicYear: form.academicYear, termNumber: form.termNumber };
}

/** Progress analytics of the district (docs/analytics.md): by school, by year of study or by subject, as a chart and a table. */
export default function ProgressTab() {
  const { t } = useTranslation();
  const today = todayIso();
  const thisYear = academicYearOf(today);
  // From the first day of last month: a long period takes the schools seconds to compute (docs/analytics.md, Cost).
  const defaultRange: PeriodForm = { kind: 'range', from: `${shiftMonth(monthOf(today), -1)}-01`, to: today };
  const [form, setForm] = useState<PeriodForm>(defaultRange);
  const [period, setPeriod] = useState<PeriodForm>(form);
  const [groupBy, setGroupBy] = useState<GroupBy>('school');
  const [invalid, setInvalid] = useState(false);
  const ids = { kind: useId(), from: useId(), to: useId(), year: useId(), term: useId() };

  function apply(e: FormEvent) {
    e.preventDefault();
    const bad = form.kind === 'range' && (!/^\d{4}-\d{2}-\d{2}$/.test(form.from) || !/^\d{4}-\d{2}-\d{2}$/.test(form.to) || form.from > form.to);
    setInvalid(bad);
    if (!bad) setPeriod(form);
  }

  const years = [thisYear, academicYearOf(`${Number(thisYear.slice(0, 4)) - 1}-10-01`)];
  const exportParams: Record<string, string> =
    period.kind === 'range' ? { from: period.from, to: period.to } : { academicYear: period.academicYear, termNumber: String(period.termNumber) };
  if (groupBy !== 'school') exportParams.groupBy = groupBy === 'year' ? 'YEAR_OF_STUDY' : 'SUBJECT';

  return (
    <>
      <Card>
        <form className="district-period" onSubmit={apply} noValidate>
          <div className="field">
            <label htmlFor={ids.kind}>{t('district.progress.periodKind')}</label>
            <select
              id={ids.kind}
              value={form.kind}
              onChange={(e) => setForm(e.target.value === 'term' ? { kind: 'term', academicYear: thisYear, termNumber: 1 } : defaultRange)}
            >
              <option value="range">{t('district.progress.kindRange')}</option>
              <option value="term">{t('district.progress.kindTerm')}</option>
            </select>
          </div>
          {form.kind === 'range' ? (
            <>
              <div className="field">
                <label htmlFor={ids.from}>{t('district.progress.from')}</label>
                <input
                  id={ids.from}
                  type="date"
                  value={form.from}
                  max={today}
                  onChange={(e) => setForm({ ...form, from: e.target.value })}
                  aria-invalid={invalid}
                />
              </div>
              <div className="field">
                <label htmlFor={ids.to}>{t('district.progress.to')}</label>
                <input id={ids.to} type="date" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} aria-invalid={invalid} />
              </div>
            </>
          ) : (
            <>
              <div className="field">
                <label htmlFor={ids.year}>{t('district.progress.academicYear')}</label>
                <select id={ids.year} value={form.academicYear} onChange={(e) => setForm({ ...form, academicYear: e.target.value })}>
                  {years.map((y) => (
                    <option key={y} value={y}>
                      {y}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor={ids.term}>{t('district.progress.termNumber')}</label>
                <select id={ids.term} value={form.termNumber} onChange={(e) => setForm({ ...form, termNumber: Number(e.target.value) })}>
                  {[1, 2, 3, 4].map((n) => (
                    <option key={n} value={n}>
                      {t('district.progress.termOption', { n })}
                    </option>
                  ))}
                </select>
              </div>
            </>
          )}
          <button type="submit" className="button">
            {t('district.progress.show')}
          </button>
        </form>
        {invalid && <Notice kind="error">{t('district.progress.badPeriod')}</Notice>}
        <fieldset className="district-segments">
          <legend>{t('district.progress.groupBy')}</legend>
          {(['school', 'year', 'subject'] as const).map((g) => (
            <label key={g} className="district-segment">
              <input type="radio" name="district-group-by" value={g} checked={groupBy === g} onChange={() => setGroupBy(g)} />
              <span>{t(`district.progress.${g === 'school' ? 'bySchool' : g === 'year' ? 'byYear' : 'bySubject'}`)}</span>
            </label>
          ))}
        </fieldset>
        <Downloads name="progress" params={exportParams} />
      </Card>
      {groupBy === 'school' ? <BySchool period={period} /> : <Totals period={period} groupBy={groupBy} />}
      <p className="small muted">{t('district.progress.definitions')}</p>
    </>
  );
}

function BySchool({ period }: { period: PeriodForm }) {
  const { t } = useTranslation();
  const [schools, refetch] = useQuery({ query: DistrictSchoolsProgressQuery, variables: { period: periodInput(period) } });
  const names = useMemo(() => new Map((schools.data?.schools ?? []).map((s) => [s.id, s.shortName])), [schools.data]);
  const answered = (schools.data?.schools ?? []).flatMap((s) => {
    const row = s.progress?.rows[0];
    return row ? [{ school: s, row }] : [];
  });
  const rows: Row[] = answered.map(({ school, row }) => ({ key: school.id, label: school.shortName, ...row }));
  // The district's line from the schools' numerators and denominators, as districtProgress sums them (one request less for the schools).
  const total =
    answered.length > 1
      ? { key: 'district', label: t('district.districtTotal', { count: answered.length }), ...sumSchools(answered.map((a) => a.row)) }
      : undefined;
  return (
    <ProgressResult
      title={t('district.progress.bySchool')}
      period={period}
      rows={rows}
      total={total}
      loading={schools.fetching && !schools.data}
      error={schools.data ? undefined : schools.error}
      onRetry={() => refetch({ requestPolicy: 'network-only' })}
      failed={answered.length === 0 && !!schools.error}
      problems={
        schools.data && answered.length === 0 && schools.error ? (
          <Notice kind="error">
            <p>{t('district.progress.noneAnswered')}</p>
            <button type="button" className="button button--secondary" onClick={() => refetch({ requestPolicy: 'network-only' })}>
              {t('app.retry')}
            </button>
          </Notice>
        ) : (
          schools.data && <QueryProblems error={schools.error} schoolNames={names} />
        )
      }
    />
  );
}

function Totals({ period, groupBy }: { period: PeriodForm; groupBy: 'year' | 'subject' }) {
  const { t } = useTranslation();
  const [result, refetch] = useQuery({
    query: DistrictProgressTotalsQuery,
    variables: { period: periodInput(period), groupBy: [groupBy === 'year' ? 'YEAR_OF_STUDY' : 'SUBJECT'] },
  });
  const data = result.data?.districtProgress;
  const rows: Row[] = (data?.rows ?? []).map((r) => ({
    key: `${r.yearOfStudy ?? ''}|${r.subject ?? ''}`,
    label:
      groupBy === 'year'
        ? r.yearOfStudy === null
          ? t('district.progress.allYears')
          : t('district.progress.year', { year: r.yearOfStudy })
        : (r.subject ?? t('district.progress.allSubjects')),
    ...r,
  }));
  return (
    <ProgressResult
      title={t(groupBy === 'year' ? 'district.progress.byYear' : 'district.progress.bySubject')}
      period={period}
      rows={rows}
      showSchools
      loading={result.fetching && !data}
      error={data ? undefined : result.error}
      onRetry={() => refetch({ requestPolicy: 'network-only' })}
      failed={!!data && data.schools.length === 0 && data.unavailable.length > 0}
      problems={<Unavailable list={data?.unavailable ?? []} />}
    />
  );
}

function Unavailable({ list }: { list: { schoolId: string; reason: string }[] }) {
  const { t } = useTranslation();
  if (list.length === 0) return null;
  return (
    <Notice kind="warning">
      {list.map((u) => (
        <p key={u.schoolId}>{t('district.progress.unavailable', { school: u.schoolId, reason: u.reason })}</p>
      ))}
    </Notice>
  );
}

function ProgressResult({
  title,
  period,
  rows,
  total,
  showSchools,
  loading,
  error,
  onRetry,
  problems,
  failed,
}: {
  title: string;
  period: PeriodForm;
  rows: Row[];
  total?: Row;
  showSchools?: boolean;
  loading: boolean;
  error?: Parameters<typeof ErrorNotice>[0]['error'];
  onRetry: () => void;
  problems: ReactNode;
  /** no school answered: not "no data" */
  failed?: boolean;
}) {
  const { t } = useTranslation();
  const periodText =
    period.kind === 'range'
      ? t('district.progress.periodRange', { from: fullDate(period.from), to: fullDate(period.to) })
      : `${period.academicYear}, ${t('district.progress.termOption', { n: period.termNumber })}`;
  const option = useMemo<ChartOption>(() => {
    const percent = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? `${v.toLocaleString('ru-RU')} %` : '—') },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: rows.map((r) => r.label), axisLabel: { interval: 0, rotate: rows.length > 6 ? 35 : 0 } },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value} %' } },
      series: [
        { name: t('district.progress.qualityRate'), type: 'bar', data: rows.map((r) => percent(r.qualityRate)) },
        { name: t('district.progress.successRate'), type: 'bar', data: rows.map((r) => percent(r.successRate)) },
      ],
    };
  }, [rows, t]);

  return (
    <Card title={`${title} · ${periodText}`} labelledBy="district-progress-result">
      {loading && <Loading />}
      {error && <ErrorNotice error={error} onRetry={onRetry} />}
      {problems}
      {!loading && !error && !failed && rows.length === 0 && <Notice kind="info">{t('district.progress.noRows')}</Notice>}
      {rows.length > 0 && (
        <>
          <Chart option={option} label={t('district.progress.chartLabel', { groupBy: title.toLowerCase() })} height={rows.length > 6 ? 380 : 320} />
          <div
            className="table-scroll"
            tabIndex={0}
            role="region"
            aria-label={t('district.progress.tableCaption', { groupBy: title.toLowerCase(), period: periodText })}
          >
            <table className="table district-table">
              <caption className="district-sr-only">{t('district.progress.tableCaption', { groupBy: title.toLowerCase(), period: periodText })}</caption>
              <thead>
                <tr>
                  <th scope="col" className="district-table__school">
                    {title}
                  </th>
                  {showSchools && (
                    <th scope="col" className="num">
                      {t('district.progress.schoolsCount')}
                    </th>
                  )}
                  <th scope="col" className="num">
                    {t('district.progress.students')}
                  </th>
                  <th scope="col" className="num">
                    {t('district.progress.ratedStudents')}
                  </th>
                  <th scope="col" className="num">
                    {t('district.progress.qualityRate')}
                  </th>
                  <th scope="col" className="num">
                    {t('district.progress.successRate')}
                  </th>
                  <th scope="col" className="num">
                    {t('district.progress.averageMark')}
                  </th>
                  <th scope="col" className="num">
                    {t('district.progress.attendanceRate')}
                  </th>
                  <th scope="col" className="num">
                    {t('district.progress.studentsAtRisk')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <ProgressLine key={r.key} row={r} showSchools={showSchools} />
                ))}
              </tbody>
              {total && (
                <tfoot>
                  <ProgressLine row={total} showSchools={showSchools} />
                </tfoot>
              )}
            </table>
          </div>
        </>
      )}
    </Card>
  );
}

function ProgressLine({ row, showSchools }: { row: Row; showSchools?: boolean }) {
  return (
    <tr>
      <th scope="row" className="district-table__school">
        {row.label}
      </th>
      {showSchools && <td className="num">{row.schools ?? '—'}</td>}
      <td className="num">{row.students.toLocaleString('ru-RU')}</td>
      <td className="num">{row.ratedStudents.toLocaleString('ru-RU')}</td>
      <td className="num">{formatFigure('share', row.qualityRate)}</td>
      <td className="num">{formatFigure('share', row.successRate)}</td>
      <td className="num">{formatAverage(row.averageMark)}</td>
      <td className="num">{formatFigure('share', row.attendanceRate)}</td>
      <td className="num">{row.studentsAtRisk.toLocaleString('ru-RU')}</td>
    </tr>
  );
}
