import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { useSession } from '../../app/session-context';
import { hasRole } from '../../auth/session';
import { Card, ErrorNotice, Loading } from '../../ui/components';
import { CollectionPanel } from './CollectionPanel';
import { monthLabel, MonthSelect, QueryProblems } from './common';
import { Downloads } from './Downloads';
import { MonitoringTable } from './MonitoringTable';
import { DistrictMonitoringQuery } from './queries';

/** The month's operational monitoring per school, its downloads and (district-admin) a new collection. */
export function MonitoringTab({ month, onMonth, pollMs }: { month: string; onMonth: (month: string) => void; pollMs?: number }) {
  const { t } = useTranslation();
  const session = useSession();
  const [result, refetch] = useQuery({ query: DistrictMonitoringQuery, variables: { month } });
  const lines = result.data?.monitoring;
  const names = useMemo(() => new Map((lines ?? []).map((l) => [l.schoolId, l.shortName])), [lines]);
  const reload = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  const name = monthLabel(month);

  return (
    <>
      <div className="district-toolbar">
        <MonthSelect value={month} onChange={onMonth} label={t('district.month')} />
        <Downloads name="monitoring" params={{ month }} />
      </div>
      {hasRole(session, 'district-admin') && <CollectionPanel month={month} monthName={name} schoolNames={names} onFinished={reload} pollMs={pollMs} />}
      <Card title={t('district.monitoringCaption', { month: name })} labelledBy="district-monitoring">
        {result.fetching && !lines && <Loading />}
        {result.error && !lines && <ErrorNotice error={result.error} onRetry={reload} />}
        {lines && (
          <>
            <QueryProblems error={result.error} schoolNames={names} />
            <MonitoringTable lines={lines} month={name} />
          </>
        )}
      </Card>
    </>
  );
}
