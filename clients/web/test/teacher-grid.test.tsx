import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { JournalGrid, type GridLesson, type LessonEntries } from '../src/features/teacher/JournalGrid';
import type { Grading } from '../src/features/teacher/entry';

const students = [
  { id: 'S1', fullName: 'Абрамова Мария' },
  { id: 'S2', fullName: 'Гусев Егор' },
  { id: 'S3', fullName: 'Новикова Полина' },
  { id: 'S4', fullName: 'Смирнов Алексей' },
];
const lesson = (id: string, date: string, extra: Partial<GridLesson> = {}): GridLesson => ({
  id,
  date,
  period: 1,
  cancelled: false,
  editable: true,
  readOnlyReason: null,
  topic: null,
  homework: null,
  recordVersion: null,
  editWindowOpen: true,
  marks: [],
  attendance: [],
  ...extra,
});
const lessons = [
  lesson('L1', '2026-11-23', { marks: [{ id: 'M1', studentId: 'S1', value: '4', weight: 1, formCode: 'ORAL', formName: 'Ответ на уроке', version: 1 }] }),
  lesson('L2', '2026-11-24'),
  lesson('L3', '2026-12-05', { editable: false, readOnlyReason: 'Урок ещё не начался' }),
];
const forms = [
  { code: 'ORAL', name: 'Ответ на уроке', weight: 1 },
  { code: 'TEST', name: 'Контрольная работа', weight: 3 },
];

/** The text an input's aria-describedby points to (what a screen reader says after its name). */
function description(el: HTMLElement): string {
  return (el.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');
}

function setup(grading: Grading = 'MARKS') {
  const onSave = vi.fn(async (_lessons: LessonEntries[]) => ({}));
  render(
    <JournalGrid
      students={students}
      lessons={lessons}
      grading={grading}
      controlForms={forms}
      termRows={{ S1: { average: 4, proposed: '4', grade: null } }}
      pending={{}}
      initialLessonId="L2"
      saving={false}
      onSave={onSave}
    />,
  );
  const cell = (name: string, date = '24.11') => screen.getByRole('textbox', { name: `${name}, урок ${date}` });
  return { onSave, cell, user: userEvent.setup() };
}

describe('the journal grid’s keyboard entry', () => {
  it('takes 5, 4/5 and Н typed in a lesson column, moving with Enter, Tab and arrows, and saves the class at once', async () => {
    const { onSave, cell, user } = setup();
    await user.click(cell('Абрамова Мария'));
    await user.keyboard('5{Enter}');
    expect(document.activeElement).toBe(cell('Гусев Егор'));
    await user.keyboard('4/5{Tab}');
    expect(document.activeElement).toBe(cell('Новикова Полина'));
    await user.keyboard('н{ArrowDown}');
    expect(document.activeElement).toBe(cell('Смирнов Алексей'));
    await user.keyboard('{ArrowUp}{ArrowUp}');
    expect(document.activeElement).toBe(cell('Гусев Егор'));
    await user.click(screen.getByRole('combobox', { name: 'Форма контроля для урока 24.11' }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Форма контроля для урока 24.11' }), 'TEST');
    await user.click(screen.getByRole('button', { name: 'Сохранить (3 ученика)' }));
    expect(onSave).toHaveBeenCalledTimes(1);
    expect(onSave.mock.calls[0]![0]).toEqual([
      {
        lessonId: 'L2',
        controlForm: 'TEST',
        entries: [
          { studentId: 'S1', entry: { marks: ['5'], attendance: null } },
          { studentId: 'S2', entry: { marks: ['4', '5'], attendance: null } },
          { studentId: 'S3', entry: { marks: [], attendance: 'ABSENT' } },
        ],
      },
    ]);
  });

  it('Esc puts the cell back as it was, and arrows at the edge move to the next lesson column', async () => {
    const { cell, user } = setup();
    await user.click(cell('Гусев Егор'));
    await user.keyboard('3');
    await user.keyboard('{Escape}');
    expect((cell('Гусев Егор') as HTMLInputElement).value).toBe('');
    await user.keyboard('2{Enter}');
    await user.click(cell('Гусев Егор'));
    await user.keyboard('{End}5{Escape}');
    // Esc restores what the cell held when it was entered, not an empty cell.
    expect((cell('Гусев Егор') as HTMLInputElement).value).toBe('2');
    await user.keyboard('{Home}{ArrowLeft}');
    const previous = await screen.findByRole('textbox', { name: 'Гусев Егор, урок 23.11' });
    await vi.waitFor(() => expect(document.activeElement).toBe(previous));
    // A column that takes no entries has no inputs, and says why.
    expect(screen.queryByRole('textbox', { name: 'Гусев Егор, урок 05.12' })).toBeNull();
    expect(screen.getByText(/Урок ещё не начался: 05\.12/)).toBeTruthy();
  });

  it('fills a pasted column down from the cell', async () => {
    const { cell, user, onSave } = setup();
    await user.click(cell('Гусев Егор'));
    await user.paste('5\n4\nН\n');
    expect((cell('Гусев Егор') as HTMLInputElement).value).toBe('5');
    expect((cell('Новикова Полина') as HTMLInputElement).value).toBe('4');
    expect((cell('Смирнов Алексей') as HTMLInputElement).value).toBe('Н');
    expect((cell('Абрамова Мария') as HTMLInputElement).value).toBe('');
    await user.click(screen.getByRole('button', { name: 'Сохранить (3 ученика)' }));
    expect(onSave.mock.calls[0]![0][0]!.entries.map((e) => [e.studentId, e.entry])).toEqual([
      ['S2', { marks: ['5'], attendance: null }],
      ['S3', { marks: ['4'], attendance: null }],
      ['S4', { marks: [], attendance: 'ABSENT' }],
    ]);
  });

  it('refuses a value outside the school’s scale right in the cell, with the reason, and sends nothing', async () => {
    const { cell, user, onSave } = setup();
    await user.click(cell('Гусев Егор'));
    await user.keyboard('7{Enter}');
    expect(cell('Гусев Егор').getAttribute('aria-invalid')).toBe('true');
    expect(description(cell('Гусев Егор'))).toBe('«7» — вне шкалы: отметки от 1 до 5');
    expect(screen.getByRole('alert').textContent).toContain('Гусев Егор, 24.11: «7» — вне шкалы: отметки от 1 до 5');
    await user.keyboard('5');
    expect((screen.getByRole('button', { name: 'Сохранить (1 ученик)' }) as HTMLButtonElement).disabled).toBe(true);
    await user.click(cell('Гусев Егор'));
    await user.keyboard('Х');
    expect(description(cell('Гусев Егор'))).toBe('«Х» — не отметка и не код посещаемости (Н, Б, УП, ОП)');
    await user.clear(cell('Гусев Егор'));
    expect(screen.queryByRole('alert')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Сохранить (1 ученик)' }));
    expect(onSave).toHaveBeenCalledTimes(1);
  });

  it('holds to the subject’s grading: pass/fail takes «зач», an ungraded year only attendance', async () => {
    const passFail = setup('PASS_FAIL');
    await passFail.user.click(passFail.cell('Гусев Егор'));
    await passFail.user.keyboard('5');
    expect(description(passFail.cell('Гусев Егор'))).toBe('«5» — по этому предмету ставится «зач» или «незач»');
    await passFail.user.clear(passFail.cell('Гусев Егор'));
    await passFail.user.keyboard('зач');
    expect(passFail.cell('Гусев Егор').getAttribute('aria-invalid')).toBeNull();
  });
});
