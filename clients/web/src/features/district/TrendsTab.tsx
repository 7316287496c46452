import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { formatMoment } from '../../lib/dates';
import { Card, ErrorNotice, Loading, Notice } from '../../ui/components';
import { Chart, type ChartOption } from './Chart';
import { currentMonth, monthLabel, MonthSelect, schoolLabel } from './common';
import { Downloads } from './Downloads';
import { columnOf, districtValue, formatFigure, lastMonths, shiftMonth, TREND_FIGURES, type Figures } from './figures';
import { DistrictReportVersionsQuery, DistrictTrendsQuery } from './queries';

type TrendKey = (typeof TREND_FIGURES)[number];

/** Trends of the order's figures over the last six months, and the closed reports' versions with their changes. */
export default function TrendsTab({ month }: { month: string }) {
  return (
    <>
      <Trends month={month} />
      <Versions />
    </>
  );
}

function Trends({ month }: { month: string }) {
  const { t } = useTranslation();
  const months = lastMonths(month, 6);
  const [m0, m1, m2, m3, m4, m5] = months as [string, string, string, string, string, string];
  const [result, refetch] = useQuery({ query: DistrictTrendsQuery, variables: { m0, m1, m2, m3, m4, m5 } });
  const [figure, setFigure] = useState<TrendKey>('shareWithTopic');
  const selectId = useId();
  const column = columnOf(figure);

  const series = useMemo(() => {
    const data = result.data;
    if (!data) return undefined;
    const perMonth = [data.m0, data.m1, data.m2, data.m3, data.m4, data.m5];
    const schools = new Map<string, string>();
    for (const lines of perMonth) for (const l of lines) schools.set(l.schoolId, l.shortName);
    const value = (f: Figures | null | undefined) => (f?.[figure] ?? null) as number | null;
    const bySchool = [...schools].map(([id, name]) => ({ id, name, values: perMonth.map((lines) => value(lines.find((l) => l.schoolId === id)?.figures)) }));
    const district = perMonth.map((lines) =>
      districtValue(
        column,
        lines.map((l) => l.figures),
      ),
    );
    const any = bySchool.some((s) => s.values.some((v) => v !== null));
    return { bySchool, district: column.noTotal ? undefined : district, any };
  }, [result.data, figure, column]);

  const figureName = t(`district.figures.${figure}`);
  const option = useMemo<ChartOption | undefined>(() => {
    if (!series) return undefined;
    const scale = column.kind === 'share' ? 100 : 1;
    const shown = (v: number | null) => (v === null ? null : Math.round(v * scale * 100) / 100);
    const lines = [
      ...(series.district
        ? [
            {
              name: t('district.trends.districtLine'),
              type: 'line',
              data: series.district.map(shown),
              lineStyle: { width: 4 },
              symbolSize: 8,
              connectNulls: false,
            },
          ]
        : []),
      ...series.bySchool.map((s) => ({ name: s.name, type: 'line', data: s.values.map(shown), symbolSize: 6, connectNulls: false })),
    ];
    return {
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v: unknown) => (typeof v === 'number' ? `${v.toLocaleString('ru-RU')}${column.kind === 'share' ? ' %' : ''}` : '—'),
      },
      legend: { top: 0, type: 'scroll' },
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: months.map(monthLabel), boundaryGap: false },
      yAxis: column.kind === 'share' ? { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value} %' } } : { type: 'value', scale: true },
      series: lines,
    };
  }, [series, column, months, t]);

  return (
    <Card title={t('district.trends.title')} labelledBy="district-trends">
      <div className="district-toolbar">
        <div className="field">
          <label htmlFor={selectId}>{t('district.trends.figure')}</label>
          <select id={selectId} value={figure} onChange={(e) => setFigure(e.target.value as TrendKey)}>
            {TREND_FIGURES.map((f) => (
              <option key={f} value={f}>
                {t(`district.figures.${f}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {result.fetching && !result.data && <Loading />}
      {result.error && <ErrorNotice error={result.error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />}
      {series && !series.any && <Notice kind="info">{t('district.trends.noData')}</Notice>}
      {series?.any && option && (
        <>
          <Chart option={option} label={t('district.trends.chartLabel', { figure: figureName })} />
          {column.noTotal && <p className="small muted">{t('district.trends.averageNote')}</p>}
          <div className="table-scroll" tabIndex={0} role="region" aria-label={t('district.trends.tableCaption', { figure: figureName })}>
            <table className="table district-table">
              <caption className="district-sr-only">{t('district.trends.tableCaption', { figure: figureName })}</caption>
              <thead>
                <tr>
                  <th scope="col" className="district-table__school">
                    {t('district.school')}
                  </th>
                  {months.map((m) => (
                    <th key={m} scope="col" className="num">
                      {monthLabel(m)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {series.bySchool.map((s) => (
                  <tr key={s.id}>
                    <th scope="row" className="district-table__school">
                      {s.name}
                    </th>
                    {s.values.map((v, i) => (
                      <td key={i} className="num">
                        {formatFigure(column.kind, v)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
              {series.district && (
                <tfoot>
                  <tr>
                    <th scope="row" className="district-table__school">
                      {t('district.trends.districtLine')}
                    </th>
                    {series.district.map((v, i) => (
                      <td key={i} className="num">
                        {formatFigure(column.kind, v)}
                      </td>
                    ))}
                  </tr>
                </tfoot>
              )}
            </table>
          </div>
        </>
      )}
    </Card>
  );
}

/** A change's value as a reader knows it: states and statuses in words, shares in per cent, decimals with a comma. */
function useChangeValue() {
  const { t } = useTranslation();
  return (field: string, value: string | null): string => {
    if (value === null || value === '') return '—';
    if (field === 'state') return t(`district.state.${value}`, { defaultValue: value });
    if (field === 'schoolStatus') return t(`district.schoolStatus.${value}`, { defaultValue: value });
    const n = Number(value);
    if (Number.isNaN(n)) return value;
    if (/^share|Share$/.test(field)) return formatFigure('share', n);
    return Number.isInteger(n) ? n.toLocaleString('ru-RU') : n.toLocaleString('ru-RU', { maximumFractionDigits: 2 });
  };
}

function Versions() {
  const { t } = useTranslation();
  const closed = lastMonths(shiftMonth(currentMonth(), -1), 12).reverse();
  const [month, setMonth] = useState(closed[0]!);
  const [result, refetch] = useQuery({ query: DistrictReportVersionsQuery, variables: { month } });
  const versions = [...(result.data?.monthlyReportVersions ?? [])].sort((a, b) => b.version - a.version);
  const valueOf = useChangeValue();
  const fieldName = (field: string) =>
    field === 'state'
      ? t('district.versions.fieldState')
      : field === 'schoolStatus'
        ? t('district.versions.fieldSchoolStatus')
        : t(`district.fields.${field}`, { defaultValue: t(`district.figures.${field}`, { defaultValue: field }) });

  return (
    <Card title={t('district.versions.title')} labelledBy="district-versions">
      <div className="district-toolbar">
        <MonthSelect value={month} onChange={setMonth} label={t('district.versions.month')} months={closed} />
      </div>
      {result.fetching && !result.data && <Loading />}
      {result.error && <ErrorNotice error={result.error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />}
      {result.data && versions.length === 0 && <Notice kind="info">{t('district.versions.open', { month: monthLabel(month) })}</Notice>}
      <ol className="district-versions" reversed>
        {versions.map((v) => (
          <li key={v.version} className="district-version">
            <h3>
              {t('district.versions.version', { version: v.version })}{' '}
              <span className="small muted">{t('district.versions.closedAt', { time: formatMoment(v.closedAt) })}</span>
            </h3>
            <Downloads name="monitoring" params={{ month, version: String(v.version) }} label={t('district.versions.download', { version: v.version })} />
            {v.version === 1 ? (
              <p className="small muted">{t('district.versions.first')}</p>
            ) : v.changes.length === 0 ? (
              <p className="small muted">{t('district.versions.noChanges')}</p>
            ) : (
              <div className="table-scroll">
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">{t('district.school')}</th>
                      <th scope="col">{t('district.versions.field')}</th>
                      <th scope="col" className="num">
                        {t('district.versions.before')}
                      </th>
                      <th scope="col" className="num">
                        {t('district.versions.after')}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {v.changes.map((c, i) => (
                      <tr key={i}>
                        <td>{schoolLabel(c.schoolId, new Map(v.schools.map((school) => [school.schoolId, school.shortName])))}</td>
                        <td>{fieldName(c.field)}</td>
                        <td className="num">{valueOf(c.field, c.before)}</td>
                        <td className="num">{valueOf(c.field, c.after)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </li>
        ))}
      </ol>
    </Card>
  );
}
