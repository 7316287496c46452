import { randomUUID } from 'node:crypto';
import { codes, startJournalWorld, type JournalWorld } from './journal-test-world';

/**
 * School control: the journal's fill state by class group and subject (same
 * definitions as the monthly figures, recomputed here from the raw tables) and
 * what a correction request is about.
 */
let w: JournalWorld;
let from: string;
let to: string;
beforeAll(async () => {
  w = await startJournalWorld();
  // The last two weeks up to today: lessons inside and outside the edit window, some not yet started today.
  to = w.dates.today;
  from = w.dates.shift(to, -13);
});
afterAll(async () => {
  await w?.close();
});

const TEACHER = 's001.teacher';
const key = () => `k-${randomUUID()}`;
const localId = (globalId: string) => Number(Buffer.from(globalId, 'base64url').toString().split(':')[2]);
const student = (i: number) => w.id('Student', i === 0 ? w.ids.petrov : w.ids.classmates[i - 1]!);

const FILL = `query($s: ID!, $from: String!, $to: String!) { journalFill(schoolId: $s, from: $from, to: $to) {
  classGroupId className yearOfStudy subjectId subjectName heldLessons withoutTopic withoutAttendance withoutHomework entries lateEntries } }`;
const ENTER_MARKS = `mutation($lesson: ID!, $marks: [MarkInput!]!, $key: String!) { enterMarks(lessonId: $lesson, marks: $marks, idempotencyKey: $key) { id version } }`;
const ENTER_ATTENDANCE = `mutation($lesson: ID!, $entries: [AttendanceInput!]!, $key: String!) { enterAttendance(lessonId: $lesson, entries: $entries, idempotencyKey: $key) { id version } }`;
const SET_RECORD = `mutation($lesson: ID!, $topic: String, $homework: String, $key: String!) { setLessonRecord(lessonId: $lesson, topic: $topic, homework: $homework, idempotencyKey: $key) { version } }`;

async function ok<T = any>(promise: Promise<{ data?: any; errors?: unknown }>): Promise<T> {
  const answer = await promise;
  expect(answer.errors).toBeUndefined();
  return answer.data as T;
}

const fill = (user: string, f = from, t = to) => w.gql(user, FILL, { s: 's001', from: f, to: t });

/** Held maths lessons of the period, newest first, with whether their edit window is still open. */
async function mathsLessons(): Promise<{ id: string; windowOpen: boolean }[]> {
  const rows = await w.sql<{ id: number; window_open: boolean }>(
    `select l.id, now() < ((l.date + 1 + s.edit_window_days + time '00:00') at time zone s.timezone) as window_open
     from schedule.lesson l cross join journal.settings s
     where l.teaching_assignment_id = ? and l.status = 'SCHEDULED' and l.date between ?::date and ?::date
       and ((l.date + l.start_time) at time zone s.timezone) <= now() - interval '2 hours'
     order by l.date desc`,
    [w.maths.id, from, to],
  );
  return rows.map((r) => ({ id: w.id('Lesson', Number(r.id)), windowOpen: Boolean(r.window_open) }));
}

/** The fill state recomputed from the raw tables (not the published views the service reads). */
async function recompute(f: string, t: string) {
  const [settings] = await w.sql<{ timezone: string }>(`select timezone from journal.settings`);
  const tz = settings!.timezone;
  const lessons = await w.sql<{ id: number; date: string; class_group_id: number; subject_id: number; subject: string }>(
    `select l.id, l.date::text as date, ta.class_group_id, ta.subject_id, sub.name as subject
     from schedule.lesson l join schedule.teaching_assignment ta on ta.id = l.teaching_assignment_id join schedule.subject sub on sub.id = ta.subject_id
     where l.status = 'SCHEDULED' and l.date between ?::date and ?::date and ((l.date + l.start_time) at time zone ?) <= now()`,
    [f, t, tz],
  );
  const classes = new Map(
    (await w.sql<{ id: number; name: string; year_of_study: number }>(`select id, name, year_of_study from people.class_group`)).map((c) => [Number(c.id), c]),
  );
  const entries = [
    ...(await w.sql<{ lesson_id: number; day: string }>(`select lesson_id, to_char(entered_at at time zone ?, 'YYYY-MM-DD') as day from journal.mark`, [tz])),
    ...(await w.sql<{ lesson_id: number; day: string }>(`select lesson_id, to_char(entered_at at time zone ?, 'YYYY-MM-DD') as day from journal.attendance`, [
      tz,
    ])),
  ];
  const records = new Map(
    (
      await w.sql<{ lesson_id: number; topic: string | null; homework: string | null; homework_attachments: string[] }>(
        `select lesson_id, topic, homework, homework_attachments from journal.lesson_record`,
      )
    ).map((r) => [Number(r.lesson_id), r]),
  );
  const rows = new Map<string, any>();
  for (const l of lessons) {
    const k = `${l.class_group_id}/${l.subject_id}`;
    const cg = classes.get(Number(l.class_group_id))!;
    const row = rows.get(k) ?? {
      classGroupId: w.id('ClassGroup', Number(l.class_group_id)),
      className: cg.name,
      yearOfStudy: Number(cg.year_of_study),
      subjectId: w.id('Subject', Number(l.subject_id)),
      subjectName: l.subject,
      heldLessons: 0,
      withoutTopic: 0,
      withoutAttendance: 0,
      withoutHomework: 0,
      entries: 0,
      lateEntries: 0,
    };
    rows.set(k, row);
    const own = entries.filter((e) => Number(e.lesson_id) === Number(l.id));
    const r = records.get(Number(l.id));
    row.heldLessons += 1;
    if (!(r?.topic ?? '').trim()) row.withoutTopic += 1;
    if (own.length === 0) row.withoutAttendance += 1;
    if (!(r?.homework ?? '').trim() && (r?.homework_attachments ?? []).length === 0) row.withoutHomework += 1;
    row.entries += own.length;
    row.lateEntries += own.filter((e) => e.day !== l.date).length;
  }
  return [...rows.values()].sort(
    (a, b) => a.yearOfStudy - b.yearOfStudy || a.className.localeCompare(b.className) || a.subjectName.localeCompare(b.subjectName),
  );
}

describe('journalFill', () => {
  it('before any entry: every held lesson lacks topic, attendance and homework', async () => {
    const rows = (await ok(fill('s001.deputy'))).journalFill;
    expect(rows).toEqual(await recompute(from, to));
    expect(rows.map((r: any) => `${r.className} ${r.subjectName}`)).toEqual(['5А Математика', '5А Русский язык']);
    for (const r of rows) {
      expect(r.heldLessons).toBeGreaterThan(0);
      expect([r.withoutTopic, r.withoutAttendance, r.withoutHomework, r.entries]).toEqual([r.heldLessons, r.heldLessons, r.heldLessons, 0]);
    }
  });

  it('matches the counts recomputed from the raw tables after entries on time and late', async () => {
    const [first, second, third] = await mathsLessons();
    await ok(
      w.gql(TEACHER, ENTER_MARKS, {
        lesson: first!.id,
        key: key(),
        marks: [
          { studentId: student(0), value: '5', controlForm: 'ORAL' },
          { studentId: student(1), value: '4', controlForm: 'TEST' },
        ],
      }),
    );
    await ok(w.gql(TEACHER, ENTER_ATTENDANCE, { lesson: first!.id, key: key(), entries: [{ studentId: student(3), code: 'ILL' }] }));
    await ok(w.gql(TEACHER, SET_RECORD, { lesson: first!.id, key: key(), topic: 'Сложение дробей', homework: '№ 101' }));
    await ok(w.gql(TEACHER, ENTER_ATTENDANCE, { lesson: second!.id, key: key(), entries: [{ studentId: student(2), code: 'LATE' }] }));
    if (third!.windowOpen) await ok(w.gql(TEACHER, SET_RECORD, { lesson: third!.id, key: key(), topic: '   ', homework: 'Повторить' }));
    // One mark entered on the lesson's own day; the others stay late (entered now, after the day).
    await w.sql(
      `update journal.mark m set entered_at = ((m.lesson_date + time '15:00') at time zone s.timezone) from journal.settings s where m.lesson_id = ? and m.value = '5'`,
      [localId(first!.id)],
    );
    const rows = (await ok(fill('s001.director'))).journalFill;
    expect(rows).toEqual(await recompute(from, to));
    const maths = rows.find((r: any) => r.subjectName === 'Математика');
    expect(maths.entries).toBe(4);
    // The mark moved to its lesson's day is on time; the attendance for an earlier lesson, entered now, is late.
    expect(maths.lateEntries).toBeGreaterThan(0);
    expect(maths.lateEntries).toBeLessThan(maths.entries);
    expect(maths.withoutAttendance).toBe(maths.heldLessons - 2);
    expect(maths.withoutTopic).toBe(maths.heldLessons - 1);
  });

  it('takes one SQL statement however many lessons and entries the period holds', async () => {
    const measure = async (f: string) => {
      w.journal.sql.reset();
      await ok(fill('s001.deputy', f, to));
      return w.journal.sql.count;
    };
    const week = await measure(w.dates.shift(to, -6));
    for (const lesson of await mathsLessons()) {
      await ok(
        w.gql(TEACHER, ENTER_MARKS, {
          lesson: lesson.id,
          key: key(),
          marks: [0, 1, 2, 3].map((i) => ({ studentId: student(i), value: String(2 + i), controlForm: 'ORAL' })),
        }),
      );
    }
    const month = await measure(w.dates.shift(to, -40));
    expect(week).toBe(1);
    expect(month).toBe(week);
    expect((await ok(fill('s001.deputy', w.dates.shift(to, -40), to))).journalFill).toEqual(await recompute(w.dates.shift(to, -40), to));
  });

  it('is open to the school’s deputy and director and to district analysts and admins (aggregates); teachers, students and parents are refused', async () => {
    for (const user of ['s001.deputy', 's001.director', 'analyst', 'district.admin']) {
      const answer = await fill(user);
      expect({ user, errors: answer.errors }).toEqual({ user, errors: undefined });
    }
    for (const user of ['s001.teacher', 's001.student', 's001.parent', 's002.deputy']) {
      expect({ user, codes: codes(await fill(user)) }).toEqual({ user, codes: ['FORBIDDEN'] });
    }
  });

  it('refuses a malformed, reversed or too long period with BAD_USER_INPUT naming the field', async () => {
    for (const [f, t, field] of [
      ['2026-13-01', to, 'from'],
      [from, '01.12.2026', 'to'],
      [to, from, 'to'],
      [w.dates.shift(to, -62), to, 'to'],
    ] as const) {
      const answer = await fill('s001.deputy', f, t);
      expect({ f, t, codes: codes(answer) }).toEqual({ f, t, codes: ['BAD_USER_INPUT'] });
      expect((answer.errors as any)[0].extensions.problems.map((p: any) => p.field)).toContain(field);
    }
  });
});

describe('CorrectionRequest.entry', () => {
  it('names the student, lesson, subject, class, current value and the teacher who asked, in one statement for the list', async () => {
    const old = (await mathsLessons()).filter((l) => !l.windowOpen);
    expect(old.length).toBeGreaterThan(1);
    for (const [i, lesson] of old.slice(0, 2).entries()) {
      const mark = (
        await ok(w.gql(TEACHER, ENTER_MARKS, { lesson: lesson.id, key: key(), marks: [{ studentId: student(i), value: '3', controlForm: 'ORAL' }] }))
      ).enterMarks[0];
      await ok(
        w.gql(
          TEACHER,
          `mutation($id: ID!, $v: Int!, $key: String!) { editMark(id: $id, version: $v, change: { value: "4" }, reason: "ошибка при вводе", idempotencyKey: $key) { applied } }`,
          { id: mark.id, v: mark.version, key: key() },
        ),
      );
    }
    const LIST = `{ correctionRequests(schoolId: "s001", status: PENDING) { id targetId entry { student { id } lessonId lessonDate subjectName className currentValue currentStatus requestedBy } } }`;
    w.journal.sql.reset();
    const list = (await ok(w.gql('s001.deputy', LIST))).correctionRequests;
    expect(w.journal.sql.count).toBe(2);
    expect(list).toHaveLength(2);
    const dates = await w.sql<{ id: number; date: string }>(
      `select id, date::text as date from schedule.lesson where id in (?, ?)`,
      old.slice(0, 2).map((l) => localId(l.id)),
    );
    for (const [i, request] of list.entries()) {
      const lesson = old[i]!;
      expect(request.entry).toEqual({
        student: { id: student(i) },
        lessonId: lesson.id,
        lessonDate: dates.find((d) => Number(d.id) === localId(lesson.id))!.date,
        subjectName: 'Математика',
        className: '5А',
        currentValue: '3',
        currentStatus: 'ACTIVE',
        requestedBy: 'Петров Иван',
      });
    }
  });
});
