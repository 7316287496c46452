import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { Provider } from 'urql';
import { concat, fromValue, never } from 'wonka';
import { GraphQLError } from 'graphql';
import { CombinedError } from '@urql/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SessionContext } from '../src/app/session-context';
import { sessionFromClaims } from '../src/auth/session';
import AccountPage from '../src/features/accounts/AccountPage';
import AccountsPage from '../src/features/accounts/AccountsPage';

const account = (over: Record<string, unknown> = {}) => ({
  __typename: 'Account',
  id: 'kc-teacher',
  username: 's001.teacher',
  lastName: 'Петров',
  firstName: 'Иван',
  fullName: 'Петров Иван',
  email: null,
  personId: 'p-1',
  status: 'ACTIVE',
  roles: ['TEACHER'],
  schoolIds: ['s001'],
  createdAt: '2026-09-01T06:00:00.000Z',
  lastLoginAt: '2026-12-07T06:15:00.000Z',
  syncedAt: '2026-12-07T09:00:00.000Z',
  ...over,
});
const SCHOOLS = [
  { __typename: 'School', id: 's001', shortName: 'Школа № 1' },
  { __typename: 'School', id: 's002', shortName: 'Гимназия № 2' },
];

type Handler = (variables: Record<string, any>) => { data?: unknown; error?: CombinedError };
interface Call {
  name: string;
  variables: Record<string, any>;
}

const opName = (query: { definitions: { name?: { value: string } }[] }) => query.definitions.find((d) => d.name)?.name?.value ?? '';

/** Answers the section's documents from handlers by operation name; the API itself is tested in identity and end to end. */
function fakeClient(handlers: Record<string, Handler>) {
  const calls: Call[] = [];
  const answer = (name: string, variables: Record<string, any>) => {
    calls.push({ name, variables });
    const handler = handlers[name];
    return handler ? concat([fromValue({ ...handler(variables), stale: false, hasNext: false }), never]) : never;
  };
  return {
    calls,
    named: (name: string) => calls.filter((c) => c.name === name),
    executeQuery: ({ query, variables }: { query: any; variables: Record<string, any> }) => answer(opName(query), variables),
    executeMutation: ({ query, variables }: { query: any; variables: Record<string, any> }) => answer(opName(query), variables),
    executeSubscription: () => never,
  };
}

function renderAt(path: string, username: string, roles: string[], schools: string[], client: ReturnType<typeof fakeClient>) {
  const session = sessionFromClaims({ preferred_username: username, realm_access: { roles }, ...(schools.length ? { school_ids: schools } : {}) });
  return render(
    <SessionContext.Provider value={session}>
      <Provider value={client as any}>
        <MemoryRouter initialEntries={[path]}>
          <Routes>
            <Route path="/accounts" element={<AccountsPage />} />
            <Route path="/accounts/:id" element={<AccountPage />} />
          </Routes>
        </MemoryRouter>
      </Provider>
    </SessionContext.Provider>,
  );
}

const unavailable = () =>
  new CombinedError({
    graphQLErrors: [
      new GraphQLError('Служба единого входа (Keycloak) сейчас недоступна; повторите действие с тем же ключом', {
        extensions: { code: 'IDENTITY_UNAVAILABLE', retryable: true },
      }),
    ],
  });

const optionLabels = (select: HTMLElement) =>
  within(select)
    .getAllByRole('option')
    .map((o) => o.textContent);

afterEach(() => vi.restoreAllMocks());

describe('the accounts list', () => {
  it('a director searches their own school: fixed school, school roles only, the table in Russian', async () => {
    const client = fakeClient({
      AccountsSchools: () => ({ data: { schools: [SCHOOLS[0]] } }),
      AccountsSearch: () => ({
        data: {
          accounts: {
            __typename: 'AccountPage',
            total: 2,
            items: [
              account(),
              account({
                id: 'kc-deputy',
                username: 's001.deputy',
                fullName: 'Морозова Ольга',
                roles: ['DEPUTY', 'TEACHER'],
                status: 'DISABLED',
                lastLoginAt: null,
              }),
            ],
          },
        },
      }),
    });
    renderAt('/accounts', 's001.director', ['school-admin'], ['s001'], client);
    const table = await screen.findByRole('table', { name: 'Учётные записи, найдено: 2' });
    expect(screen.getByText('Школа: Школа № 1 (s001)')).toBeTruthy();
    expect(screen.queryByRole('combobox', { name: 'Школа' })).toBeNull();
    expect(optionLabels(screen.getByRole('combobox', { name: 'Роль' }))).toEqual(['Любая роль', 'учитель', 'завуч', 'директор', 'обучающийся', 'родитель']);
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent));
    expect(rows).toEqual([
      ['Петров Иван', 's001.teacher', 'учитель', 'Школа № 1 (s001)', 'активна', '07.12.2026, 09:15'],
      ['Морозова Ольга', 's001.deputy', 'завуч, учитель', 'Школа № 1 (s001)', 'заблокирована', 'не входил(а)'],
    ]);
    expect(within(table).getByRole('link', { name: 'Петров Иван' }).getAttribute('href')).toBe('/accounts/kc-teacher');
    expect(client.named('AccountsSearch')[0]!.variables).toEqual({
      filter: { schoolId: 's001', role: null, status: null, text: null },
      first: 50,
      offset: 0,
    });

    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Роль' }), 'завуч');
    await userEvent.type(screen.getByRole('searchbox', { name: 'ФИО или логин' }), 'Морозова');
    await userEvent.click(screen.getByRole('button', { name: 'Найти' }));
    await waitFor(() =>
      expect(client.named('AccountsSearch').at(-1)!.variables.filter).toEqual({ schoolId: 's001', role: 'DEPUTY', status: null, text: 'Морозова' }),
    );
  });

  it('district IT chooses a school from the registry; every role can be searched', async () => {
    const client = fakeClient({
      AccountsSchools: () => ({ data: { schools: SCHOOLS } }),
      AccountsSearch: (v) => ({
        data: {
          accounts: {
            __typename: 'AccountPage',
            total: 1,
            items: [
              v.filter.schoolId === 's002'
                ? account({ id: 'kc-s002', username: 's002.teacher', fullName: 'Иванова Мария', schoolIds: ['s002'] })
                : account({ id: 'kc-sso', username: 'sso.admin', fullName: 'Егоров Максим', roles: ['SSO_ADMIN'], schoolIds: [] }),
            ],
          },
        },
      }),
    });
    renderAt('/accounts', 'sso.admin', ['sso-admin'], [], client);
    const school = await screen.findByRole('combobox', { name: 'Школа' });
    await waitFor(() => expect(optionLabels(school)).toEqual(['Все школы', 'Школа № 1 (s001)', 'Гимназия № 2 (s002)']));
    expect(optionLabels(screen.getByRole('combobox', { name: 'Роль' }))).toHaveLength(11);
    expect(await screen.findByRole('link', { name: 'Егоров Максим' })).toBeTruthy();
    expect(screen.getByRole('row', { name: /Егоров Максим/ }).textContent).toContain('администратор единого входа');

    await userEvent.selectOptions(school, 's002');
    expect(await screen.findByRole('link', { name: 'Иванова Мария' })).toBeTruthy();
    expect(client.named('AccountsSearch').at(-1)!.variables.filter.schoolId).toBe('s002');
  });

  it('is not shown to a teacher or a district admin', () => {
    for (const roles of [['teacher'], ['district-admin']]) {
      const client = fakeClient({});
      const { unmount } = renderAt('/accounts', 'x', roles, ['s001'], client);
      expect(screen.getByText('Раздел учётных записей доступен администратору единого входа района и директору школы.')).toBeTruthy();
      expect(client.calls).toEqual([]);
      unmount();
    }
  });
});

describe('an account', () => {
  /** The account page's reads answer `state.account` as it is at the time; a mutation's handler may change it. */
  const pageClient = (handlers: Record<string, Handler> = {}, state = { account: account() }) =>
    fakeClient({
      AccountsSchools: () => ({ data: { schools: SCHOOLS } }),
      AccountsAccount: () => ({ data: { account: state.account } }),
      AccountsSessions: () => ({ data: { accountSessions: [] } }),
      AccountsAudit: () => ({ data: { identityAudit: [] } }),
      ...handlers,
    });

  it('a director may grant only the school roles they hand out; district IT every role', async () => {
    const director = pageClient();
    const { unmount } = renderAt('/accounts/kc-teacher', 's001.director', ['school-admin'], ['s001'], director);
    const grant = await screen.findByRole('combobox', { name: 'Выдать роль' });
    expect(optionLabels(grant)).toEqual(['завуч', 'обучающийся', 'родитель']);
    expect(screen.getByRole('button', { name: 'Снять роль «учитель»' })).toBeTruthy();
    // A director binds no school; they may unbind their own.
    expect(screen.queryByRole('combobox', { name: 'Привязать к школе' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Открепить от школы Школа № 1 (s001)' })).toBeTruthy();
    unmount();

    renderAt('/accounts/kc-teacher', 'sso.admin', ['sso-admin'], [], pageClient());
    const all = await screen.findByRole('combobox', { name: 'Выдать роль' });
    expect(optionLabels(all)).toEqual([
      'завуч',
      'директор',
      'обучающийся',
      'родитель',
      'аналитик района',
      'администратор района',
      'портал госуслуг',
      'администратор единого входа',
      'шлюз',
    ]);
    await waitFor(() => expect(optionLabels(screen.getByRole('combobox', { name: 'Привязать к школе' }))).toEqual(['Гимназия № 2 (s002)']));
  });

  it('an account shared with another school: the director only unbinds their own school', async () => {
    const client = pageClient(
      {},
      { account: account({ id: 'kc-multi', username: 'parent.multi', fullName: 'Михайлова Юлия', roles: ['PARENT'], schoolIds: ['s001', 's002'] }) },
    );
    renderAt('/accounts/kc-multi', 's001.director', ['school-admin'], ['s001'], client);
    expect(await screen.findByText(/относится и к другой школе/)).toBeTruthy();
    expect(screen.queryByRole('combobox', { name: 'Выдать роль' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Заблокировать/ })).toBeNull();
    expect(screen.getByRole('button', { name: 'Открепить от школы Школа № 1 (s001)' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Открепить от школы Гимназия № 2 (s002)' })).toBeNull();
  });

  it('a grant is confirmed in a dialog naming the person and the role; after Keycloak’s silence «Повторить» sends the same key', async () => {
    let attempts = 0;
    const state = { account: account() };
    const client = pageClient(
      {
        AccountsGrantRole: (v) => {
          attempts += 1;
          if (attempts === 1) return { error: unavailable() };
          state.account = account({ roles: ['TEACHER', v.role] });
          return { data: { grantRole: state.account } };
        },
      },
      state,
    );
    renderAt('/accounts/kc-teacher', 's001.director', ['school-admin'], ['s001'], client);
    const user = userEvent.setup();
    await screen.findByRole('combobox', { name: 'Выдать роль' });
    const opener = screen.getByRole('button', { name: 'Выдать…' });
    await user.click(opener);
    const dialog = screen.getByRole('dialog', { name: 'Выдать роль «завуч»?' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(within(dialog).getByText('Петров Иван (s001.teacher) получит роль «завуч» и разделы журнала этой роли во всех школах учётной записи.')).toBeTruthy();
    // Focus is in the dialog, on the reason.
    expect(document.activeElement).toBe(within(dialog).getByRole('textbox', { name: /Причина/ }));
    await user.type(within(dialog).getByRole('textbox', { name: /Причина/ }), 'Назначена завучем приказом № 12');
    await user.click(within(dialog).getByRole('button', { name: 'Выдать роль' }));

    expect((await within(dialog).findByRole('alert')).textContent).toContain('Служба единого входа (Keycloak) сейчас недоступна');
    await user.click(within(dialog).getByRole('button', { name: 'Повторить' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    const sent = client.named('AccountsGrantRole').map((c) => c.variables);
    expect(sent).toHaveLength(2);
    expect(sent[0]).toEqual({
      accountId: 'kc-teacher',
      role: 'DEPUTY',
      reason: 'Назначена завучем приказом № 12',
      idempotencyKey: expect.stringMatching(/^web-[0-9a-f-]{36}$/),
    });
    expect(sent[1]).toEqual(sent[0]);
    expect(await screen.findByText('Роль «завуч» выдана: Петров Иван.')).toBeTruthy();
    // The account is read again: the new role is listed.
    expect(await screen.findByRole('button', { name: 'Снять роль «завуч»' })).toBeTruthy();
    // Focus goes back to where the dialog was opened from.
    expect(document.activeElement).toBe(opener);

    // A new action is a new key.
    await user.click(await screen.findByRole('button', { name: 'Выдать…' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Выдать роль' }));
    await waitFor(() => expect(client.named('AccountsGrantRole')).toHaveLength(3));
    expect(client.named('AccountsGrantRole')[2]!.variables.idempotencyKey).not.toBe(sent[0]!.idempotencyKey);
  });

  it('a refusal that is not Keycloak’s silence is shown in the API’s words, with no retry', async () => {
    const client = pageClient({
      AccountsRevokeRole: () => ({
        error: new CombinedError({
          graphQLErrors: [
            new GraphQLError('Директор выдаёт только роли школы: учитель, завуч, обучающийся, родитель (не sso-admin)', {
              extensions: { code: 'ROLE_NOT_GRANTABLE' },
            }),
          ],
        }),
      }),
    });
    renderAt('/accounts/kc-teacher', 's001.director', ['school-admin'], ['s001'], client);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Снять роль «учитель»' }));
    const dialog = screen.getByRole('dialog', { name: 'Снять роль «учитель»?' });
    await user.click(within(dialog).getByRole('button', { name: 'Снять роль' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe(
      'Директор выдаёт только роли школы: учитель, завуч, обучающийся, родитель (не sso-admin)',
    );
    expect(within(dialog).queryByRole('button', { name: 'Повторить' })).toBeNull();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('a password reset shows the temporary password once, with a copy button', async () => {
    const client = pageClient({ AccountsResetPassword: () => ({ data: { resetAccountPassword: { temporaryPassword: 'Kq7-mZ2p-Lw', account: account() } } }) });
    renderAt('/accounts/kc-teacher', 's001.director', ['school-admin'], ['s001'], client);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Сбросить пароль…' }));
    await user.click(within(screen.getByRole('dialog', { name: 'Сбросить пароль s001.teacher?' })).getByRole('button', { name: 'Сбросить пароль' }));
    expect(await screen.findByText('Kq7-mZ2p-Lw')).toBeTruthy();
    expect(screen.getByText('Временный пароль показан один раз.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Копировать' }));
    // user-event's clipboard stands in for the browser's.
    expect(await navigator.clipboard.readText()).toBe('Kq7-mZ2p-Lw');
    expect(await screen.findByText('Пароль скопирован в буфер обмена.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Скрыть пароль' }));
    expect(screen.queryByText('Kq7-mZ2p-Lw')).toBeNull();
    expect(client.named('AccountsResetPassword')[0]!.variables).toEqual({ accountId: 'kc-teacher', idempotencyKey: expect.stringMatching(/^web-/) });
  });
});

describe('provisioning a school', () => {
  it('starts after a confirmation, follows the run, reports each person in Russian and saves the CSV under the school’s name', async () => {
    const csv = '\uFEFFФИО;Кто;Класс;Логин;Временный пароль\r\n"Сидоров Пётр";"обучающийся";"5А";"s001.sidorov";"Ab3-xy9"\r\n';
    const run = (state: string, processed: number, extra: Record<string, unknown> = {}) => ({
      __typename: 'AccountRun',
      id: 'run-7',
      schoolId: 's001',
      mode: 'PROVISION',
      state,
      requestedBy: 's001.director',
      requestedAt: '2026-12-07T22:30:00.000Z',
      finishedAt: null,
      total: 3,
      processed,
      error: null,
      created: 0,
      credentialsCsv: null,
      lines: [],
      ...extra,
    });
    const line = (fullName: string, kind: string, username: string | null, outcome: string, reason: string | null = null) => ({
      __typename: 'AccountRunLine',
      person: `p-${fullName}`,
      kind,
      fullName,
      username,
      outcome,
      reason,
    });
    const polls = [
      run('RUNNING', 1),
      run('SUCCEEDED', 3, {
        finishedAt: '2026-12-07T22:31:00.000Z',
        created: 1,
        credentialsCsv: csv,
        lines: [
          line('Сидоров Пётр', 'STUDENT', 's001.sidorov', 'CREATED'),
          line('Петров Иван', 'STAFF', 's001.teacher', 'EXISTING'),
          line('Козлова Анна', 'GUARDIAN', null, 'FAILED', 'Нет адреса эл. почты'),
        ],
      }),
    ];
    let poll = 0;
    const client = fakeClient({
      AccountsSchools: () => ({ data: { schools: [SCHOOLS[0]] } }),
      AccountsRuns: () => ({ data: { accountRuns: [] } }),
      AccountsProvision: () => ({
        data: {
          provisionSchoolAccounts: { __typename: 'AccountRun', id: 'run-7', mode: 'PROVISION', state: 'QUEUED', requestedAt: '2026-12-07T22:30:00.000Z' },
        },
      }),
      AccountsRun: () => ({ data: { accountRun: polls[Math.min(poll++, polls.length - 1)] } }),
    });
    const saved: { name: string; blob: Blob }[] = [];
    URL.createObjectURL = vi.fn((blob: Blob) => {
      saved.push({ name: '', blob });
      return 'blob:credentials';
    });
    URL.revokeObjectURL = vi.fn();
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.at(-1)!.name = this.download;
    });

    renderAt('/accounts?view=provision', 's001.director', ['school-admin'], ['s001'], client);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Выдать учётные записи' }));
    const dialog = screen.getByRole('dialog', { name: 'Выдать учётные записи школе Школа № 1 (s001)?' });
    await user.click(within(dialog).getByRole('button', { name: 'Выдать' }));
    expect(client.named('AccountsProvision')[0]!.variables).toEqual({ schoolId: 's001', idempotencyKey: expect.stringMatching(/^web-/) });

    expect(await screen.findByText('Обработано 1 из 3')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Выдать учётные записи' }) as HTMLButtonElement).disabled).toBe(true);

    const report = await screen.findByRole('table', { name: 'Отчёт: что сделано для каждого человека' }, { timeout: 3000 });
    const rows = within(report)
      .getAllByRole('row')
      .slice(1)
      .map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent));
    expect(rows).toEqual([
      ['Сидоров Пётр', 'обучающийся', 's001.sidorov', 'создана', '—'],
      ['Петров Иван', 'сотрудник', 's001.teacher', 'уже есть', '—'],
      ['Козлова Анна', 'родитель', '—', 'ошибка', 'Нет адреса эл. почты'],
    ]);
    expect(screen.getByText('Итоги: создана — 1, уже есть — 1, ошибка — 1')).toBeTruthy();
    expect(screen.getByText('выполнено')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Скачать логины и пароли (CSV)' }));
    expect(saved).toHaveLength(1);
    expect(saved[0]!.name).toBe('uchetnye-zapisi-s001-2026-12-08.csv');
    expect(saved[0]!.blob.type).toBe('text/csv;charset=utf-8');
    expect(saved[0]!.blob.size).toBe(new TextEncoder().encode(csv).length);
    expect(screen.getByText('Файл uchetnye-zapisi-s001-2026-12-08.csv скачан.')).toBeTruthy();
    // Polling stopped with the run.
    const polled = poll;
    await new Promise((r) => setTimeout(r, 1300));
    expect(poll).toBe(polled);
  });
});

describe('a person without an account, from the drift list', () => {
  const line = (kind: string, fullName: string, over: Record<string, unknown> = {}) => ({
    __typename: 'AccountDrift',
    kind,
    person: null,
    personKind: null,
    fullName,
    roles: [],
    account: null,
    ...over,
  });
  const sidorov = line('PERSON_WITHOUT_ACCOUNT', 'Сидоров Пётр', { person: 'U3R1ZGVudDpzMDAxOjQy', personKind: 'STUDENT', roles: ['student'] });
  const morozova = line('PERSON_WITHOUT_ACCOUNT', 'Морозова Ольга', { person: 'U3RhZmY6czAwMTo3', personKind: 'STAFF', roles: ['school-admin'] });
  const kozlova = line('PERSON_WITHOUT_ACCOUNT', 'Козлова Анна', { person: 'R3VhcmRpYW46czAwMToxMQ', personKind: 'GUARDIAN', roles: ['parent'] });
  const petrov = line('ROLES_MISSING', 'Петров Иван', {
    person: 'U3RhZmY6czAwMToz',
    personKind: 'STAFF',
    roles: ['deputy'],
    account: { __typename: 'Account', id: 'kc-teacher', username: 's001.teacher' },
  });
  const gone = line('NO_CURRENT_PERSON', 'Белов Олег', { account: { __typename: 'Account', id: 'kc-gone', username: 's001.belov' } });

  /** The drift is read from `state.lines` each time; a creation takes its person off. */
  const driftClient = (state: { lines: unknown[] }, handlers: Record<string, Handler> = {}) =>
    fakeClient({
      AccountsSchools: () => ({ data: { schools: SCHOOLS } }),
      AccountsRuns: () => ({ data: { accountRuns: [] } }),
      AccountsDrift: () => ({ data: { accountDrift: state.lines } }),
      ...handlers,
    });
  const rowOf = (table: HTMLElement, name: string) => within(table).getByRole('row', { name: new RegExp(`^${name}`) });
  const schoolUnavailable = () =>
    new CombinedError({
      graphQLErrors: [
        new GraphQLError('Данные о людях школы сейчас недоступны; повторите позже', { extensions: { code: 'SCHOOL_UNAVAILABLE', retryable: true } }),
      ],
    });

  it('only a person without an account gets the button; a role the director does not grant leaves it disabled with the reason', async () => {
    const state = { lines: [sidorov, morozova, petrov, gone] };
    const { unmount } = renderAt('/accounts?view=drift', 's001.director', ['school-admin'], ['s001'], driftClient(state));
    const table = await screen.findByRole('table', { name: 'Расхождения школы Школа № 1 (s001)' });
    expect(
      within(table)
        .getAllByRole('button')
        .map((b) => b.getAttribute('aria-label')),
    ).toEqual(['Создать учётную запись: Сидоров Пётр', 'Создать учётную запись: Морозова Ольга']);
    expect(within(rowOf(table, 'Петров Иван')).queryByRole('button')).toBeNull();
    expect(within(rowOf(table, 'Белов Олег')).queryByRole('button')).toBeNull();

    const student = within(rowOf(table, 'Сидоров Пётр')).getByRole('button', { name: 'Создать учётную запись: Сидоров Пётр' }) as HTMLButtonElement;
    expect(student.textContent).toBe('Создать учётную запись');
    expect(student.disabled).toBe(false);
    const director = within(rowOf(table, 'Морозова Ольга')).getByRole('button', { name: 'Создать учётную запись: Морозова Ольга' }) as HTMLButtonElement;
    expect(director.disabled).toBe(true);
    expect(director.getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(director.getAttribute('aria-describedby')!)!.textContent).toBe(
      'Вы не выдаёте роли: директор. Учётную запись этому человеку создаст администратор единого входа района.',
    );
    unmount();

    // District IT grants every role: the same line may be created.
    renderAt('/accounts?view=drift&school=s001', 'sso.admin', ['sso-admin'], [], driftClient(state));
    const itTable = await screen.findByRole('table', { name: 'Расхождения школы Школа № 1 (s001)' });
    expect((within(itTable).getByRole('button', { name: 'Создать учётную запись: Морозова Ольга' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('creates after a confirmation naming the person and the roles, retries with the same key after Keycloak’s silence and shows the password once', async () => {
    const state = { lines: [sidorov, petrov] };
    let attempts = 0;
    const client = driftClient(state, {
      AccountsCreateAccount: () => {
        attempts += 1;
        if (attempts === 1) return { error: unavailable() };
        state.lines = [petrov];
        const created = account({ id: 'kc-sidorov', username: 's001.sidorov', fullName: 'Сидоров Пётр', roles: ['STUDENT'], lastLoginAt: null });
        return { data: { createAccount: { __typename: 'CreatedAccount', created: true, temporaryPassword: 'Ab3-xy9-Qw', account: created } } };
      },
    });
    renderAt('/accounts?view=drift', 's001.director', ['school-admin'], ['s001'], client);
    const user = userEvent.setup();
    const table = await screen.findByRole('table', { name: 'Расхождения школы Школа № 1 (s001)' });
    await user.click(within(table).getByRole('button', { name: 'Создать учётную запись: Сидоров Пётр' }));

    const dialog = screen.getByRole('dialog', { name: 'Создать учётную запись: Сидоров Пётр?' });
    expect(within(dialog).getByText(/^Сидоров Пётр \(обучающийся\) получит/).textContent).toBe(
      'Сидоров Пётр (обучающийся) получит учётную запись единого входа, привязанную к школе Школа № 1 (s001), с ролями: обучающийся. Логин и временный пароль будут показаны один раз.',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Создать' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('Служба единого входа (Keycloak) сейчас недоступна');
    expect(screen.queryByText('Ab3-xy9-Qw')).toBeNull();
    await user.click(within(dialog).getByRole('button', { name: 'Повторить' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    const sent = client.named('AccountsCreateAccount').map((c) => c.variables);
    expect(sent).toHaveLength(2);
    expect(sent[0]).toEqual({ person: 'U3R1ZGVudDpzMDAxOjQy', roles: ['STUDENT'], idempotencyKey: expect.stringMatching(/^web-[0-9a-f-]{36}$/) });
    expect(sent[1]).toEqual(sent[0]);

    expect(await screen.findByText('Учётная запись s001.sidorov создана: Сидоров Пётр, роли: обучающийся.')).toBeTruthy();
    expect(screen.getByText('Ab3-xy9-Qw')).toBeTruthy();
    expect(screen.getByText('Временный пароль показан один раз.')).toBeTruthy();
    expect(screen.getByText('Временный пароль для s001.sidorov:')).toBeTruthy();
    // The line the dialog came from leaves the list: focus goes to what was done.
    expect((document.activeElement as HTMLElement).textContent).toContain('Учётная запись s001.sidorov создана');
    const link = screen.getByRole('link', { name: 'Открыть учётную запись s001.sidorov (Сидоров Пётр)' });
    expect(link.getAttribute('href')).toBe('/accounts/kc-sidorov');

    // The drift is read again: the person has their account now.
    await waitFor(() => expect(client.named('AccountsDrift')).toHaveLength(2));
    await waitFor(() => expect(screen.queryByRole('row', { name: /^Сидоров Пётр/ })).toBeNull());
    expect(screen.getByRole('row', { name: /^Петров Иван/ })).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Копировать' }));
    expect(await navigator.clipboard.readText()).toBe('Ab3-xy9-Qw');
    await user.click(screen.getByRole('button', { name: 'Скрыть пароль' }));
    expect(screen.queryByText('Ab3-xy9-Qw')).toBeNull();
    // What was done stays; the password does not come back.
    expect(screen.getByText('Учётная запись s001.sidorov создана: Сидоров Пётр, роли: обучающийся.')).toBeTruthy();
    expect(client.named('AccountsCreateAccount')).toHaveLength(2);
  });

  it('a person who had an account gets it bound to the school: said so, no password; the school’s silence is retried with the same key', async () => {
    const state = { lines: [kozlova] };
    let attempts = 0;
    const client = driftClient(state, {
      AccountsCreateAccount: () => {
        attempts += 1;
        if (attempts === 1) return { error: schoolUnavailable() };
        state.lines = [];
        const existing = account({ id: 'kc-multi', username: 'parent.multi', fullName: 'Козлова Анна', roles: ['PARENT'], schoolIds: ['s002', 's001'] });
        return { data: { createAccount: { __typename: 'CreatedAccount', created: false, temporaryPassword: null, account: existing } } };
      },
    });
    renderAt('/accounts?view=drift&school=s001', 'sso.admin', ['sso-admin'], [], client);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Создать учётную запись: Козлова Анна' }));
    const dialog = screen.getByRole('dialog', { name: 'Создать учётную запись: Козлова Анна?' });
    await user.click(within(dialog).getByRole('button', { name: 'Создать' }));
    // The school's people did not answer: the API's words (a warning, not a refusal), and «Повторить».
    expect(await within(dialog).findByText('Данные о людях школы сейчас недоступны; повторите позже')).toBeTruthy();
    expect(within(dialog).queryByRole('alert')).toBeNull();
    await user.click(within(dialog).getByRole('button', { name: 'Повторить' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    const sent = client.named('AccountsCreateAccount').map((c) => c.variables);
    expect(sent).toEqual([
      { person: 'R3VhcmRpYW46czAwMToxMQ', roles: ['PARENT'], idempotencyKey: expect.stringMatching(/^web-/) },
      { person: 'R3VhcmRpYW46czAwMToxMQ', roles: ['PARENT'], idempotencyKey: sent[0]!.idempotencyKey },
    ]);
    expect(await screen.findByText('У человека уже была учётная запись parent.multi: она привязана к школе и получила роли: родитель.')).toBeTruthy();
    expect(screen.queryByText('Временный пароль показан один раз.')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Копировать' })).toBeNull();
    expect(screen.getByRole('link', { name: 'Открыть учётную запись parent.multi (Козлова Анна)' }).getAttribute('href')).toBe('/accounts/kc-multi');
    expect(await screen.findByText('Расхождений нет: у всех людей школы есть учётные записи с нужными ролями.')).toBeTruthy();
  });
});
