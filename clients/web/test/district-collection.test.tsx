import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Provider } from 'urql';
import { concat, fromValue, never } from 'wonka';
import { describe, expect, it, vi } from 'vitest';
import { CollectionPanel } from '../src/features/district/CollectionPanel';

const run = (state: string, processed: number, extra: Record<string, unknown> = {}) => ({
  __typename: 'MonitoringCollectionRun',
  id: 'run-1',
  state,
  month: '2026-11',
  requestedBy: 'district.admin',
  startedAt: '2026-12-02T09:00:00Z',
  finishedAt: null,
  total: 3,
  processed,
  reportVersion: null,
  error: null,
  errorCode: null,
  schools: [],
  ...extra,
});

const FINISHED = run('PARTIAL', 3, {
  finishedAt: '2026-12-02T09:00:40Z',
  reportVersion: 2,
  error: 'Не ответили: s002',
  schools: [
    { __typename: 'SchoolCollectionOutcome', schoolId: 's001', state: 'CURRENT', attempts: 1, error: null },
    { __typename: 'SchoolCollectionOutcome', schoolId: 's002', state: 'STALE', attempts: 2, error: 'SCHOOL_UNAVAILABLE: Школа s002 недоступна' },
    { __typename: 'SchoolCollectionOutcome', schoolId: 's003', state: 'CURRENT', attempts: 1, error: null },
  ],
});

const opName = (query: { definitions: { name?: { value: string } }[] }) => query.definitions.find((d) => d.name)?.name?.value ?? '';
const answer = (data: unknown) => concat([fromValue({ data, stale: false, hasNext: false }), never]);

/** The run as the server reports it on each poll: started, one school in, still one, then finished with one school stale. */
function client() {
  const polls = [run('RUNNING', 1), run('RUNNING', 1), FINISHED];
  let poll = 0;
  const mutations: unknown[] = [];
  return {
    mutations,
    polls: () => poll,
    executeQuery: ({ query }: { query: never }) => {
      const name = opName(query);
      if (name === 'DistrictLatestRun') return answer({ monitoringCollectionRuns: [] });
      if (name === 'DistrictCollectionRun') return answer({ monitoringCollectionRun: polls[Math.min(poll++, polls.length - 1)] });
      return never;
    },
    executeMutation: ({ query, variables }: { query: never; variables: unknown }) => {
      mutations.push({ name: opName(query), variables });
      return answer({
        collectMonitoring: { __typename: 'MonitoringCollectionRun', id: 'run-1', state: 'RUNNING', month: '2026-11', total: null, processed: 0 },
      });
    },
    executeSubscription: () => never,
  };
}

describe('a district admin collects a month', () => {
  it('starts the run, follows it by polling, and shows each school’s outcome when it has finished', async () => {
    const api = client();
    const onFinished = vi.fn();
    render(
      <Provider value={api as never}>
        <CollectionPanel
          month="2026-11"
          monthName="Ноябрь 2026"
          schoolNames={
            new Map([
              ['s001', 'Школа № 1'],
              ['s002', 'Школа № 2'],
              ['s003', 'Школа № 3'],
            ])
          }
          onFinished={onFinished}
          pollMs={150}
        />
      </Provider>,
    );
    const start = screen.getByRole('button', { name: 'Собрать данные за Ноябрь 2026' });
    await userEvent.click(start);
    expect(api.mutations).toEqual([{ name: 'DistrictCollect', variables: { month: '2026-11' } }]);

    // While it runs: how many schools are in, and no second run can be started.
    expect(await screen.findByText('Опрошено школ: 1 из 3')).toBeTruthy();
    expect(screen.getByRole('progressbar')).toBeTruthy();
    expect(screen.getByText('идёт сбор')).toBeTruthy();
    expect((screen.getByRole('button', { name: /Собрать данные/ }) as HTMLButtonElement).disabled).toBe(true);

    // Finished: the outcome per school (state, attempts, error) and the report version.
    const outcome = await screen.findByRole('table', {}, { timeout: 3000 });
    expect(screen.getByText('часть школ не ответила')).toBeTruthy();
    const s002 = within(outcome).getByRole('row', { name: /Школа № 2 \(s002\)/ });
    expect(within(s002).getByText('данные устарели')).toBeTruthy();
    expect(within(s002).getByText('2')).toBeTruthy();
    expect(within(s002).getByText('SCHOOL_UNAVAILABLE: Школа s002 недоступна')).toBeTruthy();
    expect(within(within(outcome).getByRole('row', { name: /Школа № 1/ })).getByText('собрано')).toBeTruthy();
    expect(screen.getByText('Отчёт за месяц: версия 2.')).toBeTruthy();
    expect(screen.queryByRole('progressbar')).toBeNull();

    // The table of the month is reloaded once, polling stops, and a new collection may be started.
    expect(onFinished).toHaveBeenCalledTimes(1);
    const polled = api.polls();
    await new Promise((r) => setTimeout(r, 400));
    expect(api.polls()).toBe(polled);
    expect((screen.getByRole('button', { name: /Собрать данные/ }) as HTMLButtonElement).disabled).toBe(false);
  });
});
