import { useId, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router-dom';
import { useQuery } from 'urql';
import type { CombinedError } from '@urql/core';
import { useSession } from '../../app/session-context';
import type { AccountsAccountFieldsFragment, AccountsAuditQuery, AccountsSessionsQuery, PlatformRole } from '../../gql/graphql';
import { formatDateTime } from '../../lib/dates';
import { Card, ErrorNotice, Loading, Notice, PageHeader } from '../../ui/components';
import { accountPowers, accountsAccess, type AccountPowers } from './access';
import { ActionDialog } from './ActionDialog';
import { StatusBadge, type AccountLinkState } from './common';
import { auditChange, roleLabel, schoolName } from './labels';
import { PasswordOnce } from './PasswordOnce';
import {
  AccountsAccountQuery,
  AccountsAuditQuery as AuditDocument,
  AccountsBindSchoolMutation,
  AccountsEndSessionsMutation,
  AccountsGrantRoleMutation,
  AccountsResetPasswordMutation,
  AccountsRevokeRoleMutation,
  AccountsSchoolsQuery,
  AccountsSessionsQuery as SessionsDocument,
  AccountsSetEnabledMutation,
  AccountsUnbindSchoolMutation,
} from './queries';
import { useIdentityAction } from './use-identity-action';
import './accounts.css';

type Account = AccountsAccountFieldsFragment;

/** The change the administrator is confirming. */
type Pending =
  | { kind: 'grant' | 'revoke'; role: PlatformRole }
  | { kind: 'bind' | 'unbind'; schoolId: string }
  | { kind: 'status'; enabled: boolean }
  | { kind: 'password' }
  | { kind: 'sessions' };

/**
 * One account: its roles and schools with what the viewer may change, its
 * status, a password reset, its sessions and its audit history. Every change
 * is confirmed in a dialog naming the person; the page then reads the account,
 * its sessions and history again.
 */
export default function AccountPage() {
  const { t } = useTranslation();
  const session = useSession();
  const access = accountsAccess(session);
  const { id = '' } = useParams();
  const location = useLocation();
  const back = `/accounts${(location.state as AccountLinkState | null)?.search ?? ''}`;
  const [result, refetch] = useQuery({ query: AccountsAccountQuery, variables: { id }, pause: !access, requestPolicy: 'network-only' });
  const [sessions, refetchSessions] = useQuery({ query: SessionsDocument, variables: { id }, pause: !access, requestPolicy: 'network-only' });
  const [audit, refetchAudit] = useQuery({ query: AuditDocument, variables: { id }, pause: !access, requestPolicy: 'network-only' });
  const [schools] = useQuery({ query: AccountsSchoolsQuery, pause: !access });
  const names = useMemo(() => new Map((schools.data?.schools ?? []).map((s) => [s.id, s.shortName])), [schools.data]);
  const [pending, setPending] = useState<Pending | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const [password, setPassword] = useState<string | undefined>();

  if (!access) return <Notice kind="info">{t('accounts.forbidden')}</Notice>;
  const account = result.data?.account;
  const reload = () => {
    refetch({ requestPolicy: 'network-only' });
    refetchSessions({ requestPolicy: 'network-only' });
    refetchAudit({ requestPolicy: 'network-only' });
  };
  const finished = (message: string) => {
    setPending(undefined);
    setDone(message);
    reload();
  };

  const backLink = (
    <Link className="button button--secondary" to={back}>
      {t('accounts.account.back')}
    </Link>
  );
  if (result.fetching && !result.data) return <Loading />;
  if (result.error && !account) {
    return (
      <>
        <PageHeader title={t('accounts.title')}>{backLink}</PageHeader>
        <ErrorNotice error={result.error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />
      </>
    );
  }
  if (!account) {
    return (
      <>
        <PageHeader title={t('accounts.title')}>{backLink}</PageHeader>
        {done && <Notice kind="success">{done}</Notice>}
        <Notice kind="info">{t('accounts.account.notFound')}</Notice>
      </>
    );
  }

  const powers = accountPowers(access, session, account);
  return (
    <>
      <PageHeader title={account.fullName}>{backLink}</PageHeader>
      <div aria-live="polite">{done && <Notice kind="success">{done}</Notice>}</div>
      {powers.own && <Notice kind="info">{t('accounts.account.own')}</Notice>}
      {!powers.own && !powers.whole && <Notice kind="info">{t('accounts.account.shared')}</Notice>}
      <div className="accounts-layout">
        <div className="accounts-layout__main">
          <Summary account={account} />
          <RolesCard account={account} powers={powers} onChange={setPending} />
          <SchoolsCard account={account} powers={powers} names={names} onChange={setPending} />
          <AccessCard account={account} powers={powers} onChange={setPending}>
            {password && <PasswordOnce password={password} fullName={account.fullName} username={account.username} onHide={() => setPassword(undefined)} />}
          </AccessCard>
          <SessionsCard result={sessions} onRetry={() => refetchSessions({ requestPolicy: 'network-only' })} />
        </div>
        <HistoryCard result={audit} names={names} onRetry={() => refetchAudit({ requestPolicy: 'network-only' })} />
      </div>
      {pending && (
        <ChangeDialog
          account={account}
          pending={pending}
          names={names}
          onClose={() => setPending(undefined)}
          onDone={finished}
          onPassword={(value) => {
            setPassword(value);
            finished(t('accounts.done.password', { name: account.fullName }));
          }}
        />
      )}
    </>
  );
}

function Summary({ account }: { account: Account }) {
  const { t } = useTranslation();
  const rows: [string, ReactNode][] = [
    [t('accounts.columns.username'), <code key="u">{account.username}</code>],
    [t('accounts.columns.status'), <StatusBadge key="s" status={account.status} />],
    [t('accounts.account.email'), account.email ?? '—'],
    [t('accounts.account.createdAt'), account.createdAt ? formatDateTime(account.createdAt) : '—'],
    [t('accounts.columns.lastLogin'), account.lastLoginAt ? formatDateTime(account.lastLoginAt) : t('accounts.never')],
    [t('accounts.account.person'), account.personId ? t('accounts.account.personLinked') : t('accounts.account.personMissing')],
  ];
  return (
    <Card title={t('accounts.account.summary')} labelledBy="account-summary">
      <dl className="accounts-facts">
        {rows.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <p className="small muted">{t('accounts.account.synced', { time: formatDateTime(account.syncedAt) })}</p>
    </Card>
  );
}

function RolesCard({ account, powers, onChange }: { account: Account; powers: AccountPowers; onChange: (p: Pending) => void }) {
  const { t } = useTranslation();
  const selectId = useId();
  const addable = powers.grantable.filter((r) => !account.roles.includes(r));
  const [role, setRole] = useState<PlatformRole | ''>('');
  const chosen = role && addable.includes(role) ? role : (addable[0] ?? '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (chosen) onChange({ kind: 'grant', role: chosen });
  };
  return (
    <Card title={t('accounts.account.roles')} labelledBy="account-roles">
      {account.roles.length === 0 ? (
        <p className="muted">{t('accounts.account.noRoles')}</p>
      ) : (
        <ul className="accounts-items" aria-labelledby="account-roles">
          {account.roles.map((r) => (
            <li key={r}>
              <span>{roleLabel(r, t)}</span>
              {powers.grantable.includes(r) && (
                <button
                  type="button"
                  className="button button--secondary"
                  aria-label={t('accounts.account.revokeWhich', { role: roleLabel(r, t) })}
                  onClick={() => onChange({ kind: 'revoke', role: r })}
                >
                  {t('accounts.account.revoke')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {addable.length > 0 && (
        <form className="toolbar accounts-add" onSubmit={submit}>
          <label className="field" htmlFor={selectId}>
            {t('accounts.account.grantRole')}
            <select id={selectId} value={chosen} onChange={(e) => setRole(e.target.value as PlatformRole)}>
              {addable.map((r) => (
                <option key={r} value={r}>
                  {roleLabel(r, t)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="button">
            {t('accounts.account.grant')}
          </button>
        </form>
      )}
    </Card>
  );
}

function SchoolsCard({
  account,
  powers,
  names,
  onChange,
}: {
  account: Account;
  powers: AccountPowers;
  names: ReadonlyMap<string, string>;
  onChange: (p: Pending) => void;
}) {
  const { t } = useTranslation();
  const selectId = useId();
  const addable = powers.mayBind ? [...names.keys()].filter((s) => !account.schoolIds.includes(s)) : [];
  const [school, setSchool] = useState('');
  const chosen = school && addable.includes(school) ? school : (addable[0] ?? '');
  return (
    <Card title={t('accounts.account.schools')} labelledBy="account-schools">
      {account.schoolIds.length === 0 ? (
        <p className="muted">{t('accounts.account.noSchools')}</p>
      ) : (
        <ul className="accounts-items" aria-labelledby="account-schools">
          {account.schoolIds.map((s) => (
            <li key={s}>
              <span>{schoolName(s, names)}</span>
              {powers.mayUnbind(s) && (
                <button
                  type="button"
                  className="button button--secondary"
                  aria-label={t('accounts.account.unbindWhich', { school: schoolName(s, names) })}
                  onClick={() => onChange({ kind: 'unbind', schoolId: s })}
                >
                  {t('accounts.account.unbind')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {addable.length > 0 && (
        <form
          className="toolbar accounts-add"
          onSubmit={(e) => {
            e.preventDefault();
            if (chosen) onChange({ kind: 'bind', schoolId: chosen });
          }}
        >
          <label className="field" htmlFor={selectId}>
            {t('accounts.account.bindSchool')}
            <select id={selectId} value={chosen} onChange={(e) => setSchool(e.target.value)}>
              {addable.map((s) => (
                <option key={s} value={s}>
                  {schoolName(s, names)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="button">
            {t('accounts.account.bind')}
          </button>
        </form>
      )}
    </Card>
  );
}

function AccessCard({ account, powers, onChange, children }: { account: Account; powers: AccountPowers; onChange: (p: Pending) => void; children: ReactNode }) {
  const { t } = useTranslation();
  const active = account.status === 'ACTIVE';
  return (
    <Card title={t('accounts.account.access')} labelledBy="account-access">
      <p>
        {t('accounts.account.statusNow')} <StatusBadge status={account.status} />
      </p>
      {children}
      {powers.whole && (
        <div className="toolbar">
          <button type="button" className={`button${active ? ' button--danger' : ''}`} onClick={() => onChange({ kind: 'status', enabled: !active })}>
            {active ? t('accounts.account.block') : t('accounts.account.unblock')}
          </button>
          <button type="button" className="button button--secondary" onClick={() => onChange({ kind: 'password' })}>
            {t('accounts.account.resetPassword')}
          </button>
          <button type="button" className="button button--secondary" onClick={() => onChange({ kind: 'sessions' })}>
            {t('accounts.account.endSessions')}
          </button>
        </div>
      )}
    </Card>
  );
}

/** Sessions shown at first; an account used on many devices (or by tests) can hold dozens. */
const FIRST_SESSIONS = 10;

function SessionsCard({ result, onRetry }: { result: { data?: AccountsSessionsQuery; fetching: boolean; error?: CombinedError }; onRetry: () => void }) {
  const { t } = useTranslation();
  const [all, setAll] = useState(false);
  const list = result.data?.accountSessions;
  // The latest activity first.
  const sorted = [...(list ?? [])].sort((a, b) => b.lastAccessAt.localeCompare(a.lastAccessAt));
  const shown = all ? sorted : sorted.slice(0, FIRST_SESSIONS);
  return (
    <Card title={list?.length ? t('accounts.sessions.titleCount', { count: list.length }) : t('accounts.sessions.title')} labelledBy="account-sessions">
      {result.fetching && !list && <Loading />}
      {result.error && !list && <ErrorNotice error={result.error} onRetry={onRetry} />}
      {list && list.length === 0 && <p className="muted">{t('accounts.sessions.none')}</p>}
      {shown.length > 0 && (
        <div className="table-scroll">
          <table className="table table--stack">
            <caption className="sr-only">{t('accounts.sessions.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('accounts.sessions.lastAccess')}</th>
                <th scope="col">{t('accounts.sessions.started')}</th>
                <th scope="col">{t('accounts.sessions.ip')}</th>
                <th scope="col">{t('accounts.sessions.clients')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((s) => (
                <tr key={s.id}>
                  <td data-label={t('accounts.sessions.lastAccess')}>{formatDateTime(s.lastAccessAt)}</td>
                  <td data-label={t('accounts.sessions.started')}>{formatDateTime(s.startedAt)}</td>
                  <td data-label={t('accounts.sessions.ip')}>{s.ipAddress ?? '—'}</td>
                  <td data-label={t('accounts.sessions.clients')}>{s.clients.join(', ') || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {sorted.length > FIRST_SESSIONS && (
        <button type="button" className="button button--secondary" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? t('accounts.sessions.fewer') : t('accounts.sessions.all', { count: sorted.length })}
        </button>
      )}
    </Card>
  );
}

function HistoryCard({
  result,
  names,
  onRetry,
}: {
  result: { data?: AccountsAuditQuery; fetching: boolean; error?: CombinedError };
  names: ReadonlyMap<string, string>;
  onRetry: () => void;
}) {
  const { t } = useTranslation();
  // Newest first: what changed last is what the administrator looks for.
  const entries = [...(result.data?.identityAudit ?? [])].reverse();
  return (
    <aside className="card accounts-history" aria-labelledby="account-history">
      <h2 id="account-history">{t('accounts.audit.title')}</h2>
      {result.fetching && !result.data && <Loading />}
      {result.error && !result.data && <ErrorNotice error={result.error} onRetry={onRetry} />}
      {result.data && entries.length === 0 && <p className="muted small">{t('accounts.audit.empty')}</p>}
      <ol className="accounts-history__list">
        {entries.map((e) => (
          <li key={e.id}>
            <div className="small">
              <strong>{t(`accounts.audit.actions.${e.action}`, { defaultValue: e.action })}</strong> · <time dateTime={e.at}>{formatDateTime(e.at)}</time>
            </div>
            {auditChange(e.old, e.new, t, names).map((part) => (
              <div key={part}>{part}</div>
            ))}
            <div className="muted small">{e.actor}</div>
            {e.reason && <div className="small">«{e.reason}»</div>}
          </li>
        ))}
      </ol>
    </aside>
  );
}

/** The dialog of the change being confirmed: one mutation, its own idempotency key per confirmation. */
function ChangeDialog({
  account,
  pending,
  names,
  onClose,
  onDone,
  onPassword,
}: {
  account: Account;
  pending: Pending;
  names: ReadonlyMap<string, string>;
  onClose: () => void;
  onDone: (message: string) => void;
  onPassword: (password: string) => void;
}) {
  const person = { name: account.fullName, username: account.username };
  switch (pending.kind) {
    case 'grant':
    case 'revoke':
      return <RoleDialog account={account} role={pending.role} grant={pending.kind === 'grant'} person={person} onClose={onClose} onDone={onDone} />;
    case 'bind':
    case 'unbind':
      return (
        <SchoolDialog
          account={account}
          school={pending.schoolId}
          schoolLabel={schoolName(pending.schoolId, names)}
          bind={pending.kind === 'bind'}
          person={person}
          onClose={onClose}
          onDone={onDone}
        />
      );
    case 'status':
      return <StatusDialog account={account} enabled={pending.enabled} person={person} onClose={onClose} onDone={onDone} />;
    case 'password':
      return <PasswordDialog account={account} person={person} onClose={onClose} onPassword={onPassword} />;
    case 'sessions':
      return <SessionsDialog account={account} person={person} onClose={onClose} onDone={onDone} />;
  }
}

// A type, not an interface: i18next takes it as interpolation values only with an implicit index signature.
type Person = { name: string; username: string };

interface DialogProps {
  account: Account;
  person: Person;
  onClose: () => void;
  onDone: (message: string) => void;
}

function RoleDialog({ account, role, grant, person, onClose, onDone }: DialogProps & { role: PlatformRole; grant: boolean }) {
  const { t } = useTranslation();
  const granting = useIdentityAction(AccountsGrantRoleMutation);
  const revoking = useIdentityAction(AccountsRevokeRoleMutation);
  const label = roleLabel(role, t);
  const words = { ...person, role: label };
  return grant ? (
    <ActionDialog
      title={t('accounts.dialogs.grant.title', words)}
      description={<p>{t('accounts.dialogs.grant.text', words)}</p>}
      confirmLabel={t('accounts.dialogs.grant.confirm')}
      withReason
      action={granting}
      onConfirm={(reason) => granting.run({ accountId: account.id, role, reason })}
      onDone={() => onDone(t('accounts.done.granted', words))}
      onClose={onClose}
    />
  ) : (
    <ActionDialog
      title={t('accounts.dialogs.revoke.title', words)}
      description={<p>{t('accounts.dialogs.revoke.text', words)}</p>}
      confirmLabel={t('accounts.dialogs.revoke.confirm')}
      danger
      withReason
      action={revoking}
      onConfirm={(reason) => revoking.run({ accountId: account.id, role, reason })}
      onDone={() => onDone(t('accounts.done.revoked', words))}
      onClose={onClose}
    />
  );
}

function SchoolDialog({ account, school, schoolLabel, bind, person, onClose, onDone }: DialogProps & { school: string; schoolLabel: string; bind: boolean }) {
  const { t } = useTranslation();
  const binding = useIdentityAction(AccountsBindSchoolMutation);
  const unbinding = useIdentityAction(AccountsUnbindSchoolMutation);
  const words = { ...person, school: schoolLabel };
  return bind ? (
    <ActionDialog
      title={t('accounts.dialogs.bind.title', words)}
      description={<p>{t('accounts.dialogs.bind.text', words)}</p>}
      confirmLabel={t('accounts.dialogs.bind.confirm')}
      withReason
      action={binding}
      onConfirm={(reason) => binding.run({ accountId: account.id, schoolId: school, reason })}
      onDone={() => onDone(t('accounts.done.bound', words))}
      onClose={onClose}
    />
  ) : (
    <ActionDialog
      title={t('accounts.dialogs.unbind.title', words)}
      description={<p>{t('accounts.dialogs.unbind.text', words)}</p>}
      confirmLabel={t('accounts.dialogs.unbind.confirm')}
      danger
      withReason
      action={unbinding}
      onConfirm={(reason) => unbinding.run({ accountId: account.id, schoolId: school, reason })}
      onDone={() => onDone(t('accounts.done.unbound', words))}
      onClose={onClose}
    />
  );
}

function StatusDialog({ account, enabled, person, onClose, onDone }: DialogProps & { enabled: boolean }) {
  const { t } = useTranslation();
  const action = useIdentityAction(AccountsSetEnabledMutation);
  const kind = enabled ? 'unblock' : 'block';
  return (
    <ActionDialog
      title={t(`accounts.dialogs.${kind}.title`, person)}
      description={<p>{t(`accounts.dialogs.${kind}.text`, person)}</p>}
      confirmLabel={t(`accounts.dialogs.${kind}.confirm`)}
      danger={!enabled}
      withReason
      action={action}
      onConfirm={(reason) => action.run({ accountId: account.id, enabled, reason })}
      onDone={() => onDone(t(`accounts.done.${kind}`, person))}
      onClose={onClose}
    />
  );
}

function PasswordDialog({ account, person, onClose, onPassword }: Omit<DialogProps, 'onDone'> & { onPassword: (password: string) => void }) {
  const { t } = useTranslation();
  const action = useIdentityAction(AccountsResetPasswordMutation);
  return (
    <ActionDialog
      title={t('accounts.dialogs.password.title', person)}
      description={<p>{t('accounts.dialogs.password.text', person)}</p>}
      confirmLabel={t('accounts.dialogs.password.confirm')}
      action={action}
      onConfirm={() => action.run({ accountId: account.id })}
      onDone={(data) => onPassword(data.resetAccountPassword.temporaryPassword)}
      onClose={onClose}
    />
  );
}

function SessionsDialog({ account, person, onClose, onDone }: DialogProps) {
  const { t } = useTranslation();
  const action = useIdentityAction(AccountsEndSessionsMutation);
  return (
    <ActionDialog
      title={t('accounts.dialogs.sessions.title', person)}
      description={<p>{t('accounts.dialogs.sessions.text', person)}</p>}
      confirmLabel={t('accounts.dialogs.sessions.confirm')}
      action={action}
      onConfirm={() => action.run({ accountId: account.id })}
      onDone={() => onDone(t('accounts.done.sessions', person))}
      onClose={onClose}
    />
  );
}
