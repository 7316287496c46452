import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router-dom';
import { useQuery } from 'urql';
import type { AccountDriftKind } from '../../gql/graphql';
import { ErrorNotice, Loading, Notice } from '../../ui/components';
import { accountCreation, mayAdministerSchool, type AccountsAccess } from './access';
import { accountPath, type AccountLinkState } from './common';
import { CreateAccountButton, CreateAccountDialog, CreationResult, type AccountCandidate, type CreationOutcome } from './CreateAccount';
import { personKindLabel, roleList, tally } from './labels';
import { AccountsDriftQuery } from './queries';
import { RunPanel } from './RunPanel';

const KINDS: readonly AccountDriftKind[] = ['PERSON_WITHOUT_ACCOUNT', 'SCHOOL_MISSING', 'ROLES_MISSING', 'ROLES_EXTRA', 'NO_CURRENT_PERSON'];

/**
 * Where the school's accounts differ from its people (read from Keycloak
 * now): who has no account, whose account lacks the school or roles, which
 * account belongs to nobody current. «Исправить расхождения» closes them all
 * in one background run, then the list is read again; a person without an
 * account can also get one alone, from their line.
 */
export function DriftPanel({ schoolId, schoolLabel, access, pollMs }: { schoolId: string; schoolLabel: string; access: AccountsAccess; pollMs?: number }) {
  const { t } = useTranslation();
  const location = useLocation();
  const [result, refetch] = useQuery({ query: AccountsDriftQuery, variables: { schoolId }, requestPolicy: 'network-only' });
  const reload = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  const drift = result.data?.accountDrift;
  const [creating, setCreating] = useState<AccountCandidate | undefined>();
  const [outcomes, setOutcomes] = useState<CreationOutcome[]>([]);
  const back: AccountLinkState = { search: location.search };
  // Only people without an account get the button, and only from someone who administers the school.
  const withActions = mayAdministerSchool(access, schoolId) && (drift ?? []).some((d) => d.kind === 'PERSON_WITHOUT_ACCOUNT' && d.person);
  const created = (outcome: CreationOutcome) => {
    setCreating(undefined);
    // The newest first; each keeps its own password until it is hidden.
    setOutcomes((list) => [outcome, ...list.filter((o) => o.accountId !== outcome.accountId)]);
    reload();
  };
  const hidePassword = (accountId: string) => setOutcomes((list) => list.map((o) => (o.accountId === accountId ? { ...o, password: undefined } : o)));

  return (
    <section className="card" aria-labelledby="accounts-drift">
      <h2 id="accounts-drift">{t('accounts.drift.title', { school: schoolLabel })}</h2>
      <p className="muted">{t('accounts.drift.explain')}</p>
      <RunPanel mode="FIX" schoolId={schoolId} schoolLabel={schoolLabel} nothingToDo={drift?.length === 0} onFinished={reload} pollMs={pollMs} />
      <div aria-live="polite">
        {outcomes.map((o) => (
          <CreationResult key={o.accountId} outcome={o} back={back} onHidePassword={() => hidePassword(o.accountId)} />
        ))}
      </div>
      {result.fetching && !drift && <Loading label={t('accounts.drift.reading')} />}
      {result.error && <ErrorNotice error={result.error} onRetry={reload} />}
      {drift && drift.length === 0 && <Notice kind="success">{t('accounts.drift.none')}</Notice>}
      {drift && drift.length > 0 && (
        <>
          <h3>{t('accounts.drift.found', { count: drift.length })}</h3>
          <p>
            {tally(
              drift.map((d) => d.kind),
              KINDS,
              (k) => t(`accounts.driftKinds.${k}`),
            )}
          </p>
          <div className="table-scroll">
            <table className="table table--stack">
              <caption className="sr-only">{t('accounts.drift.caption', { school: schoolLabel })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('accounts.columns.fullName')}</th>
                  <th scope="col">{t('accounts.columns.drift')}</th>
                  <th scope="col">{t('accounts.columns.kind')}</th>
                  <th scope="col">{t('accounts.columns.account')}</th>
                  <th scope="col">{t('accounts.columns.roles')}</th>
                  {withActions && (
                    <th scope="col">
                      <span className="sr-only">{t('accounts.columns.actions')}</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {drift.map((d, i) => {
                  const person = d.kind === 'PERSON_WITHOUT_ACCOUNT' ? d.person : null;
                  const creation = withActions && person ? accountCreation(access, schoolId, d.roles) : undefined;
                  return (
                    <tr key={`${d.kind}-${d.person ?? d.account?.id}-${i}`}>
                      <th scope="row">{d.fullName}</th>
                      <td data-label={t('accounts.columns.drift')}>{t(`accounts.driftKinds.${d.kind}`)}</td>
                      <td data-label={t('accounts.columns.kind')}>{personKindLabel(d.personKind, t)}</td>
                      <td data-label={t('accounts.columns.account')}>{d.account ? <Link to={accountPath(d.account.id)}>{d.account.username}</Link> : '—'}</td>
                      <td data-label={t('accounts.columns.roles')}>{roleList(d.roles, t)}</td>
                      {withActions && (
                        <td>
                          {creation && person && (
                            <CreateAccountButton
                              fullName={d.fullName}
                              creation={creation}
                              onCreate={() => setCreating({ person, personKind: d.personKind, fullName: d.fullName, roles: creation.roles })}
                            />
                          )}
                        </td>
                      )}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
      {creating && <CreateAccountDialog candidate={creating} schoolLabel={schoolLabel} onDone={created} onClose={() => setCreating(undefined)} />}
    </section>
  );
}
