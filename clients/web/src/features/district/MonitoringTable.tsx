import { useTranslation } from 'react-i18next';
import type { DistrictMonitoringQuery } from '../../gql/graphql';
import { formatMoment } from '../../lib/dates';
import { Badge, Notice } from '../../ui/components';
import { districtValue, FIGURE_COLUMNS, formatFigure } from './figures';

export type MonitoringLine = DistrictMonitoringQuery['monitoring'][number];

const STATE_BADGE = { CURRENT: 'success', STALE: 'warning', NOT_COLLECTED: undefined } as const;

/**
 * The month's figures per school, the district's total under them. A stale
 * school keeps its last good figures, marked, with why the last collection
 * failed and when the figures were collected.
 */
export function MonitoringTable({ lines, month }: { lines: MonitoringLine[]; month: string }) {
  const { t } = useTranslation();
  if (lines.length === 0) return <Notice kind="info">{t('district.noSchools')}</Notice>;
  const stale = lines.filter((l) => l.state === 'STALE');
  const collected = lines.filter((l) => l.figures);
  return (
    <>
      {stale.length > 0 && (
        <Notice kind="warning">
          <p>
            <strong>{t('district.staleTitle')}</strong>
          </p>
          <ul className="district-stale-list">
            {stale.map((l) => (
              <li key={l.schoolId}>
                {t('district.staleLine', {
                  school: l.shortName,
                  code: l.schoolId,
                  attempt: l.lastAttemptAt ? formatMoment(l.lastAttemptAt) : '',
                  error: l.lastError ?? t('district.noError'),
                })}{' '}
                {l.collectedAt && l.figures ? t('district.staleKept', { time: formatMoment(l.collectedAt) }) : t('district.staleNone')}
              </li>
            ))}
          </ul>
        </Notice>
      )}
      <div className="table-scroll district-table-scroll" tabIndex={0} role="region" aria-label={t('district.monitoringCaption', { month })}>
        <table className="table district-table">
          <caption className="district-sr-only">{t('district.monitoringCaption', { month })}</caption>
          <thead>
            <tr>
              <th scope="col" className="district-table__school">
                {t('district.school')}
              </th>
              {FIGURE_COLUMNS.map((c) => (
                <th key={c.key} scope="col" className="num" title={t(`district.hints.${c.key}`)}>
                  {t(`district.figures.${c.key}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {lines.map((line) => (
              <tr key={line.schoolId} className={line.state === 'STALE' ? 'district-row--stale' : undefined}>
                <th scope="row" className="district-table__school">
                  <SchoolHead line={line} />
                </th>
                {FIGURE_COLUMNS.map((c) => (
                  <td key={c.key} className="num">
                    {formatFigure(c.kind, line.figures?.[c.key] as number | null | undefined)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
          {collected.length > 1 && (
            <tfoot>
              <tr>
                <th scope="row" className="district-table__school">
                  {t('district.districtTotal', { count: collected.length })}
                </th>
                {FIGURE_COLUMNS.map((c) => (
                  <td key={c.key} className="num">
                    {formatFigure(
                      c.kind,
                      districtValue(
                        c,
                        collected.map((l) => l.figures),
                      ),
                    )}
                  </td>
                ))}
              </tr>
            </tfoot>
          )}
        </table>
      </div>
      <ul className="district-cards">
        {lines.map((line) => (
          <li key={line.schoolId} className={`district-card${line.state === 'STALE' ? ' district-row--stale' : ''}`}>
            <h3 className="district-card__title">
              <SchoolHead line={line} />
            </h3>
            <FigureList figures={line.figures} />
          </li>
        ))}
        {collected.length > 1 && (
          <li className="district-card district-card--total">
            <h3 className="district-card__title">{t('district.districtTotal', { count: collected.length })}</h3>
            <FigureList figures={null} total={collected.map((l) => l.figures)} />
          </li>
        )}
      </ul>
      <details className="district-hints">
        <summary>{t('district.hintsTitle')}</summary>
        <dl>
          {FIGURE_COLUMNS.map((c) => (
            <div key={c.key}>
              <dt>{t(`district.figures.${c.key}`)}</dt>
              <dd>{t(`district.hints.${c.key}`)}</dd>
            </div>
          ))}
        </dl>
        <p className="small muted">{t('district.totalHint')}</p>
      </details>
    </>
  );
}

/** The school's name, code and registry status, and how fresh its figures are. */
function SchoolHead({ line }: { line: MonitoringLine }) {
  const { t } = useTranslation();
  return (
    <>
      <span className="district-school-name">{line.shortName}</span>
      <span className="small muted district-school-meta">
        {t('district.schoolCode', { code: line.schoolId })} · {t(`district.schoolStatus.${line.schoolStatus}`)}
      </span>
      <span className="district-collected">
        <Badge kind={STATE_BADGE[line.state]}>{t(`district.state.${line.state}`)}</Badge>{' '}
        <span className="small muted">
          {line.collectedAt ? t('district.collectedAt', { time: formatMoment(line.collectedAt) }) : t('district.neverCollected')}
        </span>
      </span>
    </>
  );
}

/** The figures as a list (phones: a card per school instead of the wide table). */
function FigureList({ figures, total }: { figures: MonitoringLine['figures']; total?: MonitoringLine['figures'][] }) {
  const { t } = useTranslation();
  return (
    <dl className="district-card__figures">
      {FIGURE_COLUMNS.map((c) => (
        <div key={c.key}>
          <dt>{t(`district.figures.${c.key}`)}</dt>
          <dd>{formatFigure(c.kind, total ? districtValue(c, total) : (figures?.[c.key] as number | null | undefined))}</dd>
        </div>
      ))}
    </dl>
  );
}
