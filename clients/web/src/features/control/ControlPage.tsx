import { useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session-context';
import { hasRole } from '../../auth/session';
import { Notice, PageHeader } from '../../ui/components';
import { AuditSection } from './AuditSection';
import { CorrectionsSection } from './CorrectionsSection';
import { FillSection } from './FillSection';
import { TermsSection } from './TermsSection';
import './control.css';

const TABS = ['corrections', 'fill', 'terms', 'audit'] as const;
type Tab = (typeof TABS)[number];

/** School-wide control of the journal for the school's deputies and director. */
export default function ControlPage() {
  const { t } = useTranslation();
  const session = useSession();
  const [tab, setTab] = useState<Tab>('corrections');
  const tabRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const schoolId = session.schoolIds[0];

  if (!hasRole(session, 'deputy', 'school-admin')) return <Notice kind="info">{t('control.forbidden')}</Notice>;
  if (!schoolId) return <Notice kind="warning">{t('control.noSchool')}</Notice>;

  // Tabs as WAI-ARIA describes them: arrows move between tabs, Home/End jump to the ends.
  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const next = e.key === 'ArrowRight' ? index + 1 : e.key === 'ArrowLeft' ? index - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? TABS.length - 1 : undefined;
    if (next === undefined) return;
    e.preventDefault();
    const target = (next + TABS.length) % TABS.length;
    setTab(TABS[target]!);
    tabRefs.current[target]?.focus();
  };

  return (
    <>
      <PageHeader title={t('control.title')}>
        <span className="muted">{t('control.school', { school: schoolId })}</span>
      </PageHeader>
      <div className="control-tabs" role="tablist" aria-label={t('control.sections')}>
        {TABS.map((key, i) => (
          <button
            key={key}
            ref={(el) => {
              tabRefs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`control-tab-${key}`}
            aria-selected={tab === key}
            aria-controls={`control-panel-${key}`}
            tabIndex={tab === key ? 0 : -1}
            className="control-tab"
            onClick={() => setTab(key)}
            onKeyDown={(e) => onKeyDown(e, i)}
          >
            {t(`control.tabs.${key}`)}
          </button>
        ))}
      </div>
      <div className="card control-panel" role="tabpanel" id={`control-panel-${tab}`} aria-labelledby={`control-tab-${tab}`}>
        {tab === 'corrections' && <CorrectionsSection schoolId={schoolId} />}
        {tab === 'fill' && <FillSection schoolId={schoolId} />}
        {tab === 'terms' && <TermsSection schoolId={schoolId} />}
        {tab === 'audit' && <AuditSection schoolId={schoolId} />}
      </div>
    </>
  );
}
