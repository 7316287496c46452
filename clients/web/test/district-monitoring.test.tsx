import { render, screen, within } from '@testing-library/react';
import { CombinedError } from '@urql/core';
import { GraphQLError } from 'graphql';
import { Provider } from 'urql';
import { concat, fromValue, never } from 'wonka';
import { describe, expect, it, vi } from 'vitest';
import { SessionContext } from '../src/app/session-context';
import { sessionFromClaims } from '../src/auth/session';
import { MonitoringTab } from '../src/features/district/MonitoringTab';

const figures = (over: Record<string, number | null> = {}) => ({
  __typename: 'CollectedFigures',
  heldLessons: 120,
  lessonsWithTopic: 100,
  shareWithTopic: 0.8333,
  lessonsWithAttendanceTaken: 90,
  shareWithAttendanceTaken: 0.75,
  marksEntered: 200,
  marksSameDay: 150,
  shareMarksSameDay: 0.75,
  absencesEntered: 40,
  absencesSameDay: 30,
  shareAbsencesSameDay: 0.75,
  lessonsWithHomework: 80,
  homeworkWithinHour: 60,
  shareHomeworkWithinHour: 0.75,
  medianEntryDelayMinutes: 35,
  correctionsAfterWindow: 3,
  correctionsApproved: 2,
  activeMarks: 190,
  studentSubjectPairs: 100,
  marksPerStudentPerSubject: 1.9,
  numericMarks: 180,
  averageMark: 4.12,
  markQualityShare: 0.7222,
  markSuccessShare: 0.95,
  students: 50,
  guardians: 70,
  studentsOpenedDiary: 25,
  shareStudentsOpenedDiary: 0.5,
  parentsOpenedDiary: 35,
  shareParentsOpenedDiary: 0.5,
  ...over,
});

const line = (schoolId: string, shortName: string, extra: Record<string, unknown> = {}) => ({
  __typename: 'SchoolMonitoring',
  schoolId,
  shortName,
  schoolStatus: 'LIVE',
  state: 'CURRENT',
  collectedAt: '2026-11-30T00:00:00Z',
  lastAttemptAt: '2026-11-30T00:00:00Z',
  lastError: null,
  figures: figures(),
  ...extra,
});

const LINES = [
  line('s001', 'Школа № 1'),
  line('s002', 'Школа № 2', {
    state: 'STALE',
    collectedAt: '2026-11-20T00:05:00Z',
    lastAttemptAt: '2026-11-30T00:00:00Z',
    lastError: 'SCHOOL_UNAVAILABLE: Школа s002 недоступна',
    figures: figures({ heldLessons: 80, lessonsWithTopic: 40, shareWithTopic: 0.5 }),
  }),
  line('s003', 'Школа № 3', { schoolStatus: 'PILOT' }),
];

/** A client answering the monitoring query from fixtures (the API is tested in services/monitoring and end to end). */
function client(answer: { data: unknown; error?: CombinedError }) {
  const calls: string[] = [];
  return {
    calls,
    executeQuery: ({ query }: { query: { definitions: { name?: { value: string } }[] } }) => {
      const name = query.definitions.find((d) => d.name)?.name?.value ?? '';
      calls.push(name);
      // Like the real client, the source stays open after its answer (a completed source would clear the error).
      if (name === 'DistrictMonitoring') return concat([fromValue({ ...answer, stale: false, hasNext: false }), never]);
      if (name === 'DistrictLatestRun') return fromValue({ data: { monitoringCollectionRuns: [] }, stale: false, hasNext: false });
      return never;
    },
    executeMutation: () => never,
    executeSubscription: () => never,
  };
}

function renderAs(roles: string[], api: ReturnType<typeof client>) {
  const session = sessionFromClaims({ preferred_username: 'analyst', realm_access: { roles } });
  return render(
    <SessionContext.Provider value={session}>
      <Provider value={api as never}>
        <MonitoringTab month="2026-11" onMonth={() => undefined} />
      </Provider>
    </SessionContext.Provider>,
  );
}

describe('the month’s monitoring per school', () => {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);

  it('shows every school’s figures, marks the stale school with its error and last good collection, and totals the district from numerators', async () => {
    renderAs(['district-analyst'], client({ data: { monitoring: LINES } }));
    const table = await screen.findByRole('table');
    const rows = within(table).getAllByRole('row');
    // header, three schools, the district's total
    expect(rows).toHaveLength(5);

    const s001 = within(table).getByRole('row', { name: /Школа № 1/ });
    expect(within(s001).getByText('собрано')).toBeTruthy();
    expect(within(s001).getByText('83,3 %')).toBeTruthy();
    expect(within(s001).getByText('4,12')).toBeTruthy();

    const s002 = within(table).getByRole('row', { name: /Школа № 2/ });
    expect(s002.className).toContain('district-row--stale');
    expect(within(s002).getByText('данные устарели')).toBeTruthy();
    // its last good figures are still shown
    const cells = (row: HTMLElement) =>
      within(row)
        .getAllByRole('cell')
        .map((c) => c.textContent);
    expect(cells(s002)[0]).toBe('80');
    expect(cells(s002)[1]).toBe('50,0 %');
    expect(within(s002).getByText(/собрано 20 нояб\., 03:05/)).toBeTruthy();

    const warning = screen.getByText('Данные некоторых школ не обновлены').closest('[role="status"]') as HTMLElement;
    expect(warning.textContent).toContain('Школа № 2 (s002)');
    expect(warning.textContent).toContain('SCHOOL_UNAVAILABLE: Школа s002 недоступна');
    expect(warning.textContent).toContain('Показаны данные последнего успешного сбора: 20 нояб., 03:05');
    expect(warning.textContent).not.toContain('Школа № 1');

    // District: (100 + 40 + 100) / (120 + 80 + 120) = 75 % with a topic, not the mean of the shares (72,2 %)
    const total = within(table).getByRole('row', { name: /Район: 3 шк\./ });
    expect(cells(total)[0]).toBe('320');
    expect(cells(total)[1]).toBe('75,0 %');
    // a median cannot be totalled from the schools' medians
    expect(cells(total)[6]).toBe('—');
  });

  it('a school that did not answer is named and the others’ data is still shown', async () => {
    const error = new CombinedError({
      graphQLErrors: [new GraphQLError('Школа s002 недоступна', { extensions: { code: 'SCHOOL_UNAVAILABLE', schoolId: 's002' } })],
    });
    renderAs(['district-analyst'], client({ data: { monitoring: LINES }, error }));
    expect(await screen.findByText('Не ответила школа Школа № 2 (s002) — показаны данные остальных школ. Повторите позже.')).toBeTruthy();
    expect(screen.getByRole('row', { name: /Школа № 1/ })).toBeTruthy();
    expect(screen.getByRole('row', { name: /Школа № 3/ })).toBeTruthy();
  });

  it('an analyst has the downloads but no collection button (only district-admin collects)', async () => {
    renderAs(['district-analyst'], client({ data: { monitoring: LINES } }));
    await screen.findByRole('table');
    expect(screen.getByRole('button', { name: 'Excel (XLSX)' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Собрать данные/ })).toBeNull();
  });

  it('a download that fails says so', async () => {
    const fetchMock = vi.fn(
      async () => new Response(JSON.stringify({ errors: [{ message: 'Недостаточно прав', extensions: { code: 'FORBIDDEN' } }] }), { status: 403 }),
    );
    vi.stubGlobal('fetch', fetchMock);
    try {
      renderAs(['district-analyst'], client({ data: { monitoring: LINES } }));
      screen.getByRole('button', { name: 'Excel (XLSX)' }).click();
      expect(await screen.findByText(/Не удалось скачать файл: Недостаточно прав/)).toBeTruthy();
      expect(fetchMock).toHaveBeenCalledWith('/exports/monitoring.xlsx?month=2026-11', expect.anything());
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
