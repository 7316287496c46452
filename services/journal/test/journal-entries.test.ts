import { randomUUID } from 'node:crypto';
import { codes, startJournalWorld, type GraphQLAnswer, type JournalWorld } from './journal-test-world';

let w: JournalWorld;
beforeAll(async () => {
  w = await startJournalWorld();
});
afterAll(async () => {
  await w?.close();
});

const TEACHER = 's001.teacher';
const key = () => `k-${randomUUID()}`;
const ENTER_MARKS = `mutation($lesson: ID!, $marks: [MarkInput!]!, $key: String!) {
  enterMarks(lessonId: $lesson, marks: $marks, idempotencyKey: $key) { id value weight controlForm { code name } version studentId }
}`;
const ENTER_ATTENDANCE = `mutation($lesson: ID!, $entries: [AttendanceInput!]!, $key: String!) {
  enterAttendance(lessonId: $lesson, entries: $entries, idempotencyKey: $key) { id code letter version }
}`;
const EDIT_MARK = `mutation($id: ID!, $v: Int!, $change: MarkChangeInput!, $reason: String, $key: String!) {
  editMark(id: $id, version: $v, change: $change, reason: $reason, idempotencyKey: $key) { applied mark { value version } correction { id status reason version } }
}`;

/** Runs a mutation that must be refused with `code` and proves the journal did not change. */
async function refused(user: string, code: string, query: string, variables: Record<string, unknown>): Promise<GraphQLAnswer> {
  const before = await w.counts();
  const answer = await w.gql(user, query, variables);
  expect(codes(answer)).toEqual([code]);
  expect(await w.counts()).toEqual(before);
  return answer;
}

describe('entering a lesson', () => {
  it('the teacher enters a whole class’s marks and attendance; every entry is audited in the same transaction', async () => {
    const lesson = await w.lesson(w.maths, w.dates.recent);
    const before = await w.counts();
    const [a, b, c] = w.ids.classmates;
    const marks = await w.gql(TEACHER, ENTER_MARKS, {
      lesson,
      key: key(),
      marks: [
        { studentId: w.id('Student', w.ids.petrov), value: '5', controlForm: 'ORAL' },
        { studentId: w.id('Student', w.ids.petrov), value: '4', controlForm: 'TEST', comment: 'контрольная по дробям' },
        { studentId: w.id('Student', a!), value: '3', controlForm: 'TEST' },
        { studentId: w.id('Student', b!), value: '2', controlForm: 'homework' },
      ],
    });
    expect(marks.errors).toBeUndefined();
    expect(
      marks.data!.enterMarks.map((m: { value: string; weight: number; controlForm: { code: string } }) => [m.value, m.weight, m.controlForm.code]),
    ).toEqual([
      ['5', 1, 'ORAL'],
      ['4', 3, 'TEST'],
      ['3', 3, 'TEST'],
      ['2', 1, 'HOMEWORK'],
    ]);
    const attendance = await w.gql(TEACHER, ENTER_ATTENDANCE, {
      lesson,
      key: key(),
      entries: [{ studentId: w.id('Student', c!), code: 'ILL', reason: 'справка' }],
    });
    expect(attendance.data!.enterAttendance).toEqual([expect.objectContaining({ code: 'ILL', letter: 'Б', version: 1 })]);
    const after = await w.counts();
    expect(after.marks - before.marks).toBe(4);
    expect(after.attendance - before.attendance).toBe(1);
    expect(after.audit - before.audit).toBe(5);
    const [timing] = await w.sql<{ delay: number }>(`select min(delay_minutes) as delay from journal.mark`);
    expect(Number(timing!.delay)).toBeGreaterThan(0); // entered after yesterday's lesson ended
  });

  it('a replay with the same idempotency key, 5 times, writes one mark and answers the same', async () => {
    const lesson = await w.lesson(w.maths, w.dates.shift(w.dates.recent, 0));
    const k = key();
    const variables = { lesson, key: k, marks: [{ studentId: w.id('Student', w.ids.classmates[2]!), value: '5', controlForm: 'CHECK' }] };
    const before = await w.counts();
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await w.gql(TEACHER, ENTER_MARKS, variables));
    expect(answers.map((a) => a.errors)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    const ids = answers.map((a) => a.data!.enterMarks[0].id);
    expect(new Set(ids).size).toBe(1);
    const after = await w.counts();
    expect(after.marks - before.marks).toBe(1);
    expect(after.audit - before.audit).toBe(1);
    // The same key for another request is a conflict, not a silent replay.
    await refused(TEACHER, 'CONFLICT', ENTER_MARKS, { ...variables, marks: [{ ...variables.marks[0], value: '4' }] });
  });

  it('concurrent replays of one key still write once', async () => {
    const lesson = await w.lesson(w.maths, w.dates.recent);
    const variables = { lesson, key: key(), marks: [{ studentId: w.id('Student', w.ids.petrov), value: '3', controlForm: 'HOMEWORK' }] };
    const before = await w.counts();
    const answers = await Promise.all(Array.from({ length: 5 }, () => w.gql(TEACHER, ENTER_MARKS, variables)));
    expect(answers.every((a) => a.errors === undefined)).toBe(true);
    expect(new Set(answers.map((a) => a.data!.enterMarks[0].id)).size).toBe(1);
    expect((await w.counts()).marks - before.marks).toBe(1);
  });
});

describe('bad entries are refused with a code and change nothing', () => {
  const mark = (studentId: string, value = '4') => ({ studentId, value, controlForm: 'ORAL' });

  it('a mark of 6', async () => {
    const answer = await refused(TEACHER, 'BAD_USER_INPUT', ENTER_MARKS, {
      lesson: await w.lesson(w.maths, w.dates.recent),
      key: key(),
      marks: [mark(w.id('Student', w.ids.petrov), '6')],
    });
    expect(answer.errors![0]!.extensions!.problems[0].field).toBe('marks.0.value');
  });

  it('a whole class where one mark is bad: none written', async () => {
    await refused(TEACHER, 'BAD_USER_INPUT', ENTER_MARKS, {
      lesson: await w.lesson(w.maths, w.dates.recent),
      key: key(),
      marks: [mark(w.id('Student', w.ids.petrov), '5'), mark(w.id('Student', w.ids.classmates[0]!), '0')],
    });
  });

  it('a mark for a student not in the class', async () => {
    const answer = await refused(TEACHER, 'STUDENT_NOT_IN_LESSON', ENTER_MARKS, {
      lesson: await w.lesson(w.maths, w.dates.recent),
      key: key(),
      marks: [mark(w.id('Student', w.ids.stranger))],
    });
    expect(answer.errors![0]!.extensions!.problems).toEqual([{ field: 'studentId', message: w.id('Student', w.ids.stranger) }]);
  });

  it('a mark for a lesson in the future', async () => {
    await refused(TEACHER, 'LESSON_NOT_HELD', ENTER_MARKS, {
      lesson: await w.lesson(w.maths, w.dates.future),
      key: key(),
      marks: [mark(w.id('Student', w.ids.petrov))],
    });
  });

  it('a mark for another teacher’s lesson', async () => {
    await refused(TEACHER, 'FORBIDDEN', ENTER_MARKS, {
      lesson: await w.lesson(w.russian, w.dates.recent),
      key: key(),
      marks: [mark(w.id('Student', w.ids.petrov))],
    });
  });

  it('a mark by someone who is not a teacher (a parent)', async () => {
    await refused('s001.parent', 'FORBIDDEN', ENTER_MARKS, {
      lesson: await w.lesson(w.maths, w.dates.recent),
      key: key(),
      marks: [mark(w.id('Student', w.ids.petrov))],
    });
  });

  it('attendance for a cancelled lesson', async () => {
    // A week before `old` (same weekday, a school day): never a lesson other tests write to, whatever day today is.
    const lesson = await w.lesson(w.maths, w.dates.shift(w.dates.old, -7));
    await w.sql(`update schedule.lesson set status = 'CANCELLED' where id = ?`, [Number(Buffer.from(lesson, 'base64url').toString().split(':')[2])]);
    await refused(TEACHER, 'LESSON_CANCELLED', ENTER_ATTENDANCE, {
      lesson,
      key: key(),
      entries: [{ studentId: w.id('Student', w.ids.petrov), code: 'ABSENT' }],
    });
  });

  it('an entry in a closed term', async () => {
    await refused(TEACHER, 'TERM_CLOSED', ENTER_MARKS, {
      lesson: await w.lesson(w.maths, w.dates.closed),
      key: key(),
      marks: [mark(w.id('Student', w.ids.petrov))],
    });
  });

  it('attendance twice for the same student and lesson', async () => {
    const lesson = await w.lesson(w.maths, w.dates.recent);
    await refused(TEACHER, 'DUPLICATE', ENTER_ATTENDANCE, {
      lesson,
      key: key(),
      entries: [{ studentId: w.id('Student', w.ids.classmates[2]!), code: 'LATE' }],
    });
  });
});

describe('edits and corrections', () => {
  async function oldMark(value = '3'): Promise<{ id: string; version: number }> {
    const answer = await w.gql(TEACHER, ENTER_MARKS, {
      lesson: await w.lesson(w.maths, w.dates.old),
      key: key(),
      marks: [{ studentId: w.id('Student', w.ids.petrov), value, controlForm: 'ORAL' }],
    });
    expect(answer.errors).toBeUndefined();
    return answer.data!.enterMarks[0];
  }

  it('inside the window the teacher edits directly; a stale version is CONFLICT with the current value', async () => {
    const lesson = await w.lesson(w.maths, w.dates.recent);
    const created = (
      await w.gql(TEACHER, ENTER_MARKS, { lesson, key: key(), marks: [{ studentId: w.id('Student', w.ids.classmates[0]!), value: '4', controlForm: 'ORAL' }] })
    ).data!.enterMarks[0];
    const edited = await w.gql(TEACHER, EDIT_MARK, { id: created.id, v: 1, change: { value: '5' }, key: key() });
    expect(edited.data!.editMark).toEqual({ applied: true, mark: { value: '5', version: 2 }, correction: null });
    const stale = await refused(TEACHER, 'CONFLICT', EDIT_MARK, { id: created.id, v: 1, change: { value: '3' }, key: key() });
    expect(stale.errors![0]!.extensions!.current).toEqual({ version: 2, value: '5', comment: null });
  });

  it('two teachers’ devices editing one mark at once: exactly one wins, the other gets CONFLICT', async () => {
    const lesson = await w.lesson(w.maths, w.dates.recent);
    const created = (
      await w.gql(TEACHER, ENTER_MARKS, { lesson, key: key(), marks: [{ studentId: w.id('Student', w.ids.classmates[1]!), value: '4', controlForm: 'ORAL' }] })
    ).data!.enterMarks[0];
    const answers = await Promise.all(['5', '3', '2', '5'].map((value) => w.gql(TEACHER, EDIT_MARK, { id: created.id, v: 1, change: { value }, key: key() })));
    expect(answers.filter((a) => a.data?.editMark?.applied === true)).toHaveLength(1);
    expect(answers.flatMap(codes).sort()).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT']);
    const [row] = await w.sql<{ version: number }>(`select version from journal.mark where id = ?`, [
      Number(Buffer.from(created.id, 'base64url').toString().split(':')[2]),
    ]);
    expect(row!.version).toBe(2);
  });

  it('after the window: refused without a reason; with one it becomes a request a deputy approves; the history shows every step', async () => {
    const mark = await oldMark('3');
    await refused(TEACHER, 'EDIT_WINDOW_CLOSED', EDIT_MARK, { id: mark.id, v: mark.version, change: { value: '4' }, key: key() });

    const requested = await w.gql(TEACHER, EDIT_MARK, {
      id: mark.id,
      v: mark.version,
      change: { value: '4' },
      reason: 'ошибка при вводе: ответ был на 4',
      key: key(),
    });
    expect(requested.data!.editMark).toMatchObject({
      applied: false,
      mark: null,
      correction: { status: 'PENDING', reason: 'ошибка при вводе: ответ был на 4' },
    });
    const requestId = requested.data!.editMark.correction.id;
    const [unchanged] = await w.sql<{ value: string }>(`select value from journal.mark where id = ?`, [
      Number(Buffer.from(mark.id, 'base64url').toString().split(':')[2]),
    ]);
    expect(unchanged!.value).toBe('3');

    // The teacher cannot approve it; the deputy can.
    await refused(TEACHER, 'FORBIDDEN', `mutation($id: ID!) { decideCorrection(id: $id, version: 1, approve: true) { status } }`, { id: requestId });
    const pending = await w.gql('s001.deputy', `{ correctionRequests(schoolId: "s001", status: PENDING) { id target action } }`);
    expect(pending.data!.correctionRequests).toEqual([{ id: requestId, target: 'MARK', action: 'EDIT' }]);
    const decided = await w.gql(
      's001.deputy',
      `mutation($id: ID!) { decideCorrection(id: $id, version: 1, approve: true, comment: "подтверждаю") { status decisionComment } }`,
      { id: requestId },
    );
    expect(decided.data!.decideCorrection).toEqual({ status: 'APPROVED', decisionComment: 'подтверждаю' });

    const journal = await w.gql('s001.deputy', `query($l: ID!) { lessonJournal(lessonId: $l) { marks { id value version } editWindowOpen } }`, {
      l: await w.lesson(w.maths, w.dates.old),
    });
    expect(journal.data!.lessonJournal.editWindowOpen).toBe(false);
    expect(journal.data!.lessonJournal.marks.find((m: { id: string }) => m.id === mark.id)).toEqual({ id: mark.id, value: '4', version: 2 });

    const history = await w.gql('s001.deputy', `query($id: ID!) { entryHistory(id: $id) { action old new reason actor } }`, { id: mark.id });
    expect(history.data!.entryHistory.map((e: { action: string }) => e.action)).toEqual(['ENTER', 'CORRECTION_EDIT']);
    expect(JSON.parse(history.data!.entryHistory[1].old).value).toBe('3');
    expect(JSON.parse(history.data!.entryHistory[1].new).value).toBe('4');
    expect(history.data!.entryHistory[1].reason).toBe('ошибка при вводе: ответ был на 4');
    const requestHistory = await w.gql('s001.deputy', `query($id: ID!) { entryHistory(id: $id) { action actor } }`, { id: requestId });
    expect(requestHistory.data!.entryHistory).toEqual([
      { action: 'REQUEST', actor: 's001.teacher' },
      { action: 'APPROVE', actor: 's001.deputy' },
    ]);
  });

  it('a rejected correction leaves the mark as it was; a decided request cannot be decided again', async () => {
    const mark = await oldMark('2');
    const requested = await w.gql(
      TEACHER,
      `mutation($id: ID!, $v: Int!, $k: String!) { withdrawMark(id: $id, version: $v, reason: "отметка поставлена не тому ученику", idempotencyKey: $k) { applied correction { id } } }`,
      { id: mark.id, v: 1, k: key() },
    );
    const requestId = requested.data!.withdrawMark.correction.id;
    const rejected = await w.gql(
      's001.deputy',
      `mutation($id: ID!) { decideCorrection(id: $id, version: 1, approve: false, comment: "проверено: верно") { status } }`,
      { id: requestId },
    );
    expect(rejected.data!.decideCorrection).toEqual({ status: 'REJECTED' });
    await refused('s001.deputy', 'CONFLICT', `mutation($id: ID!) { decideCorrection(id: $id, version: 2, approve: true) { status } }`, { id: requestId });
    const [row] = await w.sql<{ status: string }>(`select status from journal.mark where id = ?`, [
      Number(Buffer.from(mark.id, 'base64url').toString().split(':')[2]),
    ]);
    expect(row!.status).toBe('ACTIVE');
  });

  it('an edit in a closed term is refused', async () => {
    const [row] = await w.sql<{ id: number }>(`select l.id from schedule.lesson l where l.teaching_assignment_id = ? and l.date = ?`, [
      w.maths.id,
      w.dates.closed,
    ]);
    // A mark written before the term was closed (straight into the table, as history).
    const [inserted] = await w.sql<{ id: number }>(
      `insert into journal.mark (lesson_id, student_id, value, control_form_id, weight, lesson_date, entered_by, entered_at, delay_minutes, updated_at)
       select ?, ?, '4', id, weight, ?, ?, now(), 0, now() from journal.control_form where code = 'ORAL' returning id`,
      [row!.id, w.ids.petrov, w.dates.closed, '00000000-0000-4000-8000-000000000103'],
    );
    await refused(TEACHER, 'TERM_CLOSED', EDIT_MARK, {
      id: w.id('Mark', inserted!.id),
      v: 1,
      change: { value: '5' },
      reason: 'исправление после закрытия',
      key: key(),
    });
  });
});

describe('topic and homework', () => {
  const SET = `mutation($l: ID!, $topic: String, $hw: String, $v: Int, $k: String!) { setLessonRecord(lessonId: $l, topic: $topic, homework: $hw, version: $v, idempotencyKey: $k) { topic homework version } }`;

  it('the teacher sets them (homework may be set before the lesson); edits carry the version', async () => {
    const lesson = await w.lesson(w.maths, w.dates.future);
    const first = await w.gql(TEACHER, SET, { l: lesson, topic: 'Сложение дробей', hw: '№ 245, 247', k: key() });
    expect(first.data!.setLessonRecord).toEqual({ topic: 'Сложение дробей', homework: '№ 245, 247', version: 1 });
    await refused(TEACHER, 'CONFLICT', SET, { l: lesson, topic: 'Другая тема', k: key() });
    const second = await w.gql(TEACHER, SET, { l: lesson, hw: '№ 245, 247, 250', v: 1, k: key() });
    expect(second.data!.setLessonRecord).toEqual({ topic: 'Сложение дробей', homework: '№ 245, 247, 250', version: 2 });
    await refused('s001.parent', 'FORBIDDEN', SET, { l: lesson, topic: 'x', v: 2, k: key() });
  });
});
