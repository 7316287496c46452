import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Provider } from 'urql';
import { fromValue, never } from 'wonka';
import { GraphQLError } from 'graphql';
import { CombinedError } from '@urql/core';
import { describe, expect, it } from 'vitest';
import { SessionContext } from '../src/app/session-context';
import { sessionFromClaims } from '../src/auth/session';
import RulesPage, { parseWeight } from '../src/features/control/RulesPage';

interface Api {
  settings: { editWindowDays: number; version: number };
  mutations: { name: string; variables: Record<string, unknown> }[];
  answer: (name: string, variables: Record<string, unknown>) => { data?: unknown; error?: CombinedError };
}

function renderRules(api: Api, roles = ['school-admin']) {
  const name = (q: { definitions: { name?: { value: string } }[] }) => q.definitions[0]?.name?.value ?? '';
  const client = {
    executeQuery: () =>
      fromValue({
        data: {
          controlForms: [{ __typename: 'ControlForm', code: 'ORAL', name: 'Ответ на уроке', weight: 1 }],
          journalSettings: { __typename: 'JournalSettings', ...api.settings, timezone: 'Europe/Moscow' },
        },
        stale: false,
        hasNext: false,
      }),
    executeMutation: ({ query, variables }: { query: never; variables: Record<string, unknown> }) => {
      api.mutations.push({ name: name(query), variables });
      return fromValue({ ...api.answer(name(query), variables), stale: false, hasNext: false });
    },
    executeSubscription: () => never,
  } as never;
  const session = sessionFromClaims({ preferred_username: 's001.director', realm_access: { roles }, school_ids: ['s001'] });
  return render(
    <SessionContext.Provider value={session}>
      <Provider value={client}>
        <RulesPage />
      </Provider>
    </SessionContext.Provider>,
  );
}

const invalid = (field: string, message: string) =>
  new CombinedError({ graphQLErrors: [new GraphQLError('Проверьте данные', { extensions: { code: 'BAD_USER_INPUT', problems: [{ field, message }] } })] });

describe('the director’s rules', () => {
  it('shows a validation problem next to its field, then saves a weight typed with a decimal comma', async () => {
    let fail = true;
    const api: Api = {
      settings: { editWindowDays: 3, version: 4 },
      mutations: [],
      answer: (_name, v) =>
        fail
          ? { error: invalid('weight', 'Вес: от 0.01 до 10') }
          : { data: { setControlForm: { __typename: 'ControlForm', code: v.code, name: v.name, weight: v.weight } } },
    };
    renderRules(api);
    const user = userEvent.setup();
    const weight = await screen.findByRole('textbox', { name: 'Вес формы «ORAL»' });
    await user.clear(weight);
    await user.type(weight, '11{Enter}');
    expect(await screen.findByText('Вес: от 0.01 до 10')).toBeTruthy();
    expect(weight.getAttribute('aria-invalid')).toBe('true');
    expect(weight.getAttribute('aria-describedby')).toBeTruthy();
    fail = false;
    await user.clear(weight);
    await user.type(weight, '1,5{Enter}');
    expect(api.mutations.at(-1)).toEqual({
      name: 'ControlSetControlForm',
      variables: { schoolId: 's001', code: 'ORAL', name: 'Ответ на уроке', weight: 1.5, active: true },
    });
    expect(await screen.findByText('Форма контроля «Ответ на уроке» сохранена.')).toBeTruthy();
    expect(weight.getAttribute('aria-invalid')).toBeNull();
  });

  it('sends the edit window with its version and explains a CONFLICT with the current value', async () => {
    const api: Api = {
      settings: { editWindowDays: 3, version: 4 },
      mutations: [],
      answer: () => ({
        error: new CombinedError({
          graphQLErrors: [
            new GraphQLError('Данные изменены другим пользователем; обновите страницу', {
              extensions: { code: 'CONFLICT', current: { version: 5, editWindowDays: 5 } },
            }),
          ],
        }),
      }),
    };
    renderRules(api);
    const user = userEvent.setup();
    const days = await screen.findByRole('spinbutton', { name: 'Дней после урока' });
    await user.clear(days);
    await user.type(days, '7');
    await user.click(screen.getByRole('button', { name: 'Сохранить срок' }));
    expect(api.mutations.at(-1)).toEqual({ name: 'ControlSetEditWindow', variables: { schoolId: 's001', days: 7, version: 4 } });
    expect(await screen.findByText('Настройки только что изменил другой пользователь: сейчас срок — 5 дн. Проверьте и сохраните снова.')).toBeTruthy();
  });

  it('is the director’s only', () => {
    renderRules({ settings: { editWindowDays: 3, version: 1 }, mutations: [], answer: () => ({}) }, ['deputy']);
    expect(screen.getByText(/Правила школы устанавливает директор/)).toBeTruthy();
  });

  it('reads weights with a decimal comma or point', () => {
    expect([parseWeight('1,5'), parseWeight(' 2 '), parseWeight('0.25')]).toEqual([1.5, 2, 0.25]);
    expect(parseWeight('два')).toBeNaN();
    expect(parseWeight('-1')).toBeNaN();
  });
});
