import { render, screen, within, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Provider } from 'urql';
import { fromValue, never } from 'wonka';
import { GraphQLError } from 'graphql';
import { CombinedError } from '@urql/core';
import { describe, expect, it } from 'vitest';
import { SessionContext } from '../src/app/session-context';
import { sessionFromClaims } from '../src/auth/session';
import ControlPage from '../src/features/control/ControlPage';

const request = (id: string, status = 'PENDING', version = 1) => ({
  __typename: 'CorrectionRequest',
  id,
  target: 'MARK',
  targetId: `mark-${id}`,
  action: 'EDIT',
  proposed: JSON.stringify({ value: '4', controlForm: null, comment: null }),
  reason: 'Ошибка при вводе: ученик отвечал на 4',
  status,
  requestedAt: '2026-11-27T09:30:00.000Z',
  decidedAt: status === 'PENDING' ? null : '2026-11-28T10:00:00.000Z',
  decisionComment: null,
  version,
  entry: {
    __typename: 'CorrectionEntry',
    student: { __typename: 'Student', id: 'st1', fullName: 'Смирнов Алексей Петрович' },
    lessonDate: '2026-11-16',
    subjectName: 'Математика',
    className: '5А',
    currentValue: status === 'APPROVED' ? '4' : '3',
    currentStatus: 'ACTIVE',
    requestedBy: 'Петров Иван Сергеевич',
  },
});

const history = [
  {
    __typename: 'AuditEvent',
    id: '11',
    at: '2026-11-16T12:00:00.000Z',
    actor: 'Петров Иван Сергеевич',
    action: 'ENTER',
    old: null,
    new: JSON.stringify({ value: '3', status: 'ACTIVE' }),
    reason: null,
  },
];

const requestHistory = (id: string) => [
  {
    __typename: 'AuditEvent',
    id: '20',
    at: '2026-11-27T09:30:00.000Z',
    actor: 's001.teacher',
    action: 'REQUEST',
    old: null,
    new: JSON.stringify({ target: 'MARK', targetId: 7, action: 'EDIT', proposed: { value: '4', controlForm: null, comment: null } }),
    reason: `Ошибка (${id})`,
  },
];

interface Api {
  calls: { name: string; variables: Record<string, unknown> }[];
  pending: ReturnType<typeof request>[];
  decide: (variables: Record<string, unknown>) => { data?: unknown; error?: CombinedError };
}

/** Answers the control page's documents from fixtures; the API itself is tested in the journal and end to end. */
function fakeClient(api: Api) {
  const name = (query: { definitions: { name?: { value: string } }[] }) => query.definitions[0]?.name?.value ?? '';
  return {
    executeQuery: ({ query, variables }: { query: never; variables: Record<string, unknown> }) => {
      const op = name(query);
      api.calls.push({ name: op, variables });
      if (op === 'ControlCorrections')
        return fromValue({ data: { correctionRequests: variables.status === 'PENDING' ? api.pending : [] }, stale: false, hasNext: false });
      if (op === 'ControlEntryHistory')
        return fromValue({ data: { entryHistory: history, requestHistory: requestHistory(variables.requestId as string) }, stale: false, hasNext: false });
      return never;
    },
    executeMutation: ({ query, variables }: { query: never; variables: Record<string, unknown> }) => {
      api.calls.push({ name: name(query), variables });
      return fromValue({ ...api.decide(variables), stale: false, hasNext: false });
    },
    executeSubscription: () => never,
  } as never;
}

function renderAs(roles: string[], api: Api) {
  const session = sessionFromClaims({ preferred_username: 's001.deputy', realm_access: { roles }, school_ids: ['s001'] });
  return render(
    <SessionContext.Provider value={session}>
      <Provider value={fakeClient(api)}>
        <ControlPage />
      </Provider>
    </SessionContext.Provider>,
  );
}

describe('correction requests', () => {
  it('shows each request with the entry, the proposal and the entry’s history', async () => {
    const api: Api = { calls: [], pending: [request('c1')], decide: () => ({}) };
    renderAs(['deputy'], api);
    const card = await screen.findByRole('article', { name: /Смирнов Алексей Петрович/ });
    expect(within(card).getByText(/5А · Математика · урок 16\.11/)).toBeTruthy();
    expect(within(card).getByText('Ошибка при вводе: ученик отвечал на 4')).toBeTruthy();
    expect(within(card).getByText(/Запросил\(а\) Петров Иван Сергеевич/)).toBeTruthy();
    const historyBox = within(card).getByRole('complementary', { name: 'История записи' });
    // The entry's own history, then the request's: asked for 3 → 4 with the reason.
    const items = within(historyBox)
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(items[0]).toMatch(/^Внесено · .*3Петров Иван Сергеевич$/);
    expect(items[1]).toMatch(/^Запрошено исправление · .*→ 4s001\.teacher«Ошибка \(c1\)»$/);
    expect(api.calls.find((c) => c.name === 'ControlEntryHistory')?.variables).toEqual({ id: 'mark-c1', requestId: 'c1' });
  });

  it('approves with the request’s version and comment, shows the outcome and refreshes the list', async () => {
    const api: Api = {
      calls: [],
      pending: [request('c1'), request('c2')],
      decide: (v) => {
        api.pending = api.pending.filter((r) => r.id !== v.id);
        return {
          data: {
            decideCorrection: {
              __typename: 'CorrectionRequest',
              id: v.id,
              status: 'APPROVED',
              version: 2,
              decidedAt: '2026-12-02T09:00:00.000Z',
              decisionComment: v.comment,
            },
          },
        };
      },
    };
    renderAs(['deputy'], api);
    const user = userEvent.setup();
    const cards = await screen.findAllByRole('article');
    expect(cards).toHaveLength(2);
    // Newest first: c2 is listed first; decide c1 (the second card).
    const card = cards[1]!;
    await user.type(within(card).getByRole('textbox'), 'Согласовано');
    await user.click(within(card).getByRole('button', { name: 'Утвердить' }));
    expect(api.calls.find((c) => c.name === 'ControlDecideCorrection')?.variables).toEqual({ id: 'c1', version: 1, approve: true, comment: 'Согласовано' });
    expect(await screen.findByText('Исправление утверждено и внесено в журнал: Смирнов Алексей Петрович, Математика — теперь «4».')).toBeTruthy();
    await waitFor(() => expect(screen.getAllByRole('article')).toHaveLength(1));
    expect(api.calls.filter((c) => c.name === 'ControlCorrections').length).toBeGreaterThan(1);
  });

  it('rejects without a comment', async () => {
    const api: Api = {
      calls: [],
      pending: [request('c1')],
      decide: (v) => ({
        data: { decideCorrection: { __typename: 'CorrectionRequest', id: v.id, status: 'REJECTED', version: 2, decidedAt: null, decisionComment: null } },
      }),
    };
    renderAs(['school-admin'], api);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Отклонить' }));
    expect(api.calls.find((c) => c.name === 'ControlDecideCorrection')?.variables).toEqual({ id: 'c1', version: 1, approve: false, comment: null });
    expect(await screen.findByText('Запрос отклонён, запись осталась прежней.')).toBeTruthy();
  });

  it('shows a CONFLICT (someone decided first) in Russian and reloads the list', async () => {
    const api: Api = {
      calls: [],
      pending: [request('c1')],
      decide: () => {
        api.pending = [];
        return {
          error: new CombinedError({
            graphQLErrors: [new GraphQLError('Решение по запросу уже принято', { extensions: { code: 'CONFLICT', current: { status: 'APPROVED' } } })],
          }),
        };
      },
    };
    renderAs(['deputy'], api);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Утвердить' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Решение по запросу уже принято');
    expect(screen.getByText('По этому запросу уже принято решение или он изменён — список обновлён.')).toBeTruthy();
    expect(await screen.findByText('Запросов, ожидающих решения, нет.')).toBeTruthy();
  });

  it('is not shown to a teacher', () => {
    renderAs(['teacher'], { calls: [], pending: [], decide: () => ({}) });
    expect(screen.getByText(/Раздел контроля доступен заместителю директора и директору школы/)).toBeTruthy();
  });
});
