import { lazy, Suspense, useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { useSession } from '../../app/session-context';
import { hasRole } from '../../auth/session';
import { Loading, Notice, PageHeader } from '../../ui/components';
import { currentMonth } from './common';
import { MonitoringTab } from './MonitoringTab';
import './district.css';

// The charts (echarts) load only when a view with charts is opened.
const TrendsTab = lazy(() => import('./TrendsTab'));
const ProgressTab = lazy(() => import('./ProgressTab'));

const TABS = ['monitoring', 'progress', 'trends'] as const;
type Tab = (typeof TABS)[number];

/** The district office's dashboard: monitoring of the month per school, progress analytics, trends and report versions. */
export default function DistrictPage() {
  const { t } = useTranslation();
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('view') ?? '') ? (params.get('view') as Tab) : 'monitoring';
  const month = /^\d{4}-\d{2}$/.test(params.get('month') ?? '') && params.get('month')! <= currentMonth() ? params.get('month')! : currentMonth();
  const tabRefs = useRef<(HTMLButtonElement | null)[]>([]);

  const update = (changes: Record<string, string>) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(changes)) next.set(k, v);
        return next;
      },
      { replace: true },
    );

  if (!hasRole(session, 'district-analyst', 'district-admin')) return <Notice kind="info">{t('errors.forbiddenHint')}</Notice>;

  // Tabs the WAI-ARIA way: arrows move between them, the panel follows.
  function onKey(e: KeyboardEvent<HTMLButtonElement>, index: number) {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    const to = e.key === 'Home' ? 0 : e.key === 'End' ? TABS.length - 1 : step ? (index + step + TABS.length) % TABS.length : -1;
    if (to < 0) return;
    e.preventDefault();
    update({ view: TABS[to]! });
    tabRefs.current[to]?.focus();
  }

  return (
    <>
      <PageHeader title={t('district.title')} />
      <p className="muted district-subtitle">{t('district.subtitle')}</p>
      <div className="district-tabs" role="tablist" aria-label={t('district.tabs.label')}>
        {TABS.map((name, i) => (
          <button
            key={name}
            ref={(el) => {
              tabRefs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`district-tab-${name}`}
            aria-controls={`district-panel-${name}`}
            aria-selected={tab === name}
            tabIndex={tab === name ? 0 : -1}
            className="district-tab"
            onClick={() => update({ view: name })}
            onKeyDown={(e) => onKey(e, i)}
          >
            {t(`district.tabs.${name}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`district-panel-${tab}`} aria-labelledby={`district-tab-${tab}`} className="district-panel">
        <Suspense fallback={<Loading />}>
          {tab === 'monitoring' && <MonitoringTab month={month} onMonth={(m) => update({ month: m })} />}
          {tab === 'progress' && <ProgressTab />}
          {tab === 'trends' && <TrendsTab month={month} />}
        </Suspense>
      </div>
    </>
  );
}
