import { randomUUID } from 'node:crypto';
import { codes, PERSON, startJournalWorld, type GraphQLAnswer, type JournalWorld } from './journal-test-world';

/**
 * An edit with a stale version used to answer CONFLICT
 * with the entry's current value and comment before asking whether the caller
 * may touch the entry at all, so any pupil could read every mark of the school
 * by id. Now whoever may not change an entry learns nothing of it: not its
 * value, not its comment, not even whether it exists.
 */

let w: JournalWorld;
beforeAll(async () => {
  w = await startJournalWorld();
});
afterAll(async () => {
  await w?.close();
});

const TEACHER = 's001.teacher';
const COMMENT = 'Списал у соседа, поговорить с родителями';
const ABSENCE_REASON = 'Справка из поликлиники № 7';
const key = () => `k-${randomUUID()}`;

const EDIT_MARK = `mutation($id: ID!, $v: Int!, $reason: String, $key: String!) {
  editMark(id: $id, version: $v, change: { value: "5" }, reason: $reason, idempotencyKey: $key) { applied mark { value comment version } }
}`;
const WITHDRAW_MARK = `mutation($id: ID!, $v: Int!, $reason: String, $key: String!) {
  withdrawMark(id: $id, version: $v, reason: $reason, idempotencyKey: $key) { applied mark { value status } }
}`;
const EDIT_ATTENDANCE = `mutation($id: ID!, $v: Int!, $reason: String, $key: String!) {
  editAttendance(id: $id, version: $v, code: LATE, reason: $reason, idempotencyKey: $key) { applied attendance { code version } }
}`;
const WITHDRAW_ATTENDANCE = `mutation($id: ID!, $v: Int!, $reason: String, $key: String!) {
  withdrawAttendance(id: $id, version: $v, reason: $reason, idempotencyKey: $key) { applied attendance { code status } }
}`;
const MUTATIONS = { editMark: EDIT_MARK, withdrawMark: WITHDRAW_MARK, editAttendance: EDIT_ATTENDANCE, withdrawAttendance: WITHDRAW_ATTENDANCE };
type Mutation = keyof typeof MUTATIONS;

interface Entries {
  mark: { id: string; localId: number; version: number };
  attendance: { id: string; localId: number; version: number };
}

/** The stored rows behind the entries, to prove a refusal changed nothing. */
async function rows(e: Entries) {
  const [mark] = await w.sql(`select value, comment, status, version from journal.mark where id = ?`, [e.mark.localId]);
  const [attendance] = await w.sql(`select code, reason, status, version from journal.attendance where id = ?`, [e.attendance.localId]);
  return { mark, attendance };
}

/** Refused with exactly `code`, nothing of the entry in the answer, nothing written. */
async function refusedBlind(
  user: string,
  mutation: Mutation,
  variables: { id: string; v: number; reason?: string },
  code: string,
  e: Entries,
): Promise<GraphQLAnswer> {
  const [before, stored] = [await w.counts(), await rows(e)];
  const answer = await w.gql(user, MUTATIONS[mutation], { ...variables, key: key() });
  expect({ user, mutation, codes: codes(answer) }).toEqual({ user, mutation, codes: [code] });
  expect(answer.data?.[mutation] ?? null).toBeNull();
  expect(answer.errors![0]!.extensions).toEqual({ code });
  const text = JSON.stringify(answer);
  for (const secret of [COMMENT, ABSENCE_REASON, '"value"', '"comment"', '"current"', 'ILL', 'ABSENT'])
    expect({ user, mutation, leaked: text.includes(secret) ? secret : null }).toEqual({ user, mutation, leaked: null });
  expect(await w.counts()).toEqual(before);
  expect(await rows(e)).toEqual(stored);
  return answer;
}

/** Marks and attendance of a lesson, entered (and edited once, so version 2) through the API by the lesson's teacher. */
async function enteredByTeacher(lesson: string, studentLocalId: number): Promise<Entries> {
  const student = w.id('Student', studentLocalId);
  const mark = await w.gql(
    TEACHER,
    `mutation($l: ID!, $m: [MarkInput!]!, $k: String!) { enterMarks(lessonId: $l, marks: $m, idempotencyKey: $k) { id version } }`,
    {
      l: lesson,
      k: key(),
      m: [{ studentId: student, value: '2', controlForm: 'TEST', comment: COMMENT }],
    },
  );
  expect(mark.errors).toBeUndefined();
  const attendance = await w.gql(
    TEACHER,
    `mutation($l: ID!, $a: [AttendanceInput!]!, $k: String!) { enterAttendance(lessonId: $l, entries: $a, idempotencyKey: $k) { id version } }`,
    {
      l: lesson,
      k: key(),
      a: [{ studentId: student, code: 'ABSENT' }],
    },
  );
  expect(attendance.errors).toBeUndefined();
  const markId = mark.data!.enterMarks[0].id as string;
  const attendanceId = attendance.data!.enterAttendance[0].id as string;
  const editedMark = await w.gql(
    TEACHER,
    `mutation($id: ID!, $k: String!) { editMark(id: $id, version: 1, change: { value: "3", comment: ${JSON.stringify(COMMENT)} }, idempotencyKey: $k) { mark { version } } }`,
    { id: markId, k: key() },
  );
  expect(editedMark.data!.editMark.mark.version).toBe(2);
  const editedAttendance = await w.gql(
    TEACHER,
    `mutation($id: ID!, $k: String!) { editAttendance(id: $id, version: 1, code: ILL, absenceReason: ${JSON.stringify(ABSENCE_REASON)}, idempotencyKey: $k) { attendance { version } } }`,
    {
      id: attendanceId,
      k: key(),
    },
  );
  expect(editedAttendance.data!.editAttendance.attendance.version).toBe(2);
  return { mark: { id: markId, localId: localIdOf(markId), version: 2 }, attendance: { id: attendanceId, localId: localIdOf(attendanceId), version: 2 } };
}

function localIdOf(globalId: string): number {
  return Number(Buffer.from(globalId, 'base64url').toString().split(':')[2]);
}

/** Entries another teacher (Волкова, no login in the demo realm) made in her Russian lesson, written straight into the tables. */
async function enteredByColleague(date: string, studentLocalId: number): Promise<Entries> {
  const [lesson] = await w.sql<{ id: number }>(`select id from schedule.lesson where teaching_assignment_id = ? and date = ?`, [w.russian.id, date]);
  const colleague = '00000000-0000-4000-8000-00000000a001';
  const [mark] = await w.sql<{ id: number }>(
    `insert into journal.mark (lesson_id, student_id, value, control_form_id, weight, comment, lesson_date, entered_by, entered_at, delay_minutes, updated_at, version)
     select ?, ?, '2', id, weight, ?, ?, ?, now(), 0, now(), 2 from journal.control_form where code = 'TEST' returning id`,
    [lesson!.id, studentLocalId, COMMENT, date, colleague],
  );
  const [attendance] = await w.sql<{ id: number }>(
    `insert into journal.attendance (lesson_id, student_id, code, reason, lesson_date, entered_by, entered_at, delay_minutes, updated_at, version)
     values (?, ?, 'ILL', ?, ?, ?, now(), 0, now(), 2) returning id`,
    [lesson!.id, studentLocalId, ABSENCE_REASON, date, colleague],
  );
  return {
    mark: { id: w.id('Mark', mark!.id), localId: mark!.id, version: 2 },
    attendance: { id: w.id('Attendance', attendance!.id), localId: attendance!.id, version: 2 },
  };
}

const ALL: Mutation[] = ['editMark', 'withdrawMark', 'editAttendance', 'withdrawAttendance'];
const target = (e: Entries, mutation: Mutation) => (mutation.endsWith('Mark') ? e.mark : e.attendance);

describe('a caller who may not change an entry learns nothing of it through CONFLICT', () => {
  let own: Entries;
  beforeAll(async () => {
    own = await enteredByTeacher(await w.lesson(w.maths, w.dates.recent), w.ids.petrov);
  });

  // s001.deputy reads every lesson but does not enter marks for other teachers (docs/journal-rules.md);
  // the demo realm has no second teacher of s001 (the colleague's case is below).
  describe.each(['s001.student', 's001.parent', 's001.deputy', 'district.admin', 'analyst'])('%s', (user) => {
    it.each(ALL)('%s with a stale and with the right version: FORBIDDEN, no current value or comment, nothing written', async (mutation) => {
      const entry = target(own, mutation);
      await refusedBlind(user, mutation, { id: entry.id, v: entry.version - 1 }, 'FORBIDDEN', own);
      await refusedBlind(user, mutation, { id: entry.id, v: entry.version }, 'FORBIDDEN', own);
      await refusedBlind(user, mutation, { id: entry.id, v: entry.version - 1, reason: 'хочу исправить отметку' }, 'FORBIDDEN', own);
    });
  });

  it('a teacher of the school who did not teach the lesson: FORBIDDEN with a stale or the right version, nothing of the entry', async () => {
    const colleagues = await enteredByColleague(w.dates.recent, w.ids.classmates[0]!);
    for (const mutation of ALL) {
      const entry = target(colleagues, mutation);
      await refusedBlind(TEACHER, mutation, { id: entry.id, v: entry.version - 1 }, 'FORBIDDEN', colleagues);
      await refusedBlind(TEACHER, mutation, { id: entry.id, v: entry.version }, 'FORBIDDEN', colleagues);
    }
  });

  it('no existence oracle: a student gets the same answer for an entry that exists and for one that does not', async () => {
    for (const mutation of ALL) {
      const entry = target(own, mutation);
      const missing = w.id(mutation.endsWith('Mark') ? 'Mark' : 'Attendance', entry.localId + 100_000);
      const existing = await refusedBlind('s001.student', mutation, { id: entry.id, v: entry.version - 1 }, 'FORBIDDEN', own);
      const absent = await refusedBlind('s001.student', mutation, { id: missing, v: 1 }, 'FORBIDDEN', own);
      expect(absent.errors).toEqual(existing.errors);
    }
  });

  it('the lesson’s teacher with a stale version still gets CONFLICT with the current value; an unknown id is NOT_FOUND', async () => {
    const before = await w.counts();
    const mark = await w.gql(TEACHER, EDIT_MARK, { id: own.mark.id, v: 1, key: key() });
    expect(codes(mark)).toEqual(['CONFLICT']);
    expect(mark.errors![0]!.extensions!.current).toEqual({ version: 2, value: '3', comment: COMMENT });
    const withdraw = await w.gql(TEACHER, WITHDRAW_MARK, { id: own.mark.id, v: 1, key: key() });
    expect(withdraw.errors![0]!.extensions).toEqual({ code: 'CONFLICT', current: { version: 2, value: '3' } });
    const attendance = await w.gql(TEACHER, EDIT_ATTENDANCE, { id: own.attendance.id, v: 1, key: key() });
    expect(attendance.errors![0]!.extensions).toEqual({ code: 'CONFLICT', current: { version: 2, code: 'ILL' } });
    const withdrawAttendance = await w.gql(TEACHER, WITHDRAW_ATTENDANCE, { id: own.attendance.id, v: 1, key: key() });
    expect(withdrawAttendance.errors![0]!.extensions).toEqual({ code: 'CONFLICT', current: { version: 2, code: 'ILL' } });
    // A teacher may learn that an id is unused: ids are sequential, so existence is no secret; contents are.
    const missing = await w.gql(TEACHER, EDIT_MARK, { id: w.id('Mark', own.mark.localId + 100_000), v: 1, key: key() });
    expect(missing.errors![0]!.extensions).toEqual({ code: 'NOT_FOUND', id: w.id('Mark', own.mark.localId + 100_000) });
    expect(await w.counts()).toEqual(before);
  });

  it('in a closed term the director (who may correct it) gets CONFLICT with the value; a student gets FORBIDDEN', async () => {
    const [lesson] = await w.sql<{ id: number }>(`select id from schedule.lesson where teaching_assignment_id = ? and date = ?`, [w.maths.id, w.dates.closed]);
    const [inserted] = await w.sql<{ id: number }>(
      `insert into journal.mark (lesson_id, student_id, value, control_form_id, weight, comment, lesson_date, entered_by, entered_at, delay_minutes, updated_at, version)
       select ?, ?, '4', id, weight, ?, ?, ?, now(), 0, now(), 3 from journal.control_form where code = 'ORAL' returning id`,
      [lesson!.id, w.ids.petrov, COMMENT, w.dates.closed, PERSON.teacher],
    );
    const id = w.id('Mark', inserted!.id);
    const closed: Entries = { mark: { id, localId: inserted!.id, version: 3 }, attendance: own.attendance };
    const stale = await w.gql('s001.director', EDIT_MARK, { id, v: 2, reason: 'решение педсовета', key: key() });
    expect(stale.errors![0]!.extensions).toEqual({ code: 'CONFLICT', current: { version: 3, value: '4', comment: COMMENT } });
    await refusedBlind('s001.student', 'editMark', { id, v: 2, reason: 'решение педсовета' }, 'FORBIDDEN', closed);
    await refusedBlind('s001.deputy', 'editMark', { id, v: 3, reason: 'решение педсовета' }, 'FORBIDDEN', closed);
  });

  it('the lesson page and new entries: a student gets the same FORBIDDEN for a lesson that exists and one that does not', async () => {
    const lesson = await w.lesson(w.maths, w.dates.recent);
    const missing = w.id('Lesson', localIdOf(lesson) + 100_000);
    const PAGE = `query($l: ID!) { lessonJournal(lessonId: $l) { marks { value comment } } }`;
    const page = await w.gql('s001.student', PAGE, { l: lesson });
    const noPage = await w.gql('s001.student', PAGE, { l: missing });
    expect(codes(page)).toEqual(['FORBIDDEN']);
    expect(noPage.errors).toEqual(page.errors);
    const ENTER = `mutation($l: ID!, $k: String!) { enterMarks(lessonId: $l, marks: [{ studentId: "${w.id('Student', w.ids.petrov)}", value: "5", controlForm: "ORAL" }], idempotencyKey: $k) { id } }`;
    const enter = await w.gql('s001.student', ENTER, { l: lesson, k: key() });
    const noEnter = await w.gql('s001.student', ENTER, { l: missing, k: key() });
    expect(codes(enter)).toEqual(['FORBIDDEN']);
    expect(noEnter.errors).toEqual(enter.errors);
  });
});
