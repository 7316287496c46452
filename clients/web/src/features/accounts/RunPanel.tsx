import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import type { AccountsFixDriftMutation, AccountsProvisionMutation, AccountsRunQuery, RunState } from '../../gql/graphql';
import { formatDateTime } from '../../lib/dates';
import { Badge, ErrorNotice, Loading, Notice } from '../../ui/components';
import { ActionDialog } from './ActionDialog';
import { saveCredentials } from './credentials-file';
import { personKindLabel, tally } from './labels';
import {
  AccountsFixDriftMutation as FixDocument,
  AccountsProvisionMutation as ProvisionDocument,
  AccountsRunQuery as RunDocument,
  AccountsRunsQuery,
} from './queries';
import { useIdentityAction } from './use-identity-action';

export type RunMode = 'PROVISION' | 'FIX';
type Run = NonNullable<AccountsRunQuery['accountRun']>;
type Started = AccountsProvisionMutation | AccountsFixDriftMutation;

const startedRun = (data: Started) => ('provisionSchoolAccounts' in data ? data.provisionSchoolAccounts : data.fixAccountDrift);

const FINISHED: ReadonlySet<RunState> = new Set(['SUCCEEDED', 'PARTIAL', 'FAILED']);
const STATE_BADGE: Record<RunState, 'success' | 'warning' | 'danger' | undefined> = {
  QUEUED: undefined,
  RUNNING: undefined,
  SUCCEEDED: 'success',
  PARTIAL: 'warning',
  FAILED: 'danger',
};
/** The run's outcomes, in the order the summary names them. */
const OUTCOMES = ['CREATED', 'EXISTING', 'BOUND', 'ROLES_GRANTED', 'ROLES_REVOKED', 'UNBOUND', 'DISABLED', 'SKIPPED', 'FAILED'] as const;
const OUTCOME_BADGE: Record<string, 'success' | 'warning' | 'danger' | undefined> = { CREATED: 'success', SKIPPED: 'warning', FAILED: 'danger' };

/**
 * A school's provisioning or drift fix: started after a confirmation, then
 * followed (the API answers at once with a run that works in the
 * background) every second until it has finished; then its report. The
 * school's latest run of the kind is shown on arrival, so a report and its
 * passwords survive a reload for as long as the API keeps them.
 */
export function RunPanel({
  schoolId,
  schoolLabel,
  mode,
  nothingToDo = false,
  onFinished,
  pollMs = 1000,
}: {
  schoolId: string;
  schoolLabel: string;
  mode: RunMode;
  nothingToDo?: boolean;
  onFinished?: () => void;
  pollMs?: number;
}) {
  const { t } = useTranslation();
  const words = mode === 'PROVISION' ? 'provision' : 'fix';
  const [runs] = useQuery({ query: AccountsRunsQuery, variables: { schoolId }, requestPolicy: 'network-only' });
  const latest = runs.data?.accountRuns.find((r) => r.mode === mode);
  const [startedId, setStartedId] = useState<string | undefined>();
  const followed = startedId ?? latest?.id;
  const [followedState, setFollowedState] = useState<{ id: string; state: RunState } | undefined>();
  const running = followed !== undefined && (followedState?.id !== followed || !FINISHED.has(followedState.state));
  const onState = useCallback(
    (state: RunState) => {
      if (followed) setFollowedState({ id: followed, state });
    },
    [followed],
  );
  const [confirming, setConfirming] = useState(false);
  const provision = useIdentityAction(ProvisionDocument);
  const fix = useIdentityAction(FixDocument);
  const action = mode === 'PROVISION' ? provision : fix;
  const start = (): Promise<Started | undefined> => (mode === 'PROVISION' ? provision.run({ schoolId }) : fix.run({ schoolId }));

  return (
    <div className="accounts-run-panel">
      <div className="toolbar">
        <button type="button" className="button" onClick={() => setConfirming(true)} disabled={running || nothingToDo}>
          {t(`accounts.${words}.start`)}
        </button>
        {running && <span className="small muted">{t('accounts.run.busy')}</span>}
      </div>
      {runs.error && !runs.data && <ErrorNotice error={runs.error} />}
      {confirming && (
        <ActionDialog<Started>
          title={t(`accounts.${words}.confirmTitle`, { school: schoolLabel })}
          description={<p>{t(`accounts.${words}.confirmText`, { school: schoolLabel })}</p>}
          confirmLabel={t(`accounts.${words}.confirm`)}
          action={action}
          onConfirm={start}
          onDone={(data) => {
            setConfirming(false);
            setStartedId(startedRun(data).id);
          }}
          onClose={() => setConfirming(false)}
        />
      )}
      {followed && <RunReport key={followed} id={followed} schoolLabel={schoolLabel} pollMs={pollMs} onState={onState} onFinished={onFinished} />}
    </div>
  );
}

function RunReport({
  id,
  schoolLabel,
  pollMs,
  onState,
  onFinished,
}: {
  id: string;
  schoolLabel: string;
  pollMs: number;
  onState: (state: RunState) => void;
  onFinished?: () => void;
}) {
  const { t } = useTranslation();
  const [result, refetch] = useQuery({ query: RunDocument, variables: { id }, requestPolicy: 'network-only' });
  const run = result.data?.accountRun;
  const finished = run ? FINISHED.has(run.state) : false;
  const watched = useRef(false);
  const reported = useRef(false);
  const state = run?.state;

  useEffect(() => {
    if (state) onState(state);
  }, [state, onState]);

  useEffect(() => {
    if (!run || result.fetching) return;
    if (finished) {
      // A run seen finishing (not one that had finished before the page opened) changes what the page shows.
      if (watched.current && !reported.current) {
        reported.current = true;
        onFinished?.();
      }
      return;
    }
    watched.current = true;
    const timer = setTimeout(() => refetch({ requestPolicy: 'network-only' }), pollMs);
    return () => clearTimeout(timer);
  }, [run, finished, result.fetching, refetch, pollMs, onFinished]);

  if (result.error && !run) return <ErrorNotice error={result.error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />;
  if (!run) return result.fetching ? <Loading /> : null;
  const total = run.total ?? 0;
  return (
    <section className="accounts-run" aria-labelledby={`run-${run.id}`} aria-live="polite">
      <h3 id={`run-${run.id}`} className="accounts-run__title">
        {t(`accounts.run.title.${run.mode}`, { defaultValue: run.mode, time: formatDateTime(run.requestedAt) })}{' '}
        <Badge kind={STATE_BADGE[run.state]}>{t(`accounts.run.state.${run.state}`)}</Badge>
      </h3>
      <p className="small muted">
        {t('accounts.run.requested', { who: run.requestedBy, time: formatDateTime(run.requestedAt) })}
        {run.finishedAt && ` · ${t('accounts.run.finished', { time: formatDateTime(run.finishedAt) })}`}
      </p>
      {!finished &&
        (run.state === 'QUEUED' || run.total === null ? (
          <p>{t('accounts.run.waiting')}</p>
        ) : (
          <div className="progress-line">
            <progress max={Math.max(total, 1)} value={run.processed} aria-label={t('accounts.run.progress', { processed: run.processed, total })} />
            <span>{t('accounts.run.progress', { processed: run.processed, total })}</span>
          </div>
        ))}
      {run.state === 'FAILED' && <Notice kind="error">{t('accounts.run.failed', { error: run.error ?? '' })}</Notice>}
      {finished && <RunOutcome run={run} schoolLabel={schoolLabel} />}
    </section>
  );
}

function RunOutcome({ run, schoolLabel }: { run: Run; schoolLabel: string }) {
  const { t } = useTranslation();
  const [saved, setSaved] = useState<string | undefined>();
  const summary = tally(
    run.lines.map((l) => l.outcome),
    OUTCOMES,
    (o) => t(`accounts.outcomes.${o}`),
  );
  return (
    <>
      {summary && (
        <p>
          {t('accounts.run.summary')} {summary}
        </p>
      )}
      {run.credentialsCsv ? (
        <Notice kind="warning">
          <p>{t('accounts.run.credentials', { count: run.created, school: schoolLabel })}</p>
          <button type="button" className="button" onClick={() => setSaved(saveCredentials(run.credentialsCsv!, run.schoolId, run.requestedAt))}>
            {t('accounts.run.download')}
          </button>
          {saved && (
            <p className="small" role="status">
              {t('accounts.run.downloaded', { name: saved })}
            </p>
          )}
        </Notice>
      ) : (
        run.created > 0 && <p className="small muted">{t('accounts.run.credentialsGone', { count: run.created })}</p>
      )}
      {run.lines.length === 0 ? (
        <p className="muted">{t('accounts.run.noLines')}</p>
      ) : (
        <div className="table-scroll">
          <table className="table table--stack">
            <caption className="sr-only">{t('accounts.run.reportCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('accounts.columns.fullName')}</th>
                <th scope="col">{t('accounts.columns.kind')}</th>
                <th scope="col">{t('accounts.columns.username')}</th>
                <th scope="col">{t('accounts.columns.outcome')}</th>
                <th scope="col">{t('accounts.columns.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {run.lines.map((line, i) => (
                <tr key={`${line.person ?? line.username ?? ''}-${i}`}>
                  <th scope="row">{line.fullName}</th>
                  <td data-label={t('accounts.columns.kind')}>{personKindLabel(line.kind, t)}</td>
                  <td data-label={t('accounts.columns.username')}>{line.username ?? '—'}</td>
                  <td data-label={t('accounts.columns.outcome')}>
                    <Badge kind={OUTCOME_BADGE[line.outcome]}>{t(`accounts.outcomes.${line.outcome}`, { defaultValue: line.outcome })}</Badge>
                  </td>
                  <td data-label={t('accounts.columns.reason')}>{line.reason ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
