import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router-dom';
import { useQuery } from 'urql';
import type { AccountStatus, PlatformRole } from '../../gql/graphql';
import { formatDateTime } from '../../lib/dates';
import { ErrorNotice, Loading } from '../../ui/components';
import { PLATFORM_ROLES, SCHOOL_ROLES, type AccountsAccess } from './access';
import { accountPath, StatusBadge, type AccountLinkState } from './common';
import { roleList, schoolName } from './labels';
import { AccountsSearchQuery } from './queries';

export const PAGE_SIZE = 50;
const STATUSES: AccountStatus[] = ['ACTIVE', 'DISABLED'];

/** Accounts by school, role, status and a part of the name or login; fifty to a page, by surname. */
export function AccountSearch({
  schoolId,
  access,
  names,
  params,
  onParams,
}: {
  schoolId: string;
  access: AccountsAccess;
  names: ReadonlyMap<string, string>;
  params: URLSearchParams;
  onParams: (changes: Record<string, string>) => void;
}) {
  const { t } = useTranslation();
  const location = useLocation();
  const ids = { role: useId(), status: useId(), text: useId() };
  const role = (PLATFORM_ROLES as readonly string[]).includes(params.get('role') ?? '') ? (params.get('role') as PlatformRole) : '';
  const status = (STATUSES as readonly string[]).includes(params.get('status') ?? '') ? (params.get('status') as AccountStatus) : '';
  const text = params.get('q') ?? '';
  const page = Math.max(0, Math.floor(Number(params.get('page')) || 0));
  const [draft, setDraft] = useState(text);
  const [result, refetch] = useQuery({
    query: AccountsSearchQuery,
    variables: {
      filter: { schoolId: schoolId || null, role: role || null, status: status || null, text: text || null },
      first: PAGE_SIZE,
      offset: page * PAGE_SIZE,
    },
  });
  const found = result.data?.accounts;
  const roles = access.everySchool ? PLATFORM_ROLES : SCHOOL_ROLES;
  const from = page * PAGE_SIZE + 1;
  const to = page * PAGE_SIZE + (found?.items.length ?? 0);

  return (
    <section className="card" aria-labelledby="accounts-search">
      <h2 id="accounts-search" className="sr-only">
        {t('accounts.views.search')}
      </h2>
      <form
        className="accounts-filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          onParams({ q: draft.trim(), page: '' });
        }}
      >
        <div className="field">
          <label htmlFor={ids.role}>{t('accounts.filters.role')}</label>
          <select id={ids.role} value={role} onChange={(e) => onParams({ role: e.target.value, page: '' })}>
            <option value="">{t('accounts.filters.anyRole')}</option>
            {roles.map((r) => (
              <option key={r} value={r}>
                {t(`accounts.roles.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.status}>{t('accounts.filters.status')}</label>
          <select id={ids.status} value={status} onChange={(e) => onParams({ status: e.target.value, page: '' })}>
            <option value="">{t('accounts.filters.anyStatus')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`accounts.status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field accounts-filters__text">
          <label htmlFor={ids.text}>{t('accounts.filters.text')}</label>
          <input id={ids.text} type="search" value={draft} onChange={(e) => setDraft(e.target.value)} autoComplete="off" />
        </div>
        <button type="submit" className="button">
          {t('accounts.filters.find')}
        </button>
      </form>

      {result.fetching && !found && <Loading />}
      {result.error && <ErrorNotice error={result.error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />}
      {found && found.total === 0 && <p className="muted">{t('accounts.list.empty')}</p>}
      {found && found.total > 0 && (
        <>
          <p className="small muted" role="status">
            {t('accounts.list.shown', { from, to, total: found.total })}
          </p>
          <div className="table-scroll">
            <table className="table table--stack">
              <caption className="sr-only">{t('accounts.list.caption', { total: found.total })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('accounts.columns.fullName')}</th>
                  <th scope="col">{t('accounts.columns.username')}</th>
                  <th scope="col">{t('accounts.columns.roles')}</th>
                  <th scope="col">{t('accounts.columns.schools')}</th>
                  <th scope="col">{t('accounts.columns.status')}</th>
                  <th scope="col">{t('accounts.columns.lastLogin')}</th>
                </tr>
              </thead>
              <tbody>
                {found.items.map((a) => (
                  <tr key={a.id}>
                    <th scope="row">
                      <Link to={accountPath(a.id)} state={{ search: location.search } satisfies AccountLinkState}>
                        {a.fullName}
                      </Link>
                    </th>
                    <td data-label={t('accounts.columns.username')}>{a.username}</td>
                    <td data-label={t('accounts.columns.roles')}>{roleList(a.roles, t)}</td>
                    <td data-label={t('accounts.columns.schools')}>{a.schoolIds.length ? a.schoolIds.map((s) => schoolName(s, names)).join(', ') : '—'}</td>
                    <td data-label={t('accounts.columns.status')}>
                      <StatusBadge status={a.status} />
                    </td>
                    <td data-label={t('accounts.columns.lastLogin')}>{a.lastLoginAt ? formatDateTime(a.lastLoginAt) : t('accounts.never')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {found.total > PAGE_SIZE && (
            <nav className="toolbar accounts-pager" aria-label={t('accounts.list.pages')}>
              <button
                type="button"
                className="button button--secondary"
                disabled={page === 0}
                onClick={() => onParams({ page: page > 1 ? String(page - 1) : '' })}
              >
                {t('accounts.list.previous')}
              </button>
              <span className="small">{t('accounts.list.page', { page: page + 1, pages: Math.ceil(found.total / PAGE_SIZE) })}</span>
              <button type="button" className="button button--secondary" disabled={to >= found.total} onClick={() => onParams({ page: String(page + 1) })}>
                {t('accounts.list.next')}
              </button>
            </nav>
          )}
        </>
      )}
    </section>
  );
}
