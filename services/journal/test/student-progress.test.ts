import { randomUUID } from 'node:crypto';
import { Staff } from '@district/people';
import { AcademicYear, ScheduleSeed, type TeachingAssignment } from '@district/schedule';
import { codes, PERSON, startJournalWorld, type GraphQLAnswer, type JournalWorld } from './journal-test-world';

/**
 * A student's progress over a period (studentProgress, Student.progress):
 * what the diary shows, gathered by subject. The world: 5А (the demo
 * student, whose parent is s001.parent) has maths (s001.teacher) and Russian
 * (another teacher) every school day, here also English in two split groups
 * on Wednesdays (group 1 with the demo student, group 2 without). Marks,
 * attendance and term grades are entered through the API where a login may
 * enter them, written into the tables otherwise; every expectation is worked
 * out by hand and, where it is a count or an average, again from the raw
 * tables.
 */
let w: JournalWorld;
let english: { group1: TeachingAssignment; group2: TeachingAssignment };

const key = () => `k-${randomUUID()}`;
const weekday = (iso: string) => new Date(`${iso}T00:00:00Z`).getUTCDay();
/** The date itself, or the Saturday before it when it is a Sunday. */
const schoolDay = (iso: string) => (weekday(iso) === 0 ? w.dates.shift(iso, -1) : iso);
const mondayOf = (iso: string) => w.dates.shift(iso, -((weekday(iso) + 6) % 7));

const d = {} as {
  /** The period of the main case: in the closed term, to yesterday. */
  from: string;
  to: string;
  inClosedTerm: string;
  beforePeriod: string;
  cancelled: string;
  withdrawnAbsence: string;
  /** Wednesday of the week of `w.dates.old`: the English lesson. */
  englishDay: string;
};

async function lessonId(assignment: TeachingAssignment, date: string): Promise<number> {
  const [row] = await w.sql<{ id: number }>(`select id from schedule.lesson where teaching_assignment_id = ? and date = ?`, [assignment.id, date]);
  if (!row) throw new Error(`no lesson of assignment ${assignment.id} on ${date}`);
  return row.id;
}

/** A mark written straight into the table (another teacher's lesson, a closed term, a withdrawn or a custom-weight mark). */
async function markRow(
  assignment: TeachingAssignment,
  date: string,
  student: number,
  value: string,
  form: string,
  options: { weight?: number; status?: 'ACTIVE' | 'WITHDRAWN'; comment?: string } = {},
): Promise<void> {
  await w.sql(
    `insert into journal.mark (lesson_id, student_id, value, control_form_id, weight, comment, status, lesson_date, entered_by, entered_at, delay_minutes, updated_at)
     select ?, ?, ?, f.id, coalesce(?::numeric, f.weight), ?, ?, ?::date, ?::uuid, now(), 0, now() from journal.control_form f where f.code = ?`,
    [await lessonId(assignment, date), student, value, options.weight ?? null, options.comment ?? null, options.status ?? 'ACTIVE', date, PERSON.teacher, form],
  );
}

async function absenceRow(assignment: TeachingAssignment, date: string, student: number, code: string, status = 'ACTIVE'): Promise<void> {
  await w.sql(
    `insert into journal.attendance (lesson_id, student_id, code, status, lesson_date, entered_by, entered_at, delay_minutes, updated_at)
     values (?, ?, ?, ?, ?::date, ?::uuid, now(), 0, now())`,
    [await lessonId(assignment, date), student, code, status, date, PERSON.teacher],
  );
}

async function termGradeRow(termName: string, subject: string, student: number, value: string): Promise<void> {
  await w.sql(
    `insert into journal.term_grade (term_id, student_id, subject_id, value, set_by, set_at)
     select t.id, ?, s.id, ?, ?::uuid, now() from schedule.term t, schedule.subject s where t.name = ? and s.name = ?`,
    [student, value, PERSON.teacher, termName, subject],
  );
}

async function ok(answer: Promise<GraphQLAnswer>): Promise<Record<string, any>> {
  const a = await answer;
  expect(a.errors).toBeUndefined();
  return a.data!;
}

beforeAll(async () => {
  w = await startJournalWorld();
  const petrov = w.ids.petrov;
  const [abramova, gusev, novikova] = w.ids.classmates as [number, number, number];
  Object.assign(d, {
    from: w.dates.shift(w.dates.today, -45),
    to: w.dates.shift(w.dates.today, -1),
    inClosedTerm: schoolDay(w.dates.shift(w.dates.today, -43)),
    beforePeriod: schoolDay(w.dates.shift(w.dates.today, -50)),
    cancelled: schoolDay(w.dates.shift(w.dates.today, -30)),
    withdrawnAbsence: schoolDay(w.dates.shift(w.dates.today, -20)),
    englishDay: w.dates.shift(mondayOf(w.dates.old), 2),
  });

  // English in two split groups of 5А on Wednesdays, taught by the demo teacher; lessons of the open term.
  const seed = new ScheduleSeed(w.schedule.em());
  const year = await w.schedule.em().findOneOrFail(AcademicYear, { id: { $gt: 0 } });
  const subjects = await seed.subjects();
  const teacher = await w.people.em().findOneOrFail(Staff, { personId: PERSON.teacher });
  const group = (groupName: string, studentIds: number[]) =>
    seed.assignment({ year, classGroupId: w.ids.class5A, teacherStaffId: teacher.id, subject: subjects['Английский язык']!, groupName, studentIds });
  english = { group1: await group('1 группа', [petrov, abramova]), group2: await group('2 группа', [gusev, novikova]) };
  await seed.weekly(english.group1, [{ weekday: 3, period: 3, room: '210' }]);
  await seed.weekly(english.group2, [{ weekday: 3, period: 4, room: '211' }]);
  const [term] = await w.sql<{ id: number }>(`select id from schedule.term where name = 'Текущая четверть'`);
  await seed.generate(term!.id);

  // Maths, through the API where the term is open: the demo teacher's lessons.
  const enter = async (date: string, marks: { student: number; value: string; form: string; comment?: string }[]) =>
    ok(
      w.gql(
        's001.teacher',
        `mutation($l: ID!, $m: [MarkInput!]!, $k: String!) { enterMarks(lessonId: $l, marks: $m, idempotencyKey: $k) { id version value } }`,
        {
          l: await w.lesson(w.maths, date),
          k: key(),
          m: marks.map((m) => ({ studentId: w.id('Student', m.student), value: m.value, controlForm: m.form, comment: m.comment ?? null })),
        },
      ),
    ).then((data) => data.enterMarks as { id: string; version: number; value: string }[]);
  await enter(w.dates.old, [
    { student: petrov, value: '3', form: 'INDEPENDENT', comment: 'Ошибка в задаче 2' },
    { student: abramova, value: '5', form: 'TEST' },
  ]);
  const recentMarks = await enter(w.dates.recent, [
    { student: petrov, value: '4', form: 'ORAL' },
    { student: petrov, value: '5', form: 'TEST' },
  ]);
  const withdrawn = recentMarks.find((m) => m.value === '5');
  const outcome = await ok(
    w.gql(
      's001.teacher',
      `mutation($id: ID!, $v: Int!, $k: String!) { withdrawMark(id: $id, version: $v, reason: "Выставлена не тому ученику", idempotencyKey: $k) { applied } }`,
      { id: withdrawn!.id, v: withdrawn!.version, k: key() },
    ),
  );
  expect(outcome.withdrawMark.applied).toBe(true);
  // Maths of the closed term, an older withdrawn mark, and a mark before the period.
  await markRow(w.maths, d.inClosedTerm, petrov, '5', 'ORAL');
  await markRow(w.maths, d.inClosedTerm, petrov, '4', 'TEST');
  await markRow(w.maths, w.dates.old, petrov, '2', 'HOMEWORK');
  await markRow(w.maths, w.dates.old, petrov, '2', 'TEST', { status: 'WITHDRAWN' });
  await markRow(w.maths, d.beforePeriod, petrov, '2', 'TEST');
  // Russian (another teacher's lessons), one with a weight of its own; a classmate's marks.
  await markRow(w.russian, d.inClosedTerm, petrov, '4', 'TEST');
  await markRow(w.russian, w.dates.old, petrov, '4', 'DICTATION', { comment: 'Две ошибки' });
  await markRow(w.russian, w.dates.old, petrov, '3', 'ORAL');
  await markRow(w.russian, w.dates.recent, petrov, '5', 'CHECK', { weight: 2.5 });
  await markRow(w.russian, w.dates.recent, petrov, '3', 'HOMEWORK');
  await markRow(w.russian, w.dates.recent, abramova, '2', 'TEST');
  // English: a зачёт only, so no average.
  await markRow(english.group1, d.englishDay, petrov, 'PASS', 'CREDIT');
  await markRow(english.group2, d.englishDay, gusev, '5', 'ORAL');

  // Attendance: Н and ОП through the API, the rest in the table.
  for (const [date, code] of [
    [w.dates.old, 'ABSENT'],
    [w.dates.recent, 'LATE'],
  ] as const) {
    await ok(
      w.gql(
        's001.teacher',
        `mutation($l: ID!, $s: ID!, $k: String!) { enterAttendance(lessonId: $l, entries: [{ studentId: $s, code: ${code} }], idempotencyKey: $k) { id } }`,
        {
          l: await w.lesson(w.maths, date),
          s: w.id('Student', petrov),
          k: key(),
        },
      ),
    );
  }
  await absenceRow(w.russian, w.dates.old, petrov, 'ILL');
  await absenceRow(w.russian, d.inClosedTerm, petrov, 'ILL');
  await absenceRow(w.russian, w.dates.recent, petrov, 'EXCUSED');
  await absenceRow(w.russian, d.withdrawnAbsence, petrov, 'ABSENT', 'WITHDRAWN');
  await absenceRow(w.maths, d.beforePeriod, petrov, 'ILL');
  await absenceRow(w.russian, w.dates.old, abramova, 'ABSENT');
  // A lesson cancelled after an absence was noted: neither a lesson held nor an absence.
  await absenceRow(w.maths, d.cancelled, petrov, 'ABSENT');
  await w.sql(`update schedule.lesson set status = 'CANCELLED' where id = ?`, [await lessonId(w.maths, d.cancelled)]);

  await termGradeRow('Прошлая четверть', 'Русский язык', petrov, 'NOT_ASSESSED');
  await termGradeRow('Прошлая четверть', 'Математика', petrov, '4');
  await termGradeRow('Текущая четверть', 'Математика', petrov, '5');
  await termGradeRow('Прошлая четверть', 'Математика', abramova, '5');

  // The school changes a weight afterwards: marks keep the weight they were given with.
  await w.sql(`update journal.control_form set weight = 4 where code = 'TEST'`);
});
afterAll(async () => {
  await w?.close();
});

const FIELDS = `studentId from to
  subjects { subject marksCount average marks { date value controlForm weight comment } }
  attendance { lessons absent sick excused late }
  termGrades { term subject grade }`;
const PROGRESS = `query($s: ID!, $from: String!, $to: String!) { studentProgress(studentId: $s, from: $from, to: $to) { ${FIELDS} } }`;
const ENTITY = `query($r: [_Any!]!, $from: String!, $to: String!) { _entities(representations: $r) { ... on Student { progress(from: $from, to: $to) { ${FIELDS} } } } }`;

const progress = (user: string, student: number, from = d.from, to = d.to) => w.gql(user, PROGRESS, { s: w.id('Student', student), from, to });

type Mark = { date: string; value: string; controlForm: string; weight: number; comment: string | null };
type Progress = {
  studentId: string;
  subjects: { subject: string; marksCount: number; average: number | null; marks: Mark[] }[];
  attendance: Record<string, number>;
  termGrades: { term: string; subject: string; grade: string }[];
};

describe('a student’s progress over a period', () => {
  it('lists the period’s current marks by subject with forms and weights, the weighted averages, attendance and term grades', async () => {
    const answer = (await ok(progress('s001.parent', w.ids.petrov))).studentProgress as Progress;
    const mark = (date: string, value: string, controlForm: string, weight: number, comment: string | null = null): Mark => ({
      date,
      value,
      controlForm,
      weight,
      comment,
    });
    expect(answer).toEqual({
      studentId: w.id('Student', w.ids.petrov),
      from: d.from,
      to: d.to,
      subjects: [
        // Only a зачёт: counted, but no average.
        { subject: 'Английский язык', marksCount: 1, average: null, marks: [mark(d.englishDay, 'PASS', 'Зачёт', 1)] },
        {
          subject: 'Математика',
          marksCount: 5,
          // (5×1 + 4×3 + 3×2 + 2×1 + 4×1) / (1 + 3 + 2 + 1 + 1) = 29 / 8 = 3.625 → 3.63 (half up); the withdrawn 5 and 2 do not count.
          average: 3.63,
          marks: [
            mark(d.inClosedTerm, '5', 'Ответ на уроке', 1),
            mark(d.inClosedTerm, '4', 'Контрольная работа', 3),
            mark(w.dates.old, '3', 'Самостоятельная работа', 2, 'Ошибка в задаче 2'),
            mark(w.dates.old, '2', 'Домашняя работа', 1),
            mark(w.dates.recent, '4', 'Ответ на уроке', 1),
          ],
        },
        {
          subject: 'Русский язык',
          marksCount: 5,
          // (4×3 + 4×2 + 3×1 + 5×2.5 + 3×1) / (3 + 2 + 1 + 2.5 + 1) = 38.5 / 9.5 = 4.0526… → 4.05
          average: 4.05,
          marks: [
            mark(d.inClosedTerm, '4', 'Контрольная работа', 3),
            mark(w.dates.old, '4', 'Диктант', 2, 'Две ошибки'),
            mark(w.dates.old, '3', 'Ответ на уроке', 1),
            mark(w.dates.recent, '5', 'Проверочная работа', 2.5),
            mark(w.dates.recent, '3', 'Домашняя работа', 1),
          ],
        },
      ],
      attendance: { lessons: expect.any(Number), absent: 1, sick: 2, excused: 1, late: 1 },
      termGrades: [
        { term: 'Прошлая четверть', subject: 'Математика', grade: '4' },
        { term: 'Прошлая четверть', subject: 'Русский язык', grade: 'NOT_ASSESSED' },
        { term: 'Текущая четверть', subject: 'Математика', grade: '5' },
      ],
    });
  });

  it('agrees with the raw tables: marks, averages (numeric arithmetic in PostgreSQL), held lessons and absences', async () => {
    const answer = (await ok(progress('s001.student', w.ids.petrov))).studentProgress as Progress;
    const params = [w.ids.petrov, d.from, d.to];
    const marks = await w.sql<{ subject: string } & Mark>(
      `select s.name as subject, m.lesson_date::text as date, m.value, f.name as "controlForm", m.weight::float8 as weight, m.comment
       from journal.mark m join schedule.lesson l on l.id = m.lesson_id join schedule.teaching_assignment ta on ta.id = l.teaching_assignment_id
       join schedule.subject s on s.id = ta.subject_id join journal.control_form f on f.id = m.control_form_id
       where m.student_id = ? and m.status = 'ACTIVE' and m.lesson_date between ?::date and ?::date order by m.lesson_date, l.period, m.id`,
      params,
    );
    const averages = await w.sql<{ subject: string; average: string | null }>(
      `select s.name as subject, round(sum(m.value::int * m.weight) filter (where m.value ~ '^[1-5]$') / nullif(sum(m.weight) filter (where m.value ~ '^[1-5]$'), 0), 2)::text as average
       from journal.mark m join schedule.lesson l on l.id = m.lesson_id join schedule.teaching_assignment ta on ta.id = l.teaching_assignment_id
       join schedule.subject s on s.id = ta.subject_id
       where m.student_id = ? and m.status = 'ACTIVE' and m.lesson_date between ?::date and ?::date group by s.name`,
      params,
    );
    expect(answer.subjects.flatMap((s) => s.marks.map((m) => ({ subject: s.subject, ...m })))).toEqual(
      [...marks].sort((a, b) => a.subject.localeCompare(b.subject, 'ru')).map((m) => ({ ...m, weight: Number(m.weight) })),
    );
    expect(Object.fromEntries(answer.subjects.map((s) => [s.subject, s.average]))).toEqual(
      Object.fromEntries(averages.map((a) => [a.subject, a.average === null ? null : Number(a.average)])),
    );

    // Held lessons: every scheduled lesson of the class, or of a group the student is in, up to yesterday.
    const [held] = await w.sql<{ n: string; cancelled: string }>(
      `select count(*) filter (where l.status = 'SCHEDULED') as n, count(*) filter (where l.status = 'CANCELLED') as cancelled
       from schedule.lesson l join schedule.teaching_assignment ta on ta.id = l.teaching_assignment_id
       where ta.class_group_id = ? and l.date between ?::date and ?::date
         and exists (select 1 from people.enrollment e where e.student_id = ? and e.class_group_id = ta.class_group_id
                       and e.start_date <= l.date and (e.end_date is null or e.end_date >= l.date))
         and (ta.group_name is null or exists (select 1 from schedule.assignment_student s where s.teaching_assignment_id = ta.id and s.student_id = ?))`,
      [w.ids.class5A, d.from, d.to, w.ids.petrov, w.ids.petrov],
    );
    expect(Number(held!.cancelled)).toBe(1);
    expect(Number(held!.n)).toBeGreaterThan(60);
    const absences = await w.sql<{ code: string; n: string }>(
      `select a.code, count(*) as n from journal.attendance a join schedule.lesson l on l.id = a.lesson_id
       where a.student_id = ? and a.status = 'ACTIVE' and l.status = 'SCHEDULED' and l.date between ?::date and ?::date group by a.code`,
      params,
    );
    const count = (code: string) => Number(absences.find((a) => a.code === code)?.n ?? 0);
    expect(answer.attendance).toEqual({
      lessons: Number(held!.n),
      absent: count('ABSENT'),
      sick: count('ILL'),
      excused: count('EXCUSED'),
      late: count('LATE'),
    });
  });

  it('gives the student, their parent, their class teacher and the deputy the same answer, also as Student.progress', async () => {
    const answers = await Promise.all(
      ['s001.parent', 's001.student', 's001.teacher', 's001.deputy'].map(async (user) => (await ok(progress(user, w.ids.petrov))).studentProgress),
    );
    for (const other of answers.slice(1)) expect(other).toEqual(answers[0]);
    const entity = await ok(w.gql('s001.parent', ENTITY, { r: [{ __typename: 'Student', id: w.id('Student', w.ids.petrov) }], from: d.from, to: d.to }));
    expect(entity._entities[0].progress).toEqual(answers[0]);
  });

  it('lists only the terms that overlap the period, and held lessons only up to now', async () => {
    const fromCurrentTerm = w.dates.shift(w.dates.today, -30);
    const current = (await ok(progress('s001.parent', w.ids.petrov, fromCurrentTerm, w.dates.shift(w.dates.today, 20)))).studentProgress as Progress;
    expect(current.termGrades).toEqual([{ term: 'Текущая четверть', subject: 'Математика', grade: '5' }]);
    // Lessons to come are not held; today's count only once started, so the count lies between yesterday's and today's.
    const untilYesterday = (await ok(progress('s001.parent', w.ids.petrov, fromCurrentTerm, d.to))).studentProgress as Progress;
    const untilToday = (await ok(progress('s001.parent', w.ids.petrov, fromCurrentTerm, w.dates.today))).studentProgress as Progress;
    const [today] = await w.sql<{ n: string }>(
      `select count(*) as n from schedule.lesson_facts f join schedule.lesson_students ls on ls.lesson_id = f.lesson_id
       where ls.student_id = ? and f.date = ?::date and f.status = 'SCHEDULED'`,
      [w.ids.petrov, w.dates.today],
    );
    expect(current.attendance.lessons).toBe(untilToday.attendance.lessons);
    expect(untilToday.attendance.lessons).toBeGreaterThanOrEqual(untilYesterday.attendance.lessons);
    expect(untilToday.attendance.lessons).toBeLessThanOrEqual(untilYesterday.attendance.lessons + Number(today!.n));
    // The closed term's marks and absences are outside this period.
    expect(current.subjects.find((s) => s.subject === 'Математика')!.marks.map((m) => m.value)).toEqual(['3', '2', '4']);
    expect(current.attendance).toMatchObject({ absent: 1, sick: 1, excused: 1, late: 1 });
  });

  it('shows for one week exactly the marks the diary lists for that week', async () => {
    const monday = mondayOf(w.dates.old);
    const sunday = w.dates.shift(monday, 6);
    const diary = await ok(
      w.gql(
        's001.parent',
        `query($s: ID!, $w: String!) { diary(studentId: $s, weekStart: $w) { days { date lessons { subject marks { value controlForm weight comment } } } } }`,
        { s: w.id('Student', w.ids.petrov), w: monday },
      ),
    );
    // The diary names a group's lesson "Subject (group)"; progress gathers by subject.
    const fromDiary = new Map<string, Mark[]>();
    for (const day of diary.diary.days as { date: string; lessons: { subject: string; marks: Omit<Mark, 'date'>[] }[] }[]) {
      for (const lesson of day.lessons) {
        const subject = lesson.subject.replace(/ \([^)]*\)$/, '');
        fromDiary.set(subject, [...(fromDiary.get(subject) ?? []), ...lesson.marks.map((m) => ({ date: day.date, ...m }))]);
      }
    }
    const week = (await ok(progress('s001.parent', w.ids.petrov, monday, sunday))).studentProgress as Progress;
    expect(new Map(week.subjects.map((s) => [s.subject, s.marks]))).toEqual(fromDiary);
    // The week holds marks of all three subjects, a group lesson's among them.
    expect(week.subjects.map((s) => [s.subject, s.marksCount])).toEqual([
      ['Английский язык', 1],
      ['Математика', 2],
      ['Русский язык', 2],
    ]);
  });
});

describe('who may read it: the diary’s readers', () => {
  it.each([
    ['s001.parent', 'another child of the school (a classmate)', 'classmate'],
    ['s001.student', 'a classmate', 'classmate'],
    ['s001.student', 'a student of another class (6Б)', 'stranger'],
    ['s001.teacher', 'a student they neither teach nor lead (6Б)', 'stranger'],
    ['parent.multi', 'a parent of the district, not this child’s', 'petrov'],
    ['analyst', 'the district analyst', 'petrov'],
  ] as const)('%s reading %s: FORBIDDEN, as for the diary', async (user, _who, student) => {
    const id = student === 'classmate' ? w.ids.classmates[0]! : student === 'stranger' ? w.ids.stranger : w.ids.petrov;
    const answer = await progress(user, id);
    expect({ codes: codes(answer), data: answer.data ?? null }).toEqual({ codes: ['FORBIDDEN'], data: null });
    const entity = await w.gql(user, ENTITY, { r: [{ __typename: 'Student', id: w.id('Student', id) }], from: d.from, to: d.to });
    expect({ codes: codes(entity), progress: entity.data?._entities?.[0]?.progress ?? null }).toEqual({ codes: ['FORBIDDEN'], progress: null });
    const diary = await w.gql(user, `query($s: ID!, $w: String!) { diary(studentId: $s, weekStart: $w) { weekStart } }`, { s: w.id('Student', id), w: d.to });
    expect(codes(diary)).toEqual(['FORBIDDEN']);
  });

  it.each(['s002.parent', 's002.director'])('%s (another school) is refused before any field runs (403), as for the diary', async (user) => {
    const answer = await progress(user, w.ids.petrov);
    expect({ status: answer.status, codes: codes(answer), data: answer.data ?? null }).toEqual({ status: 403, codes: ['FORBIDDEN'], data: null });
  });

  it('refuses a viewer who may not read the student before looking at the period', async () => {
    expect(codes(await progress('s001.student', w.ids.classmates[0]!, 'вчера', '2026-13-01'))).toEqual(['FORBIDDEN']);
  });
});

describe('the period', () => {
  it.each([
    ['not a date', '2026-13-01', '2026-12-01', ['from']],
    ['a Russian date instead of YYYY-MM-DD', '01.11.2026', '2026-12-01', ['from']],
    ['the end before the start', '2026-12-01', '2026-11-30', ['to']],
    ['longer than 366 days', '2026-01-01', '2027-01-02', ['to']],
    ['both wrong', '', '2026-02-30', ['from', 'to']],
  ])('%s → BAD_USER_INPUT naming the field, in Russian', async (_case, from, to, fields) => {
    const answer = await progress('s001.parent', w.ids.petrov, from, to);
    expect(codes(answer)).toEqual(['BAD_USER_INPUT']);
    const error = answer.errors![0]!;
    expect((error.extensions!.problems as { field: string }[]).map((p) => p.field)).toEqual(fields);
    expect(error.message).toMatch(/^Период указан неверно: [А-ЯЁ]/);
  });

  it('takes 366 days (inclusive) and one day', async () => {
    const long = await ok(progress('s001.parent', w.ids.petrov, '2026-01-01', '2027-01-01'));
    expect([long.studentProgress.from, long.studentProgress.to]).toEqual(['2026-01-01', '2027-01-01']);
    const day = await ok(progress('s001.parent', w.ids.petrov, w.dates.recent, w.dates.recent));
    expect(day.studentProgress.subjects.find((s: { subject: string }) => s.subject === 'Математика').marks).toHaveLength(1);
  });
});

describe('cost', () => {
  it('is one statement to read, plus the diary’s one to decide access, whatever the period’s length', async () => {
    const measure = async (user: string, from: string, to: string) => {
      await w.gql(user, `{ __typename }`);
      w.journal.sql.reset();
      const answer = await progress(user, w.ids.petrov, from, to);
      expect(answer.errors).toBeUndefined();
      const marks = (answer.data!.studentProgress as Progress).subjects.reduce((n, s) => n + s.marksCount, 0);
      return { statements: w.journal.sql.count, marks };
    };
    const week = await measure('s001.parent', mondayOf(w.dates.recent), w.dates.shift(mondayOf(w.dates.recent), 6));
    const year = await measure('s001.parent', w.dates.shift(w.dates.today, -300), w.dates.shift(w.dates.today, 65));
    expect(year.marks).toBeGreaterThan(week.marks);
    expect([week.statements, year.statements]).toEqual([2, 2]);
    // The school's deputy reads every diary without asking the database.
    expect((await measure('s001.deputy', w.dates.shift(w.dates.today, -300), w.dates.shift(w.dates.today, 65))).statements).toBe(1);
  });
});
