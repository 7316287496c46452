import { randomUUID } from 'node:crypto';
import { codes, startJournalWorld, type JournalWorld } from './journal-test-world';

let w: JournalWorld;
let term: string;
let closedTerm: string;
beforeAll(async () => {
  w = await startJournalWorld();
  const rows = await w.sql<{ id: number; name: string }>(`select id, name from schedule.term`);
  term = w.id('Term', rows.find((r) => r.name === 'Текущая четверть')!.id);
  closedTerm = w.id('Term', rows.find((r) => r.name === 'Прошлая четверть')!.id);
});
afterAll(async () => {
  await w?.close();
});

const key = () => `k-${randomUUID()}`;
const JOURNAL = `query($c: ID!, $s: ID!, $t: ID!) { classJournal(classGroupId: $c, subjectId: $s, termId: $t) {
  subject grading termClosed students { id }
  lessons { lesson { id } held editable readOnlyReason editWindowOpen record { topic homework version }
            marks { studentId value weight controlForm { code weight } } attendance { studentId letter } } } }`;

interface Page {
  lesson: { id: string };
  held: boolean;
  editable: boolean;
  readOnlyReason: string | null;
  record: { topic: string | null; homework: string | null } | null;
  marks: { studentId: string; value: string; weight: number; controlForm: { code: string } }[];
  attendance: { studentId: string; letter: string }[];
}

const vars = (subjectId: number, termId = term) => ({ c: w.id('ClassGroup', w.ids.class5A), s: w.id('Subject', subjectId), t: termId });

async function enterMarks(date: string, marks: { student: number; value: string; form: string }[]): Promise<void> {
  const answer = await w.gql(
    's001.teacher',
    `mutation($l: ID!, $m: [MarkInput!]!, $k: String!) { enterMarks(lessonId: $l, marks: $m, idempotencyKey: $k) { id } }`,
    {
      l: await w.lesson(w.maths, date),
      k: key(),
      m: marks.map((m) => ({ studentId: w.id('Student', m.student), value: m.value, controlForm: m.form })),
    },
  );
  expect(answer.errors).toBeUndefined();
}

describe('the class journal of a term', () => {
  it('gives the subject’s teacher every lesson of the term with its marks, attendance, topic and homework', async () => {
    const petrov = w.id('Student', w.ids.petrov);
    const classmate = w.id('Student', w.ids.classmates[0]!);
    await enterMarks(w.dates.recent, [
      { student: w.ids.petrov, value: '5', form: 'ORAL' },
      { student: w.ids.petrov, value: '3', form: 'TEST' },
    ]);
    const recent = await w.lesson(w.maths, w.dates.recent);
    const attendance = await w.gql(
      's001.teacher',
      `mutation($l: ID!, $s: ID!, $k: String!) { enterAttendance(lessonId: $l, entries: [{ studentId: $s, code: ILL }], idempotencyKey: $k) { id } }`,
      { l: recent, s: classmate, k: key() },
    );
    expect(attendance.errors).toBeUndefined();
    const record = await w.gql(
      's001.teacher',
      `mutation($l: ID!, $k: String!) { setLessonRecord(lessonId: $l, topic: "Дроби", homework: "№ 12", idempotencyKey: $k) { version } }`,
      { l: recent, k: key() },
    );
    expect(record.errors).toBeUndefined();

    const answer = await w.gql('s001.teacher', JOURNAL, vars(w.maths.subjectId));
    expect(answer.errors).toBeUndefined();
    const journal = answer.data!.classJournal;
    expect(journal).toMatchObject({ subject: 'Математика', grading: 'MARKS', termClosed: false });
    expect((journal.students as { id: string }[]).map((s) => s.id).sort()).toEqual([petrov, ...w.ids.classmates.map((id) => w.id('Student', id))].sort());
    const lessons = journal.lessons as Page[];
    const expected = await w.sql<{ id: number }>(
      `select l.id from schedule.lesson l join schedule.term t on l.date between t.start_date and t.end_date where l.teaching_assignment_id = ? and t.name = 'Текущая четверть' order by l.date, l.id`,
      [w.maths.id],
    );
    expect(lessons.map((l) => l.lesson.id)).toEqual(expected.map((r) => w.id('Lesson', r.id)));
    const page = lessons.find((l) => l.lesson.id === recent)!;
    expect(page).toMatchObject({
      held: true,
      editable: true,
      readOnlyReason: null,
      record: { topic: 'Дроби', homework: '№ 12' },
      attendance: [{ studentId: classmate, letter: 'Б' }],
    });
    expect(page.marks.map((m) => [m.studentId, m.value, m.controlForm.code, m.weight])).toEqual([
      [petrov, '5', 'ORAL', 1],
      [petrov, '3', 'TEST', 3],
    ]);
  });

  it('marks the lessons the viewer may not enter now as read-only, with the reason', async () => {
    const maths = (await w.gql('s001.teacher', JOURNAL, vars(w.maths.subjectId))).data!.classJournal.lessons as Page[];
    const future = await w.lesson(w.maths, w.dates.future);
    expect(maths.find((l) => l.lesson.id === future)).toMatchObject({ held: false, editable: false, readOnlyReason: 'Урок ещё не начался' });

    // The demo teacher leads 5А, so they read Russian too, but it is not theirs to fill in.
    const russian = await w.gql('s001.teacher', JOURNAL, vars(w.russian.subjectId));
    expect(russian.errors).toBeUndefined();
    const pages = russian.data!.classJournal.lessons as Page[];
    expect(pages.length).toBeGreaterThan(0);
    for (const p of pages)
      expect(p).toMatchObject({ editable: false, readOnlyReason: 'Записи об уроке вносит учитель, который его провёл (или заменявший его)' });

    const closed = await w.gql('s001.teacher', JOURNAL, vars(w.maths.subjectId, closedTerm));
    expect(closed.data!.classJournal.termClosed).toBe(true);
    for (const p of closed.data!.classJournal.lessons as Page[]) expect(p).toMatchObject({ editable: false, readOnlyReason: 'Четверть (триместр) закрыта' });
  });

  it('is read by deputies and the director, refused to students, parents and another school', async () => {
    for (const user of ['s001.deputy', 's001.director']) {
      const answer = await w.gql(user, JOURNAL, vars(w.maths.subjectId));
      expect(answer.errors).toBeUndefined();
      for (const p of answer.data!.classJournal.lessons as Page[]) expect(p.editable).toBe(false);
    }
    for (const user of ['s001.student', 's001.parent', 's002.teacher', 's002.deputy']) {
      expect(codes(await w.gql(user, JOURNAL, vars(w.maths.subjectId)))).toEqual(['FORBIDDEN']);
    }
  });

  it('takes a fixed number of SQL statements whatever the number of lessons and entries', async () => {
    const measure = async () => {
      w.journal.sql.reset();
      const answer = await w.gql('s001.teacher', JOURNAL, vars(w.maths.subjectId));
      expect(answer.errors).toBeUndefined();
      const lessons = answer.data!.classJournal.lessons as Page[];
      return { statements: w.journal.sql.count, marks: lessons.reduce((n, l) => n + l.marks.length, 0) };
    };
    const before = await measure();
    for (const d of [2, 3, 4, 5]) {
      const date = w.dates.shift(w.dates.today, -d);
      if (new Date(`${date}T00:00:00Z`).getUTCDay() === 0) continue;
      await enterMarks(
        date,
        [w.ids.petrov, ...w.ids.classmates].map((student, i) => ({ student, value: String(2 + (i % 4)), form: i % 2 ? 'ORAL' : 'HOMEWORK' })),
      );
    }
    const after = await measure();
    expect(after.marks).toBeGreaterThan(before.marks);
    expect(after.statements).toBe(before.statements);
    expect(before.statements).toBeLessThanOrEqual(10);
  });
});
