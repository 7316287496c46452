import { randomUUID } from 'node:crypto';
import { codes, startJournalWorld, type JournalWorld } from './journal-test-world';

/**
 * The school side of the district's monthly operational monitoring
 * (docs/monitoring.md): every figure is recomputed here independently from the
 * raw tables and compared with the GraphQL answer.
 */
let w: JournalWorld;
let month: string;
beforeAll(async () => {
  w = await startJournalWorld();
  month = w.dates.recent.slice(0, 7);
});
afterAll(async () => {
  await w?.close();
});

const TEACHER = 's001.teacher';
const key = () => `k-${randomUUID()}`;
const localId = (globalId: string) => Number(Buffer.from(globalId, 'base64url').toString().split(':')[2]);

const FIELDS = `month timezone heldLessons lessonsWithTopic shareWithTopic lessonsWithAttendanceTaken shareWithAttendanceTaken
  marksEntered marksSameDay shareMarksSameDay absencesEntered absencesSameDay shareAbsencesSameDay
  lessonsWithHomework homeworkWithinHour shareHomeworkWithinHour medianEntryDelayMinutes
  correctionsAfterWindow correctionsApproved activeMarks studentSubjectPairs marksPerStudentPerSubject
  numericMarks averageMark markQualityShare markSuccessShare`;
const FIGURES = `query($r: [_Any!]!, $m: String!) { _entities(representations: $r) { ... on School { id monthlyFigures(month: $m) { ${FIELDS} } } } }`;
const ENTER_MARKS = `mutation($lesson: ID!, $marks: [MarkInput!]!, $key: String!) { enterMarks(lessonId: $lesson, marks: $marks, idempotencyKey: $key) { id version } }`;
const ENTER_ATTENDANCE = `mutation($lesson: ID!, $entries: [AttendanceInput!]!, $key: String!) { enterAttendance(lessonId: $lesson, entries: $entries, idempotencyKey: $key) { id } }`;
const SET_RECORD = `mutation($lesson: ID!, $topic: String, $homework: String, $key: String!) { setLessonRecord(lessonId: $lesson, topic: $topic, homework: $homework, idempotencyKey: $key) { version } }`;
const EDIT_MARK = `mutation($id: ID!, $v: Int!, $change: MarkChangeInput!, $reason: String, $key: String!) {
  editMark(id: $id, version: $v, change: $change, reason: $reason, idempotencyKey: $key) { applied correction { id } }
}`;

async function figures(user: string, m = month, school = 's001') {
  return w.gql(user, FIGURES, { r: [{ __typename: 'School', id: school }], m });
}

async function ok<T = any>(promise: Promise<{ data?: any; errors?: unknown }>): Promise<T> {
  const answer = await promise;
  expect(answer.errors).toBeUndefined();
  return answer.data as T;
}

/** Held maths lessons (the demo teacher's) of the month in the open term, newest first, with whether the edit window is open. */
async function mathsLessons(): Promise<{ id: string; date: string; windowOpen: boolean }[]> {
  const rows = await w.sql<{ id: number; date: string; window_open: boolean }>(
    `select l.id, l.date::text as date, now() < ((l.date + 1 + s.edit_window_days + time '00:00') at time zone s.timezone) as window_open
     from schedule.lesson l join schedule.term t on t.id = l.term_id cross join journal.settings s
     where l.teaching_assignment_id = ? and t.closed_at is null and l.status = 'SCHEDULED'
       and to_char(l.date, 'YYYY-MM') = ? and ((l.date + l.start_time) at time zone s.timezone) <= now() - interval '2 hours'
     order by l.date desc`,
    [w.maths.id, month],
  );
  return rows.map((r) => ({ id: w.id('Lesson', Number(r.id)), date: r.date, windowOpen: Boolean(r.window_open) }));
}

const student = (i: number) => w.id('Student', i === 0 ? w.ids.petrov : w.ids.classmates[i - 1]!);

async function fillMonth(): Promise<void> {
  const lessons = await mathsLessons();
  expect(lessons.length).toBeGreaterThan(0);
  const [first, second, third] = lessons;
  // Lesson 1: a whole class's marks, an absence, topic and homework.
  await ok(
    w.gql(TEACHER, ENTER_MARKS, {
      lesson: first!.id,
      key: key(),
      marks: [
        { studentId: student(0), value: '5', controlForm: 'ORAL' },
        { studentId: student(1), value: '4', controlForm: 'TEST' },
        { studentId: student(2), value: '2', controlForm: 'HOMEWORK' },
      ],
    }),
  );
  await ok(w.gql(TEACHER, ENTER_ATTENDANCE, { lesson: first!.id, key: key(), entries: [{ studentId: student(3), code: 'ILL' }] }));
  await ok(w.gql(TEACHER, SET_RECORD, { lesson: first!.id, key: key(), topic: 'Сложение дробей', homework: '№ 101, 102' }));
  if (second) {
    // Lesson 2: marks only, one of them withdrawn later (still an entry, no longer active); a blank topic.
    const marks = await ok(
      w.gql(TEACHER, ENTER_MARKS, {
        lesson: second.id,
        key: key(),
        marks: [
          { studentId: student(0), value: '3', controlForm: 'CHECK' },
          { studentId: student(1), value: '1', controlForm: 'ORAL' },
        ],
      }),
    );
    await w.sql(`update journal.mark set status = 'WITHDRAWN' where id = ?`, [localId(marks.enterMarks[1].id)]);
    if (second.windowOpen) await ok(w.gql(TEACHER, SET_RECORD, { lesson: second.id, key: key(), topic: '   ', homework: 'Повторить правило' }));
  }
  if (third) {
    // Lesson 3: attendance only (counts as "attendance taken").
    await ok(w.gql(TEACHER, ENTER_ATTENDANCE, { lesson: third.id, key: key(), entries: [{ studentId: student(2), code: 'LATE' }] }));
  }
  // Timeliness mix: some entries on the lesson's own day, the first lesson's homework within the hour.
  await w.sql(
    `update journal.mark m set entered_at = ((m.lesson_date + time '15:00') at time zone s.timezone), delay_minutes = 200
     from journal.settings s where m.lesson_id = ? and m.value = '5'`,
    [localId(first!.id)],
  );
  await w.sql(
    `update journal.attendance a set entered_at = ((a.lesson_date + time '14:00') at time zone s.timezone), delay_minutes = 140
     from journal.settings s where a.lesson_id = ?`,
    [localId(first!.id)],
  );
  await w.sql(
    `update journal.lesson_record r set homework_entered_at = ((r.lesson_date + time '09:00') at time zone s.timezone)
     from journal.settings s where r.lesson_id = ?`,
    [localId(first!.id)],
  );
  // A correction after the window (requested now), approved by the deputy.
  const old = lessons.find((l) => !l.windowOpen);
  if (old) {
    const mark = (await ok(w.gql(TEACHER, ENTER_MARKS, { lesson: old.id, key: key(), marks: [{ studentId: student(3), value: '3', controlForm: 'ORAL' }] })))
      .enterMarks[0];
    const requested = await ok(
      w.gql(TEACHER, EDIT_MARK, { id: mark.id, v: mark.version, change: { value: '4' }, reason: 'ошибка при вводе отметки', key: key() }),
    );
    await ok(
      w.gql('s001.deputy', `mutation($id: ID!) { decideCorrection(id: $id, version: 1, approve: true) { status } }`, { id: requested.editMark.correction.id }),
    );
  }
}

/** Rounds a/b half up to `places` decimals exactly (integers in, number out); null when b = 0. */
function ratio(a: number, b: number, places: number): number | null {
  if (b === 0) return null;
  const scale = 10 ** places;
  return Math.floor((2 * a * scale + b) / (2 * b)) / scale;
}

/** The figures, recomputed from the raw tables (not the published views the service reads). */
async function recompute(m: string) {
  const [settings] = await w.sql<{ timezone: string }>(`select timezone from journal.settings`);
  const tz = settings!.timezone;
  const lessons = await w.sql<{
    id: number;
    date: string;
    end_time: string;
    class_group_id: number;
    subject_id: number;
    graded: boolean;
    started: boolean;
    status: string;
  }>(
    `select l.id, l.date::text as date, l.end_time::text as end_time, ta.class_group_id, ta.subject_id, l.status,
            (sub.grading <> 'NONE' and ta.graded is not false) as graded,
            ((l.date + l.start_time) at time zone ?) <= now() as started
     from schedule.lesson l join schedule.teaching_assignment ta on ta.id = l.teaching_assignment_id join schedule.subject sub on sub.id = ta.subject_id
     where to_char(l.date, 'YYYY-MM') = ?`,
    [tz, m],
  );
  const held = lessons.filter((l) => l.status === 'SCHEDULED' && l.started);
  const heldIds = new Set(held.map((l) => Number(l.id)));
  const lessonOf = new Map(held.map((l) => [Number(l.id), l]));
  const lastEnd = new Map<string, string>();
  for (const l of lessons.filter((x) => x.status === 'SCHEDULED')) {
    const k = `${l.class_group_id}/${l.date}`;
    if (!lastEnd.has(k) || l.end_time > lastEnd.get(k)!) lastEnd.set(k, l.end_time);
  }
  const marks = (
    await w.sql<{ lesson_id: number; value: string; status: string; delay_minutes: number; day: string }>(
      `select lesson_id, value, status, delay_minutes, to_char(entered_at at time zone ?, 'YYYY-MM-DD') as day from journal.mark`,
      [tz],
    )
  ).filter((r) => heldIds.has(Number(r.lesson_id)));
  const attendance = (
    await w.sql<{ lesson_id: number; delay_minutes: number; day: string }>(
      `select lesson_id, delay_minutes, to_char(entered_at at time zone ?, 'YYYY-MM-DD') as day from journal.attendance`,
      [tz],
    )
  ).filter((r) => heldIds.has(Number(r.lesson_id)));
  const records = (
    await w.sql<{ lesson_id: number; topic: string | null; homework: string | null; homework_attachments: string[]; hw_at: string | null }>(
      `select lesson_id, topic, homework, homework_attachments, to_char(homework_entered_at at time zone ?, 'YYYY-MM-DD"T"HH24:MI:SS') as hw_at from journal.lesson_record`,
      [tz],
    )
  ).filter((r) => heldIds.has(Number(r.lesson_id)));
  const corrections = await w.sql<{ status: string; month: string }>(
    `select status, to_char(requested_at at time zone ?, 'YYYY-MM') as month from journal.correction_request`,
    [tz],
  );
  const takers = await w.sql<{ lesson_id: number; student_id: number }>(`select lesson_id, student_id from schedule.lesson_students`);

  const withTopic = records.filter((r) => (r.topic ?? '').trim() !== '').length;
  const taken = held.filter(
    (l) => marks.some((x) => Number(x.lesson_id) === Number(l.id)) || attendance.some((x) => Number(x.lesson_id) === Number(l.id)),
  ).length;
  const dateOf = (lessonId: number) => lessonOf.get(Number(lessonId))!.date;
  const marksSameDay = marks.filter((x) => x.day === dateOf(x.lesson_id)).length;
  const absSameDay = attendance.filter((x) => x.day === dateOf(x.lesson_id)).length;
  const withHomework = records.filter((r) => (r.homework ?? '').trim() !== '' || (r.homework_attachments ?? []).length > 0);
  const inHour = withHomework.filter((r) => {
    const l = lessonOf.get(Number(r.lesson_id))!;
    const deadline = new Date(`${l.date}T${lastEnd.get(`${l.class_group_id}/${l.date}`)}Z`).getTime() + 3_600_000;
    return r.hw_at !== null && new Date(`${r.hw_at}Z`).getTime() <= deadline;
  }).length;
  const delays = [...marks, ...attendance].map((x) => Number(x.delay_minutes)).sort((a, b) => a - b);
  const median =
    delays.length === 0 ? null : delays.length % 2 ? delays[(delays.length - 1) / 2]! : (delays[delays.length / 2 - 1]! + delays[delays.length / 2]!) / 2;
  const active = marks.filter((x) => x.status === 'ACTIVE');
  const numeric = active.filter((x) => ['1', '2', '3', '4', '5'].includes(x.value)).map((x) => Number(x.value));
  const pairs = new Set(
    takers
      .filter((t) => heldIds.has(Number(t.lesson_id)) && lessonOf.get(Number(t.lesson_id))!.graded)
      .map((t) => `${t.student_id}/${lessonOf.get(Number(t.lesson_id))!.subject_id}`),
  );
  const monthCorrections = corrections.filter((c) => c.month === m);
  const sum = numeric.reduce((a, b) => a + b, 0);
  return {
    month: m,
    timezone: tz,
    heldLessons: held.length,
    lessonsWithTopic: withTopic,
    shareWithTopic: ratio(withTopic, held.length, 4),
    lessonsWithAttendanceTaken: taken,
    shareWithAttendanceTaken: ratio(taken, held.length, 4),
    marksEntered: marks.length,
    marksSameDay,
    shareMarksSameDay: ratio(marksSameDay, marks.length, 4),
    absencesEntered: attendance.length,
    absencesSameDay: absSameDay,
    shareAbsencesSameDay: ratio(absSameDay, attendance.length, 4),
    lessonsWithHomework: withHomework.length,
    homeworkWithinHour: inHour,
    shareHomeworkWithinHour: ratio(inHour, withHomework.length, 4),
    medianEntryDelayMinutes: median,
    correctionsAfterWindow: monthCorrections.length,
    correctionsApproved: monthCorrections.filter((c) => c.status === 'APPROVED').length,
    activeMarks: active.length,
    studentSubjectPairs: pairs.size,
    marksPerStudentPerSubject: ratio(active.length, pairs.size, 2),
    numericMarks: numeric.length,
    averageMark: ratio(sum, numeric.length, 2),
    markQualityShare: ratio(numeric.filter((v) => v >= 4).length, numeric.length, 4),
    markSuccessShare: ratio(numeric.filter((v) => v >= 3).length, numeric.length, 4),
  };
}

describe('School.monthlyFigures', () => {
  it('before any entry: held lessons are counted, shares of entries are 0, marks figures are null', async () => {
    const data = await ok(figures('analyst'));
    const got = data._entities[0].monthlyFigures;
    expect(got).toEqual(await recompute(month));
    expect(got.heldLessons).toBeGreaterThan(0);
    expect(got.shareWithTopic).toBe(0);
    expect(got.averageMark).toBeNull();
    expect(got.shareMarksSameDay).toBeNull();
  });

  it('matches every figure recomputed from the raw tables after a month of entries', async () => {
    await fillMonth();
    const got = (await ok(figures('analyst')))._entities[0].monthlyFigures;
    const expected = await recompute(month);
    expect(got).toEqual(expected);
    // The data really exercises the figures (not all zeros or nulls).
    expect(got.lessonsWithTopic).toBeGreaterThan(0);
    expect(got.lessonsWithAttendanceTaken).toBeGreaterThan(got.lessonsWithTopic - 1);
    expect(got.marksSameDay).toBeGreaterThan(0);
    expect(got.marksSameDay).toBeLessThan(got.marksEntered);
    expect(got.absencesSameDay).toBeGreaterThan(0);
    expect(got.homeworkWithinHour).toBeGreaterThan(0);
    expect(got.averageMark).not.toBeNull();
    expect(got.markQualityShare).toBeGreaterThan(0);
    expect(got.markSuccessShare).toBeLessThan(1);
    for (const share of [
      'shareWithTopic',
      'shareWithAttendanceTaken',
      'shareMarksSameDay',
      'shareAbsencesSameDay',
      'shareHomeworkWithinHour',
      'markQualityShare',
      'markSuccessShare',
    ]) {
      if (got[share] !== null) {
        expect(got[share]).toBeGreaterThanOrEqual(0);
        expect(got[share]).toBeLessThanOrEqual(1);
      }
    }
    // The current month (corrections are counted by when they were requested).
    const current = w.dates.today.slice(0, 7);
    expect((await ok(figures('analyst', current)))._entities[0].monthlyFigures).toEqual(await recompute(current));
  });

  it('is open to district analysts and admins and the school’s deputy and director; teachers and parents are refused', async () => {
    for (const user of ['analyst', 'district.admin', 's001.deputy', 's001.director']) {
      const answer = await figures(user);
      expect({ user, errors: answer.errors }).toEqual({ user, errors: undefined });
      expect(answer.data!._entities[0].monthlyFigures.month).toBe(month);
    }
    for (const user of ['s001.teacher', 's001.parent', 's001.student']) {
      expect({ user, codes: codes(await figures(user)) }).toEqual({ user, codes: ['FORBIDDEN'] });
    }
  });

  it('answers null for another school’s id', async () => {
    const data = await ok(figures('analyst', month, 's002'));
    expect(data._entities[0]).toEqual({ id: 's002', monthlyFigures: null });
  });

  it('refuses a future or malformed month with BAD_USER_INPUT', async () => {
    const next = w.dates.shift(`${w.dates.today.slice(0, 7)}-28`, 7).slice(0, 7);
    for (const m of [next, '2030-01', '2026-13', '2026-1', 'ноябрь', '']) {
      expect({ m, codes: codes(await figures('analyst', m)) }).toEqual({ m, codes: ['BAD_USER_INPUT'] });
    }
  });

  it('uses a constant number of SQL statements however much data the month holds', async () => {
    const measure = async () => {
      w.journal.sql.reset();
      await ok(figures('analyst'));
      return w.journal.sql.count;
    };
    const before = await measure();
    // More entries: marks for every held maths lesson of the month.
    for (const lesson of await mathsLessons()) {
      await ok(
        w.gql(TEACHER, ENTER_MARKS, {
          lesson: lesson.id,
          key: key(),
          marks: [0, 1, 2, 3].map((i) => ({ studentId: student(i), value: String(2 + i), controlForm: 'ORAL' })),
        }),
      );
    }
    const after = await measure();
    expect(before).toBe(2);
    expect(after).toBe(before);
    expect((await ok(figures('analyst')))._entities[0].monthlyFigures).toEqual(await recompute(month));
  });
});
