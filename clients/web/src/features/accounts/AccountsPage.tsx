import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { useSession } from '../../app/session-context';
import { ErrorNotice, Notice, PageHeader, TabPanel, Tabs } from '../../ui/components';
import { accountsAccess } from './access';
import { AccountSearch } from './AccountSearch';
import { DriftPanel } from './DriftPanel';
import { schoolName } from './labels';
import { AccountsSchoolsQuery } from './queries';
import { RunPanel } from './RunPanel';
import { SchoolSelect } from './SchoolSelect';
import './accounts.css';

const VIEWS = ['search', 'provision', 'drift'] as const;
type View = (typeof VIEWS)[number];

/**
 * Single sign-on accounts for district IT (every school) and a school's
 * director (their own): search, a school's provisioning and its drift. The
 * school, the view and the search live in the address, so «back» from an
 * account returns to the same list.
 */
export default function AccountsPage() {
  const { t } = useTranslation();
  const session = useSession();
  const access = accountsAccess(session);
  const [params, setParams] = useSearchParams();
  const [schools, refetchSchools] = useQuery({ query: AccountsSchoolsQuery, pause: !access });
  const names = useMemo(() => new Map((schools.data?.schools ?? []).map((s) => [s.id, s.shortName])), [schools.data]);

  if (!access) return <Notice kind="info">{t('accounts.forbidden')}</Notice>;

  const view: View = (VIEWS as readonly string[]).includes(params.get('view') ?? '') ? (params.get('view') as View) : 'search';
  const requested = params.get('school') ?? '';
  // District IT may look across every school (''); a director always works in one of their own.
  const school = access.everySchool ? requested : access.ownSchools.includes(requested) ? requested : access.ownSchools[0]!;
  const choices = access.everySchool ? [...names.keys()].sort() : access.ownSchools;
  const update = (changes: Record<string, string>) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(changes)) {
          if (v) next.set(k, v);
          else next.delete(k);
        }
        return next;
      },
      { replace: true },
    );

  const needSchool = <Notice kind="info">{t('accounts.chooseSchool')}</Notice>;
  return (
    <>
      <PageHeader title={t('accounts.title')}>
        {choices.length > 1 || access.everySchool ? (
          <SchoolSelect value={school} choices={choices} names={names} allowAll={access.everySchool} onChange={(s) => update({ school: s, page: '' })} />
        ) : (
          <span className="muted">{t('accounts.school', { school: schoolName(school, names) })}</span>
        )}
      </PageHeader>
      {schools.error && access.everySchool && <ErrorNotice error={schools.error} onRetry={() => refetchSchools({ requestPolicy: 'network-only' })} />}
      <Tabs
        idPrefix="accounts"
        label={t('accounts.views.label')}
        tabs={VIEWS.map((key) => ({ key, label: t(`accounts.views.${key}`) }))}
        selected={view}
        onSelect={(key) => update({ view: key === 'search' ? '' : key })}
      />
      <TabPanel idPrefix="accounts" selected={view}>
        {view === 'search' && <AccountSearch key={school} schoolId={school} access={access} names={names} params={params} onParams={update} />}
        {view === 'provision' &&
          (school ? (
            <section className="card" aria-labelledby="accounts-provision">
              <h2 id="accounts-provision">{t('accounts.provision.title', { school: schoolName(school, names) })}</h2>
              <p className="muted">{t('accounts.provision.explain')}</p>
              <RunPanel key={school} mode="PROVISION" schoolId={school} schoolLabel={schoolName(school, names)} />
            </section>
          ) : (
            needSchool
          ))}
        {view === 'drift' && (school ? <DriftPanel key={school} schoolId={school} schoolLabel={schoolName(school, names)} access={access} /> : needSchool)}
      </TabPanel>
    </>
  );
}
