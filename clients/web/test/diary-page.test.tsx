import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Suspense } from 'react';
import { Provider } from 'urql';
import { fromValue, never } from 'wonka';
import { describe, expect, it, beforeEach } from 'vitest';
import { SessionContext } from '../src/app/session-context';
import { sessionFromClaims } from '../src/auth/session';
import DiaryPage from '../src/features/diary/DiaryPage';

const child = (id: string, name: string, cls: string, school: string) => ({
  __typename: 'Student',
  id,
  fullName: name,
  classGroup: { __typename: 'ClassGroup', name: cls },
  school: { __typename: 'School', id: school, shortName: `Школа ${school}` },
});
const lesson = (id: string, subject: string, marks: { value: string; controlForm: string; weight: number }[], extra: Record<string, unknown> = {}) => ({
  __typename: 'DiaryLesson',
  lesson: { __typename: 'Lesson', id },
  period: 1,
  startTime: '08:30:00',
  endTime: '09:15:00',
  subject,
  cancelled: false,
  topic: 'Дроби',
  homework: '№ 12, 14',
  homeworkAttachments: [],
  attendance: null,
  marks: marks.map((m) => ({ __typename: 'DiaryMark', comment: null, ...m })),
  ...extra,
});

function week(studentId: string) {
  return {
    __typename: 'DiaryWeek',
    weekStart: '2026-11-23',
    term: '2 четверть',
    days: [
      {
        __typename: 'DiaryDay',
        date: '2026-11-23',
        lessons: [
          lesson(`${studentId}-L1`, 'Математика', [{ value: '5', controlForm: 'Контрольная работа', weight: 2 }]),
          lesson(`${studentId}-L2`, 'Русский язык', [], { attendance: 'Б' }),
        ],
      },
      { __typename: 'DiaryDay', date: '2026-11-24', lessons: [] },
    ],
    subjects: [
      { __typename: 'DiarySubject', subject: 'Математика', average: 4.666666, proposedGrade: '5', marksCount: 3, marks: ['5', '4', '5'] },
      { __typename: 'DiarySubject', subject: 'Русский язык', average: null, proposedGrade: null, marksCount: 0, marks: [] },
    ],
  };
}

/** A client that answers the diary's two queries from fixtures (the API itself is tested in the journal and end to end). */
function client(children: ReturnType<typeof child>[], self: ReturnType<typeof child> | null = null) {
  return {
    executeQuery: (operation: { query: { definitions: { name?: { value: string } }[] }; variables: { studentId?: string } }) => {
      const name = operation.query.definitions[0]?.name?.value;
      if (name === 'DiaryStudents') return fromValue({ operation, data: { myChildren: children, myStudentRecord: self }, stale: false, hasNext: false });
      if (name === 'DiaryWeek') return fromValue({ operation, data: { diary: week(operation.variables.studentId!) }, stale: false, hasNext: false });
      return never;
    },
    executeMutation: () => never,
    executeSubscription: () => never,
  } as never;
}

function renderAs(roles: string[], api: unknown) {
  const session = sessionFromClaims({ preferred_username: 'x', realm_access: { roles }, school_ids: ['s001', 's002'] });
  return render(
    <SessionContext.Provider value={session}>
      <Provider value={api as never}>
        <Suspense fallback={null}>
          <DiaryPage />
        </Suspense>
      </Provider>
    </SessionContext.Provider>,
  );
}

beforeEach(() => window.localStorage.clear());

describe('the diary', () => {
  it('shows the week’s marks with their weights and the averages with a decimal comma', async () => {
    renderAs(['parent'], client([child('st1', 'Смирнов Алексей', '5А', 's001')]));
    const averages = await screen.findByRole('table');
    const maths = within(averages).getByRole('row', { name: /Математика/ });
    expect(within(maths).getByText('4,67')).toBeTruthy();
    expect(within(within(averages).getByRole('row', { name: /Русский язык/ })).getByText('—')).toBeTruthy();
    expect(screen.getByTitle('Контрольная работа, вес 2')).toBeTruthy();
    expect(screen.getByText('Б — болел')).toBeTruthy();
    expect(screen.getAllByText('Дроби', { exact: false })).toHaveLength(2);
  });

  it('a parent with children in two schools switches between them', async () => {
    renderAs(['parent'], client([child('st1', 'Михайлов Артём', '7Б', 's001'), child('st2', 'Михайлова Ева', '3А', 's002')]));
    const select = await screen.findByRole('combobox', { name: 'Ребёнок' });
    expect(screen.getByText(/Михайлов Артём · 7Б · Школа s001/)).toBeTruthy();
    await userEvent.selectOptions(select, 'st2');
    expect(screen.getByText(/Михайлова Ева · 3А · Школа s002/)).toBeTruthy();
  });

  it('a student sees their own diary; a teacher is told the page is not theirs', async () => {
    renderAs(['student'], client([], child('me', 'Смирнов Алексей', '5А', 's001')));
    expect(await screen.findByText(/Смирнов Алексей · 5А/)).toBeTruthy();
  });

  it('a role without a diary gets an explanation', () => {
    renderAs(['teacher'], client([]));
    expect(screen.getByText(/недоступна для вашей роли/)).toBeTruthy();
  });
});
