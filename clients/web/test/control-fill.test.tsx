import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Provider } from 'urql';
import { fromValue, never } from 'wonka';
import { describe, expect, it } from 'vitest';
import { SessionContext } from '../src/app/session-context';
import { sessionFromClaims } from '../src/auth/session';
import ControlPage from '../src/features/control/ControlPage';
import { periodOf, severityOf, shiftPeriod, sortRows } from '../src/features/control/fill';

const row = (
  className: string,
  yearOfStudy: number,
  subjectName: string,
  held: number,
  withoutTopic: number,
  withoutAttendance: number,
  withoutHomework: number,
  entries: number,
  lateEntries: number,
) => ({
  __typename: 'JournalFillRow',
  classGroupId: `cg-${className}`,
  className,
  yearOfStudy,
  subjectId: `sub-${subjectName}`,
  subjectName,
  heldLessons: held,
  withoutTopic,
  withoutAttendance,
  withoutHomework,
  entries,
  lateEntries,
});

const ROWS = [
  row('5А', 5, 'Математика', 6, 0, 0, 1, 40, 2),
  row('5А', 5, 'Русский язык', 6, 4, 1, 0, 30, 0),
  row('10А', 10, 'Физика', 4, 0, 0, 0, 20, 12),
  row('6Б', 6, 'История', 2, 0, 0, 0, 10, 0),
];

function renderPage(calls: Record<string, unknown>[]) {
  const client = {
    executeQuery: ({ query, variables }: { query: { definitions: { name?: { value: string } }[] }; variables: Record<string, unknown> }) => {
      if (query.definitions[0]?.name?.value === 'ControlJournalFill') {
        calls.push(variables);
        return fromValue({ data: { journalFill: ROWS }, stale: false, hasNext: false });
      }
      return fromValue({ data: { correctionRequests: [] }, stale: false, hasNext: false });
    },
    executeMutation: () => never,
    executeSubscription: () => never,
  } as never;
  const session = sessionFromClaims({ preferred_username: 's001.deputy', realm_access: { roles: ['deputy'] }, school_ids: ['s001'] });
  return render(
    <SessionContext.Provider value={session}>
      <Provider value={client}>
        <ControlPage />
      </Provider>
    </SessionContext.Provider>,
  );
}

const bodyRows = () => within(screen.getByRole('table')).getAllByRole('row').slice(1, -1);
const rowText = (r: HTMLElement) =>
  within(r)
    .getAllByRole('cell')
    .map((c) => c.textContent);

describe('the journal fill table', () => {
  it('asks for this week, lists classes in school order and highlights the worst cells', async () => {
    const calls: Record<string, unknown>[] = [];
    renderPage(calls);
    const user = userEvent.setup();
    await user.click(screen.getByRole('tab', { name: 'Заполнение журнала' }));
    await screen.findByRole('table');
    const week = periodOf('week', new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(new Date()));
    expect(calls[0]).toEqual({ schoolId: 's001', from: week.from, to: week.to });
    expect(bodyRows().map((r) => within(r).getByRole('rowheader').textContent)).toEqual(['5А', '5А', '6Б', '10А']);
    // Russian in 5А: 4 of 6 lessons without a topic → red; physics: 12 of 20 entries late → red; maths homework 1 of 6 → not highlighted.
    const russian = bodyRows()[1]!;
    expect(within(russian).getByText('(много пропусков)')).toBeTruthy();
    expect(within(russian).getAllByRole('cell')[2]!.className).toContain('control-cell--danger');
    expect(within(bodyRows()[3]!).getAllByRole('cell')[5]!.className).toContain('control-cell--danger');
    expect(within(bodyRows()[0]!).getAllByRole('cell')[4]!.className).not.toContain('control-cell');
    // Totals over the shown rows.
    const total = within(screen.getByRole('table')).getAllByRole('row').at(-1)!;
    expect(
      within(total)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['18', '422 %', '16 %', '16 %', '1414 %']);
  });

  it('sorts by a column (worst first) and filters by class', async () => {
    renderPage([]);
    const user = userEvent.setup();
    await user.click(screen.getByRole('tab', { name: 'Заполнение журнала' }));
    await screen.findByRole('table');
    await user.click(screen.getByRole('button', { name: /Поздние записи/ }));
    expect(screen.getByRole('columnheader', { name: /Поздние записи/ }).getAttribute('aria-sort')).toBe('descending');
    expect(rowText(bodyRows()[0]!)[0]).toBe('Физика');
    await user.click(screen.getByRole('button', { name: /Поздние записи/ }));
    expect(screen.getByRole('columnheader', { name: /Поздние записи/ }).getAttribute('aria-sort')).toBe('ascending');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Класс' }), '5А');
    expect(bodyRows().map((r) => rowText(r)[0])).toEqual(['Русский язык', 'Математика']);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Класс' }), '');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Параллель' }), '10');
    expect(bodyRows().map((r) => rowText(r)[0])).toEqual(['Физика']);
    expect(
      within(screen.getByRole('combobox', { name: 'Класс' }))
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Все классы', '10А']);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Параллель' }), '');
    await user.click(screen.getByRole('checkbox', { name: 'Только с замечаниями' }));
    expect(bodyRows()).toHaveLength(3);
  });

  it('switches to the month and moves between periods', async () => {
    const calls: Record<string, unknown>[] = [];
    renderPage(calls);
    const user = userEvent.setup();
    await user.click(screen.getByRole('tab', { name: 'Заполнение журнала' }));
    await screen.findByRole('table');
    await user.click(screen.getByRole('radio', { name: 'Месяц' }));
    await user.click(screen.getByRole('button', { name: 'Предыдущий период' }));
    const previous = shiftPeriod(periodOf('month', new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(new Date())), -1);
    expect(calls.at(-1)).toEqual({ schoolId: 's001', from: previous.from, to: previous.to });
    expect(previous.from.endsWith('-01')).toBe(true);
  });
});

describe('fill rules', () => {
  it('months and weeks have the right bounds', () => {
    expect(periodOf('month', '2026-02-14')).toEqual({ kind: 'month', from: '2026-02-01', to: '2026-02-28' });
    expect(periodOf('week', '2026-12-02')).toEqual({ kind: 'week', from: '2026-11-30', to: '2026-12-06' });
    expect(shiftPeriod(periodOf('month', '2026-01-10'), -1)).toEqual({ kind: 'month', from: '2025-12-01', to: '2025-12-31' });
  });

  it('grades a cell by its share, and a single miss is at most yellow', () => {
    const r = { ...ROWS[0]!, heldLessons: 1, withoutTopic: 1 };
    expect(severityOf(r, 'withoutTopic')).toBe('warning');
    expect(severityOf(ROWS[1]!, 'withoutTopic')).toBe('danger');
    expect(severityOf(ROWS[0]!, 'withoutHomework')).toBeUndefined();
    expect(sortRows(ROWS, 'withoutTopic', 'desc')[0]!.subjectName).toBe('Русский язык');
  });
});
