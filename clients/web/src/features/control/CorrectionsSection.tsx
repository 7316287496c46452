import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import type { CombinedError } from '@urql/core';
import { graphql } from '../../gql';
import type { ControlCorrectionsQuery } from '../../gql/graphql';
import { formatMoment, formatShort } from '../../lib/dates';
import { Badge, ErrorNotice, Loading, Notice } from '../../ui/components';
import { snapshotValue, valueLabel } from './values';

const ControlCorrections = graphql(`
  query ControlCorrections($schoolId: ID!, $status: CorrectionStatus) {
    correctionRequests(schoolId: $schoolId, status: $status) {
      id
      target
      targetId
      action
      proposed
      reason
      status
      requestedAt
      decidedAt
      decisionComment
      version
      entry {
        student {
          id
          fullName
        }
        lessonDate
        subjectName
        className
        currentValue
        currentStatus
        requestedBy
      }
    }
  }
`);

const ControlEntryHistory = graphql(`
  query ControlEntryHistory($id: ID!, $requestId: ID!) {
    entryHistory(id: $id) {
      id
      at
      actor
      action
      old
      new
      reason
    }
    requestHistory: entryHistory(id: $requestId) {
      id
      at
      actor
      action
      old
      new
      reason
    }
  }
`);

const ControlDecideCorrection = graphql(`
  mutation ControlDecideCorrection($id: ID!, $version: Int!, $approve: Boolean!, $comment: String) {
    decideCorrection(id: $id, version: $version, approve: $approve, comment: $comment) {
      id
      status
      version
      decidedAt
      decisionComment
    }
  }
`);

type Request = ControlCorrectionsQuery['correctionRequests'][number];
type Status = 'PENDING' | 'APPROVED' | 'REJECTED';
const STATUSES: Status[] = ['PENDING', 'APPROVED', 'REJECTED'];

interface Outcome {
  kind: 'success' | 'info';
  text: string;
}

/** Correction requests after the edit window: each beside its entry's history, approved or rejected here. */
export function CorrectionsSection({ schoolId }: { schoolId: string }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<Status>('PENDING');
  const [result, refetch] = useQuery({ query: ControlCorrections, variables: { schoolId, status } });
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const [failure, setFailure] = useState<{ error: CombinedError; conflict: boolean } | undefined>();
  const refresh = () => refetch({ requestPolicy: 'network-only' });
  // Newest requests first: a deputy works through what came in last.
  const requests = [...(result.data?.correctionRequests ?? [])].reverse();

  return (
    <section aria-labelledby="control-corrections" className="stack">
      <div className="card__title">
        <h2 id="control-corrections">{t('control.corrections.heading')}</h2>
        <label className="field control-inline-field">
          {t('control.corrections.status')}
          <select
            value={status}
            onChange={(e) => {
              setStatus(e.target.value as Status);
              setOutcome(undefined);
              setFailure(undefined);
            }}
          >
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`control.corrections.statuses.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div aria-live="polite">
        {outcome && <Notice kind={outcome.kind === 'success' ? 'success' : 'info'}>{outcome.text}</Notice>}
        {failure && (
          <>
            <ErrorNotice error={failure.error} />
            {failure.conflict && <Notice kind="info">{t('control.corrections.conflictHint')}</Notice>}
          </>
        )}
      </div>
      {result.fetching && !result.data && <Loading />}
      {result.error && <ErrorNotice error={result.error} onRetry={refresh} />}
      {result.data && requests.length === 0 && <p className="muted">{t(`control.corrections.empty.${status}`)}</p>}
      <ul className="control-requests" aria-label={t(`control.corrections.statuses.${status}`)}>
        {requests.map((r) => (
          <li key={r.id}>
            <CorrectionCard
              request={r}
              onDecided={(text) => {
                setFailure(undefined);
                setOutcome({ kind: 'success', text });
                refresh();
              }}
              onFailed={(error) => {
                const conflict = error.graphQLErrors.some((e) => e.extensions?.code === 'CONFLICT');
                setOutcome(undefined);
                setFailure({ error, conflict });
                if (conflict) refresh();
              }}
            />
          </li>
        ))}
      </ul>
    </section>
  );
}

function CorrectionCard({ request, onDecided, onFailed }: { request: Request; onDecided: (text: string) => void; onFailed: (error: CombinedError) => void }) {
  const { t } = useTranslation();
  const headingId = useId();
  const commentId = useId();
  const [comment, setComment] = useState('');
  const [decision, decide] = useMutation(ControlDecideCorrection);
  const entry = request.entry;
  const proposed = snapshotValue(request.proposed);
  const studentName = entry?.student.fullName ?? t('control.corrections.unknownEntry');
  const pending = request.status === 'PENDING';

  const submit = async (approve: boolean) => {
    const answer = await decide({ id: request.id, version: request.version, approve, comment: comment.trim() || null });
    if (answer.error) return onFailed(answer.error);
    if (!approve) return onDecided(t('control.corrections.rejected'));
    if (request.action === 'WITHDRAW' || !entry || !proposed?.value) return onDecided(t('control.corrections.approvedShort'));
    onDecided(t('control.corrections.approved', { student: studentName, subject: entry.subjectName, value: valueLabel(proposed.value, t) }));
  };

  return (
    <article className="card control-request" aria-labelledby={headingId}>
      <div className="control-request__main">
        <div className="card__title">
          <h3 id={headingId}>
            {t(`control.corrections.target.${request.target}`, { defaultValue: request.target })} · {studentName}
          </h3>
          <Badge kind={request.status === 'APPROVED' ? 'success' : request.status === 'REJECTED' ? 'danger' : 'warning'}>
            {t(`control.corrections.badge.${request.status}`, { defaultValue: request.status })}
          </Badge>
        </div>
        {entry && (
          <p className="muted small">
            {[entry.className, entry.subjectName, t('control.corrections.lesson', { date: formatShort(entry.lessonDate) })].filter(Boolean).join(' · ')}
          </p>
        )}
        <dl className="control-change">
          <div>
            <dt>{t('control.corrections.now')}</dt>
            <dd>
              <ValueChip value={entry?.currentStatus === 'WITHDRAWN' ? 'WITHDRAWN' : entry?.currentValue} />
            </dd>
          </div>
          <span aria-hidden="true" className="control-change__arrow">
            →
          </span>
          <div>
            <dt>{t('control.corrections.proposed')}</dt>
            <dd>{request.action === 'WITHDRAW' ? t('control.corrections.withdraw') : <ValueChip value={proposed?.value} />}</dd>
          </div>
        </dl>
        <p>
          <strong>{t('control.corrections.reason')}:</strong> {request.reason}
        </p>
        <p className="muted small">
          {entry?.requestedBy
            ? t('control.corrections.requested', { who: entry.requestedBy, when: formatMoment(request.requestedAt) })
            : t('control.corrections.requestedNoName', { when: formatMoment(request.requestedAt) })}
          {request.decidedAt && <> · {t('control.corrections.decided', { when: formatMoment(request.decidedAt) })}</>}
        </p>
        {request.decisionComment && (
          <p className="small">
            <strong>{t('control.corrections.decisionComment')}:</strong> {request.decisionComment}
          </p>
        )}
        {pending && (
          <div className="stack">
            <label className="field" htmlFor={commentId}>
              {t('control.corrections.comment')}
              <textarea
                id={commentId}
                value={comment}
                maxLength={500}
                rows={2}
                onChange={(e) => setComment(e.target.value)}
                aria-label={t('control.corrections.commentLabel', { student: studentName })}
              />
            </label>
            <div className="toolbar">
              <button type="button" className="button" disabled={decision.fetching} onClick={() => void submit(true)} aria-describedby={headingId}>
                {t('control.corrections.approve')}
              </button>
              <button
                type="button"
                className="button button--secondary"
                disabled={decision.fetching}
                onClick={() => void submit(false)}
                aria-describedby={headingId}
              >
                {t('control.corrections.reject')}
              </button>
              {decision.fetching && (
                <span className="muted small" role="status">
                  {t('control.corrections.deciding')}
                </span>
              )}
            </div>
          </div>
        )}
      </div>
      <EntryHistory id={request.targetId} requestId={request.id} withdraw={request.action === 'WITHDRAW'} />
    </article>
  );
}

function ValueChip({ value }: { value: string | null | undefined }) {
  const { t } = useTranslation();
  if (!value) return <span>—</span>;
  return <span className={`mark mark--${value}`}>{valueLabel(value, t)}</span>;
}

/** The entry's audit history and its correction request's (asked, decided): who changed what, when and why. */
function EntryHistory({ id, requestId, withdraw }: { id: string; requestId: string; withdraw: boolean }) {
  const { t } = useTranslation();
  const headingId = useId();
  const [result] = useQuery({ query: ControlEntryHistory, variables: { id, requestId }, requestPolicy: 'network-only' });
  const events = [...(result.data?.entryHistory ?? []), ...(result.data?.requestHistory ?? [])].sort(
    (a, b) => a.at.localeCompare(b.at) || Number(a.id) - Number(b.id),
  );
  const shown = (s: ReturnType<typeof snapshotValue>) => (s?.status === 'WITHDRAWN' ? valueLabel('WITHDRAWN', t) : valueLabel(s?.value, t));
  const change = (e: (typeof events)[number]): string | null => {
    if (e.action === 'APPROVE' || e.action === 'REJECT') return null;
    if (e.action === 'REQUEST') return withdraw ? `→ ${t('control.corrections.withdraw')}` : `→ ${shown(snapshotValue(e.new))}`;
    const before = snapshotValue(e.old);
    return before ? `${shown(before)} → ${shown(snapshotValue(e.new))}` : shown(snapshotValue(e.new));
  };
  return (
    <aside className="control-history" aria-labelledby={headingId}>
      <h4 id={headingId}>{t('control.corrections.history')}</h4>
      {result.fetching && !result.data && <Loading />}
      {result.error && <p className="small">{t('control.corrections.historyError')}</p>}
      {result.data && events.length === 0 && <p className="muted small">{t('control.corrections.historyEmpty')}</p>}
      <ol className="control-history__list">
        {events.map((e) => {
          const text = change(e);
          const comment = e.action === 'APPROVE' || e.action === 'REJECT' ? snapshotValue(e.new)?.comment : null;
          return (
            <li key={`${e.action}-${e.id}`}>
              <div className="small">
                <strong>{t(`control.corrections.actions.${e.action}`, { defaultValue: e.action })}</strong> · <time dateTime={e.at}>{formatMoment(e.at)}</time>
              </div>
              {text && <div>{text}</div>}
              <div className="muted small">{e.actor}</div>
              {(comment ?? e.reason) && <div className="small">«{comment ?? e.reason}»</div>}
            </li>
          );
        })}
      </ol>
    </aside>
  );
}
