import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import type { RunState } from '../../gql/graphql';
import { formatMoment } from '../../lib/dates';
import { Badge, Card, ErrorNotice, Notice } from '../../ui/components';
import { monthLabel, schoolLabel } from './common';
import { DistrictCollectionRunQuery, DistrictCollectMutation, DistrictLatestRunQuery } from './queries';

const FINISHED: ReadonlySet<RunState> = new Set(['SUCCEEDED', 'PARTIAL', 'FAILED']);
const STATE_BADGE: Record<RunState, 'success' | 'warning' | 'danger' | undefined> = {
  QUEUED: undefined,
  RUNNING: undefined,
  SUCCEEDED: 'success',
  PARTIAL: 'warning',
  FAILED: 'danger',
};
const COLLECTION_BADGE = { CURRENT: 'success', STALE: 'warning', NOT_COLLECTED: undefined } as const;

/**
 * A district admin collects a month's figures again: the mutation answers at
 * once with a run, which is followed here every couple of seconds until it has
 * finished; then each school's outcome (state, attempts, error).
 */
export function CollectionPanel({
  month,
  monthName,
  schoolNames,
  onFinished,
  pollMs = 2000,
}: {
  month: string;
  monthName: string;
  schoolNames: ReadonlyMap<string, string>;
  onFinished: () => void;
  pollMs?: number;
}) {
  const { t } = useTranslation();
  const [started, startCollection] = useMutation(DistrictCollectMutation);
  const [runId, setRunId] = useState<string | undefined>();
  // A run already under way for the month (started by someone else, or before a reload) is followed too.
  const [latest] = useQuery({ query: DistrictLatestRunQuery, variables: { month }, requestPolicy: 'network-only' });
  const latestRun = latest.data?.monitoringCollectionRuns[0];
  const followed = runId ?? (latestRun && !FINISHED.has(latestRun.state) ? latestRun.id : undefined);

  useEffect(() => setRunId(undefined), [month]);

  async function start() {
    const result = await startCollection({ month });
    if (result.data) setRunId(result.data.collectMonitoring.id);
  }

  const [finishedId, setFinishedId] = useState<string | undefined>();
  const running = followed !== undefined && finishedId !== followed;
  return (
    <Card title={t('district.collect.title')} labelledBy="district-collect">
      <p className="small muted">{t('district.collect.hint')}</p>
      <div className="toolbar">
        <button type="button" className="button" onClick={() => void start()} disabled={started.fetching || running}>
          {started.fetching ? t('district.collect.starting') : t('district.collect.start', { month: monthName })}
        </button>
        {!followed && latestRun && (
          <span className="small muted">
            {t('district.collect.lastRun', {
              state: t(`district.collect.state.${latestRun.state}`),
              time: formatMoment(latestRun.finishedAt ?? latestRun.startedAt ?? ''),
            })}
          </span>
        )}
      </div>
      {started.error && <ErrorNotice error={started.error} />}
      {followed && (
        <RunProgress
          key={followed}
          id={followed}
          schoolNames={schoolNames}
          pollMs={pollMs}
          onFinished={() => {
            setFinishedId(followed);
            onFinished();
          }}
        />
      )}
    </Card>
  );
}

function RunProgress({
  id,
  schoolNames,
  onFinished,
  pollMs,
}: {
  id: string;
  schoolNames: ReadonlyMap<string, string>;
  onFinished: () => void;
  pollMs: number;
}) {
  const { t } = useTranslation();
  const [result, refetch] = useQuery({ query: DistrictCollectionRunQuery, variables: { id }, requestPolicy: 'network-only' });
  const run = result.data?.monitoringCollectionRun;
  const finished = run ? FINISHED.has(run.state) : false;
  const reported = useRef(false);

  useEffect(() => {
    if (!run || result.fetching) return;
    if (finished) {
      if (!reported.current) {
        reported.current = true;
        onFinished();
      }
      return;
    }
    const timer = setTimeout(() => refetch({ requestPolicy: 'network-only' }), pollMs);
    return () => clearTimeout(timer);
  }, [run, finished, result.fetching, refetch, pollMs, onFinished]);

  if (result.error && !run) return <Notice kind="error">{t('district.collect.followLost', { message: result.error.message })}</Notice>;
  if (!run) return null;
  const total = run.total ?? 0;
  return (
    <div className="district-run" aria-live="polite">
      <h3 className="district-run__title">
        {t('district.collect.runTitle', { month: monthLabel(run.month) })}{' '}
        <Badge kind={STATE_BADGE[run.state]}>{t(`district.collect.state.${run.state}`)}</Badge>
      </h3>
      <p className="small muted">
        {run.startedAt && t('district.collect.startedBy', { who: run.requestedBy, time: formatMoment(run.startedAt) })}
        {run.finishedAt && ` · ${t('district.collect.finishedAt', { time: formatMoment(run.finishedAt) })}`}
      </p>
      {!finished &&
        (run.state === 'QUEUED' || run.total === null ? (
          <p>{t('district.collect.waiting')}</p>
        ) : (
          <div className="district-progress">
            <progress max={Math.max(total, 1)} value={run.processed} aria-label={t('district.collect.progress', { processed: run.processed, total })} />
            <span>{t('district.collect.progress', { processed: run.processed, total })}</span>
          </div>
        ))}
      {run.state === 'FAILED' && <Notice kind="error">{t('district.collect.failedNothing', { error: run.error ?? run.errorCode ?? '' })}</Notice>}
      {finished && run.schools.length > 0 && (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('district.school')}</th>
                <th scope="col">{t('district.collect.outcome')}</th>
                <th scope="col" className="num">
                  {t('district.collect.attempts')}
                </th>
                <th scope="col">{t('district.collect.error')}</th>
              </tr>
            </thead>
            <tbody>
              {run.schools.map((s) => (
                <tr key={s.schoolId}>
                  <th scope="row">{schoolLabel(s.schoolId, schoolNames)}</th>
                  <td>
                    <Badge kind={COLLECTION_BADGE[s.state]}>{t(`district.state.${s.state}`)}</Badge>
                  </td>
                  <td className="num">{s.attempts}</td>
                  <td>{s.error ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {finished && run.reportVersion !== null && <p className="small">{t('district.collect.reportVersion', { version: run.reportVersion })}</p>}
    </div>
  );
}
