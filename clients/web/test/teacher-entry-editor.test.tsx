import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CombinedError, type Client, type GraphQLRequest, type OperationResult } from '@urql/core';
import { Provider } from 'urql';
import { fromValue } from 'wonka';
import { describe, expect, it, vi } from 'vitest';
import { EntryEditor, type EditTarget } from '../src/features/teacher/EntryEditor';
import type { GridLesson } from '../src/features/teacher/JournalGrid';

const lesson = (editWindowOpen: boolean): GridLesson => ({
  id: 'L1',
  date: '2026-11-23',
  period: 1,
  cancelled: false,
  editable: true,
  readOnlyReason: null,
  topic: null,
  homework: null,
  recordVersion: null,
  editWindowOpen,
  marks: [],
  attendance: [],
});
const forms = [
  { code: 'ORAL', name: 'Ответ на уроке', weight: 1 },
  { code: 'TEST', name: 'Контрольная работа', weight: 3 },
];
const markTarget = (editWindowOpen: boolean): EditTarget => ({
  kind: 'mark',
  lesson: lesson(editWindowOpen),
  studentName: 'Гусев Егор',
  mark: { id: 'M1', studentId: 'S1', value: '4', weight: 1, formCode: 'ORAL', formName: 'Ответ на уроке', version: 2 },
});

/** A client whose mutations answer from a list, recording what was sent. */
function fakeClient(answers: ((request: GraphQLRequest) => Partial<OperationResult>)[]) {
  const sent: Record<string, unknown>[] = [];
  const executeMutation = vi.fn((request: GraphQLRequest) => {
    sent.push(request.variables as Record<string, unknown>);
    const answer = answers.shift()!(request);
    return fromValue({ operation: request, stale: false, hasNext: false, ...answer } as OperationResult);
  });
  return { client: { executeMutation } as unknown as Client, sent };
}

function renderEditor(target: EditTarget, client: Client) {
  const onChanged = vi.fn();
  const onClose = vi.fn();
  render(
    <Provider value={client}>
      <EntryEditor target={target} grading="MARKS" controlForms={forms} onClose={onClose} onChanged={onChanged} />
    </Provider>,
  );
  return { onChanged, onClose, user: userEvent.setup() };
}

describe('changing an entry already in the journal', () => {
  it('inside the edit window sends the change with the entry’s version', async () => {
    const { client, sent } = fakeClient([() => ({ data: { editMark: { applied: true, correction: null } } })]);
    const { user, onChanged } = renderEditor(markTarget(true), client);
    const value = screen.getByRole('textbox', { name: 'Отметка' });
    await user.clear(value);
    await user.type(value, '5');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Форма контроля' }), 'TEST');
    await user.click(screen.getByRole('button', { name: 'Сохранить изменение' }));
    await screen.findByText('Изменение внесено в журнал.');
    expect(sent).toEqual([{ id: 'M1', version: 2, reason: null, idempotencyKey: expect.stringMatching(/^web-/), change: { value: '5', controlForm: 'TEST' } }]);
    expect(onChanged).toHaveBeenCalled();
  });

  it('refuses a value outside the scale before any request', async () => {
    const { client, sent } = fakeClient([]);
    const { user } = renderEditor(markTarget(true), client);
    const value = screen.getByRole('textbox', { name: 'Отметка' });
    await user.clear(value);
    await user.type(value, '6');
    await user.click(screen.getByRole('button', { name: 'Сохранить изменение' }));
    expect(screen.getByRole('alert').textContent).toBe('«6» — вне шкалы: отметки от 1 до 5');
    expect(sent).toEqual([]);
  });

  it('after the edit window asks for a reason and shows the correction request as pending', async () => {
    const { client, sent } = fakeClient([() => ({ data: { editMark: { applied: false, correction: { id: 'C1', status: 'PENDING' } } } })]);
    const { user } = renderEditor(markTarget(false), client);
    await user.clear(screen.getByRole('textbox', { name: 'Отметка' }));
    await user.type(screen.getByRole('textbox', { name: 'Отметка' }), '5');
    const reason = screen.getByRole('textbox', { name: /Причина исправления/ });
    await user.type(reason, 'ош');
    // The form's own check (required, 5 characters) is bypassed here to reach the app's.
    fireEvent.submit(reason.closest('form')!);
    expect(screen.getByRole('alert').textContent).toBe('Укажите причину исправления — не короче 5 символов.');
    expect(sent).toEqual([]);
    await user.type(reason, 'ибка в журнале');
    await user.click(screen.getByRole('button', { name: 'Отправить запрос на исправление' }));
    await screen.findByText(/Запрос на исправление отправлен и ждёт решения заместителя директора/);
    expect(sent[0]).toMatchObject({ reason: 'ошибка в журнале', version: 2, change: { value: '5' } });
  });

  it('on a CONFLICT shows both values and, when the teacher keeps theirs, resends on the current version', async () => {
    const conflict = new CombinedError({
      graphQLErrors: [
        {
          message: 'Данные изменены другим пользователем; обновите страницу',
          extensions: { code: 'CONFLICT', current: { version: 3, value: '3', comment: null } },
        },
      ],
    });
    const { client, sent } = fakeClient([() => ({ error: conflict }), () => ({ data: { editMark: { applied: true, correction: null } } })]);
    const { user } = renderEditor(markTarget(true), client);
    await user.clear(screen.getByRole('textbox', { name: 'Отметка' }));
    await user.type(screen.getByRole('textbox', { name: 'Отметка' }), '5');
    await user.click(screen.getByRole('button', { name: 'Сохранить изменение' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Ваш вариант5 (Ответ на уроке)');
    expect(alert.textContent).toContain('Сейчас в журнале3');
    await user.click(screen.getByRole('button', { name: 'Записать моё значение' }));
    await screen.findByText('Изменение внесено в журнал.');
    expect(sent.map((v) => v.version)).toEqual([2, 3]);
    // A new request: a new idempotency key.
    expect(sent[1]!.idempotencyKey).not.toBe(sent[0]!.idempotencyKey);
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });
});
