import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { formatMoment } from '../../lib/dates';
import { ErrorNotice, Loading, Notice } from '../../ui/components';

const ControlVerifyAudit = graphql(`
  query ControlVerifyAudit($schoolId: ID!) {
    verifyAudit(schoolId: $schoolId) {
      ok
      rowsChecked
      firstBrokenId
      problem
    }
  }
`);

/** Re-walks the school's hash-chained audit on request and shows the verdict. */
export function AuditSection({ schoolId }: { schoolId: string }) {
  const { t } = useTranslation();
  const [checkedAt, setCheckedAt] = useState<string | undefined>();
  const [result, check] = useQuery({ query: ControlVerifyAudit, variables: { schoolId }, pause: !checkedAt, requestPolicy: 'network-only' });
  const run = () => {
    const now = new Date().toISOString();
    if (checkedAt) check({ requestPolicy: 'network-only' });
    setCheckedAt(now);
  };
  const verdict = result.data?.verifyAudit;
  // The service names the problem in English for operators; the deputy reads it in Russian.
  const problemText = (p: string) =>
    p.startsWith('chain link') ? t('control.audit.problems.link') : p.startsWith('content') ? t('control.audit.problems.content') : p;
  return (
    <section aria-labelledby="control-audit" className="stack">
      <h2 id="control-audit">{t('control.audit.heading')}</h2>
      <p className="muted">{t('control.audit.explain')}</p>
      <div className="toolbar">
        <button type="button" className="button" onClick={run} disabled={result.fetching}>
          {checkedAt ? t('control.audit.again') : t('control.audit.run')}
        </button>
      </div>
      <div aria-live="polite">
        {result.fetching && <Loading label={t('control.audit.running')} />}
        {!result.fetching && result.error && <ErrorNotice error={result.error} onRetry={run} />}
        {!result.fetching &&
          verdict &&
          (verdict.ok ? (
            <Notice kind="success">
              <p>{t('control.audit.ok', { count: verdict.rowsChecked })}</p>
              {checkedAt && <p className="small">{t('control.audit.checkedAt', { when: formatMoment(checkedAt) })}</p>}
            </Notice>
          ) : (
            <Notice kind="error">
              <p>
                <strong>{t('control.audit.broken', { id: verdict.firstBrokenId ?? '—' })}</strong>
              </p>
              {verdict.problem && <p>{t('control.audit.problem', { problem: problemText(verdict.problem) })}</p>}
              <p>{t('control.audit.checked', { count: verdict.rowsChecked })}</p>
              <p>{t('control.audit.brokenHint')}</p>
            </Notice>
          ))}
      </div>
    </section>
  );
}
