import { toGlobalId } from '@district/kit';
import { codes, startScheduleWorld, type ScheduleWorld } from './schedule-test-world';

let world: ScheduleWorld;
beforeAll(async () => {
  world = await startScheduleWorld();
  const q1 = world.plan.calendar.quarters[0]!;
  const h1 = world.plan.calendar.halfYears[0]!;
  for (const term of [q1, h1]) {
    const answer = await world.gql('s001.deputy', `mutation($t: ID!) { generateLessons(termId: $t) { created } }`, { t: world.id('Term', term.id) });
    expect(answer.errors).toBeUndefined();
  }
  // Волков takes 6Б maths on Saturday 19.09; Петров takes Лебедева's 5А Russian on Thursday 17.09
  const [sat] = await world.sql<{ id: number }>(`select id from schedule.lesson where teaching_assignment_id = ? and date = '2026-09-19'`, [
    world.plan.maths6B.id,
  ]);
  const [thu] = await world.sql<{ id: number }>(`select id from schedule.lesson where teaching_assignment_id = ? and date = '2026-09-17'`, [
    world.plan.russian5A.id,
  ]);
  const SUB = `mutation($id: ID!, $s: ID!) { substituteLesson(lessonId: $id, substituteStaffId: $s, reason: "замена", version: 1) { version } }`;
  expect((await world.gql('s001.deputy', SUB, { id: world.id('Lesson', sat!.id), s: world.id('Staff', world.roster.volkov) })).errors).toBeUndefined();
  expect((await world.gql('s001.deputy', SUB, { id: world.id('Lesson', thu!.id), s: world.id('Staff', world.roster.petrov) })).errors).toBeUndefined();
});
afterAll(async () => {
  await world?.close();
});

type LessonRow = { date: string; period: number; startTime: string; subject: { name: string }; groupName: string | null; substitute: { id: string } | null };
const WEEK = `query($s: ID!, $w: String!) { studentWeek(studentId: $s, weekStart: $w) { date period startTime subject { name } groupName substitute { id } } }`;
const TIMETABLE = `query($c: ID!, $from: String!, $to: String!) { timetable(schoolId: "s001", classGroupId: $c, from: $from, to: $to) { date period subject { name } groupName room } }`;
const TEACHER = `query($from: String!, $to: String!, $t: ID) { teacherLessons(schoolId: "s001", from: $from, to: $to, teacherId: $t) { date period subject { name } classGroup { id } teacher { id } substitute { id } } }`;
const row = (l: LessonRow) => `${l.date} ${l.period} ${l.subject.name}${l.groupName ? ` (${l.groupName})` : ''}`;

describe('a caller without a valid token', () => {
  it.each([
    ['a root field', `{ subjects(schoolId: "s001") { name } }`, undefined],
    ['_service', `{ _service { sdl } }`, undefined],
    [
      '_entities',
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Subject { name } } }`,
      { r: [{ __typename: 'Subject', id: toGlobalId('Subject', 's001', 1) }] },
    ],
    ['a mutation', `mutation { cancelLesson(lessonId: "x", reason: "x", version: 1) { id } }`, undefined],
  ])('gets 401 UNAUTHENTICATED for %s and no data', async (_what, query, variables) => {
    const before = await world.counts();
    const answer = await world.gql(undefined, query, variables);
    expect(answer.status).toBe(401);
    expect(answer.data).toBeUndefined();
    expect(codes(answer)).toEqual(['UNAUTHENTICATED']);
    expect(await world.counts()).toEqual(before);
  });

  it('with a token, _service answers with the subgraph SDL: Lesson, Subject and Term are entities; ClassGroup and Staff are references', async () => {
    const answer = await world.gql('s001.teacher', `{ _service { sdl } }`);
    const sdl = answer.data!._service.sdl as string;
    expect(sdl).toMatch(/type Lesson\s+@key\(fields: "id"\)/);
    expect(sdl).toMatch(/type Subject\s+@key\(fields: "id"\)/);
    expect(sdl).toMatch(/type Term\s+@key\(fields: "id"\)/);
    expect(sdl).toMatch(/type ClassGroup\s+@key\(fields: "id", resolvable: false\)\s*\{\s*id: ID!\s*\}/);
    expect(sdl).toMatch(/type Staff\s+@key\(fields: "id", resolvable: false\)\s*\{\s*id: ID!\s*\}/);
  });
});

describe('a teacher’s lessons', () => {
  it('s001.teacher (Петров) sees his own week by default: his lessons (one taught by a substitute) and the one he substitutes', async () => {
    const answer = await world.gql('s001.teacher', TEACHER, { from: '2026-09-14', to: '2026-09-20' });
    expect(answer.errors).toBeUndefined();
    const lessons = answer.data!.teacherLessons as {
      date: string;
      period: number;
      subject: { name: string };
      classGroup: { id: string };
      substitute: { id: string } | null;
    }[];
    const c5 = world.id('ClassGroup', world.roster.class5A);
    const c6 = world.id('ClassGroup', world.roster.class6B);
    const c10 = world.id('ClassGroup', world.roster.class10A);
    const volkov = { id: world.id('Staff', world.roster.volkov) };
    const petrov = { id: world.id('Staff', world.roster.petrov) };
    expect(lessons.map((l) => [l.date, l.period, l.subject.name, l.classGroup.id, l.substitute])).toEqual([
      ['2026-09-14', 1, 'Математика', c5, null],
      ['2026-09-14', 2, 'Математика', c6, null],
      ['2026-09-15', 3, 'Алгебра', c10, null],
      ['2026-09-16', 2, 'Математика', c5, null],
      ['2026-09-17', 1, 'Русский язык', c5, petrov],
      ['2026-09-18', 1, 'Математика', c5, null],
      ['2026-09-19', 1, 'Математика', c6, volkov],
    ]);
  });

  it('a deputy names the teacher; Волков’s week is his one substitution', async () => {
    const answer = await world.gql('s001.deputy', TEACHER, { from: '2026-09-14', to: '2026-09-20', t: world.id('Staff', world.roster.volkov) });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.teacherLessons).toEqual([
      {
        date: '2026-09-19',
        period: 1,
        subject: { name: 'Математика' },
        classGroup: { id: world.id('ClassGroup', world.roster.class6B) },
        teacher: { id: world.id('Staff', world.roster.petrov) },
        substitute: { id: world.id('Staff', world.roster.volkov) },
      },
    ]);
  });

  it('a deputy without a staff row asking for “my lessons” gets NOT_FOUND; a parent gets FORBIDDEN, even naming a teacher', async () => {
    expect(codes(await world.gql('s001.deputy', TEACHER, { from: '2026-09-14', to: '2026-09-20' }))).toEqual(['NOT_FOUND']);
    expect(codes(await world.gql('s001.parent', TEACHER, { from: '2026-09-14', to: '2026-09-20' }))).toEqual(['FORBIDDEN']);
    expect(codes(await world.gql('s001.parent', TEACHER, { from: '2026-09-14', to: '2026-09-20', t: world.id('Staff', world.roster.petrov) }))).toEqual([
      'FORBIDDEN',
    ]);
  });
});

describe('a student’s week', () => {
  const week = [
    '2026-09-14 1 Математика',
    '2026-09-14 3 Английский язык (Английский, гр. 1)',
    '2026-09-15 1 Русский язык',
    '2026-09-16 2 Математика',
    '2026-09-17 1 Русский язык',
    '2026-09-17 4 Английский язык (Английский, гр. 1)',
    '2026-09-18 1 Математика',
  ];

  it('s001.student (Смирнов, 5А, English group 1) gets the class’s lessons and only his own group’s', async () => {
    const answer = await world.gql('s001.student', WEEK, { s: world.id('Student', world.roster.smirnov), w: '2026-09-14' });
    expect(answer.errors).toBeUndefined();
    expect((answer.data!.studentWeek as LessonRow[]).map(row)).toEqual(week);
    expect((answer.data!.studentWeek as LessonRow[])[0]!.startTime).toBe('08:30');
  });

  it('any day of the week names the week: s001.parent asks with Thursday and gets the same Monday–Sunday', async () => {
    const answer = await world.gql('s001.parent', WEEK, { s: world.id('Student', world.roster.smirnov), w: '2026-09-17' });
    expect(answer.errors).toBeUndefined();
    expect((answer.data!.studentWeek as LessonRow[]).map(row)).toEqual(week);
  });

  it('s001.parent sees their other child (6Б) with the Saturday lesson and its substitute', async () => {
    const answer = await world.gql('s001.parent', WEEK, { s: world.id('Student', world.roster.smirnova), w: '2026-09-14' });
    expect(answer.errors).toBeUndefined();
    expect((answer.data!.studentWeek as LessonRow[]).map((l) => [row(l), l.substitute])).toEqual([
      ['2026-09-14 1 Русский язык', null],
      ['2026-09-14 2 Математика', null],
      ['2026-09-19 1 Математика', { id: world.id('Staff', world.roster.volkov) }],
    ]);
  });

  it('Гусев, who moved from 5А to 6Б on 1 October, has 5А (group 2) lessons in September and 6Б lessons in October', async () => {
    const sept = await world.gql('s001.deputy', WEEK, { s: world.id('Student', world.roster.gusev), w: '2026-09-28' });
    expect((sept.data!.studentWeek as LessonRow[]).map(row)).toEqual([
      '2026-09-28 1 Математика',
      '2026-09-28 3 Английский язык (Английский, гр. 2)',
      '2026-09-29 1 Русский язык',
      '2026-09-30 2 Математика',
      // not 5А's Thursday (01.10) lessons any more; 6Б's Saturday maths instead
      '2026-10-03 1 Математика',
    ]);
  });

  it('another parent (parent.multi, a parent in s001 too) and a parent of another school get FORBIDDEN', async () => {
    for (const user of ['parent.multi', 's002.parent', 's001.student']) {
      const answer = await world.gql(user, WEEK, { s: world.id('Student', world.roster.smirnova), w: '2026-09-14' });
      expect(answer.data ?? null).toBeNull();
      expect(codes(answer)).toEqual(['FORBIDDEN']);
    }
  });

  it('parent.multi gets their own child’s week (Абрамова, English group 1)', async () => {
    const answer = await world.gql('parent.multi', WEEK, { s: world.id('Student', world.roster.abramova), w: '2026-09-14' });
    expect(answer.errors).toBeUndefined();
    expect((answer.data!.studentWeek as LessonRow[]).map(row)).toEqual(week);
  });

  it('an unknown student is NOT_FOUND for staff, a malformed week is BAD_USER_INPUT', async () => {
    expect(codes(await world.gql('s001.deputy', WEEK, { s: world.id('Student', 99999), w: '2026-09-14' }))).toEqual(['NOT_FOUND']);
    expect(codes(await world.gql('s001.deputy', WEEK, { s: world.id('Student', world.roster.smirnov), w: '31.02.2026' }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('a class timetable', () => {
  it('staff read 5А between two dates, sorted by date then period, both English groups in their slot', async () => {
    const answer = await world.gql('s001.teacher', TIMETABLE, { c: world.id('ClassGroup', world.roster.class5A), from: '2026-09-14', to: '2026-09-15' });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.timetable).toEqual([
      { date: '2026-09-14', period: 1, subject: { name: 'Математика' }, groupName: null, room: '201' },
      { date: '2026-09-14', period: 3, subject: { name: 'Английский язык' }, groupName: 'Английский, гр. 1', room: '305' },
      { date: '2026-09-14', period: 3, subject: { name: 'Английский язык' }, groupName: 'Английский, гр. 2', room: '306' },
      { date: '2026-09-15', period: 1, subject: { name: 'Русский язык' }, groupName: null, room: '105' },
    ]);
  });

  it('a student and a parent read their own class, not another (FORBIDDEN)', async () => {
    const own = await world.gql('s001.student', TIMETABLE, { c: world.id('ClassGroup', world.roster.class5A), from: '2026-09-14', to: '2026-09-14' });
    expect(own.errors).toBeUndefined();
    expect(own.data!.timetable).toHaveLength(3);
    const other = await world.gql('s001.student', TIMETABLE, { c: world.id('ClassGroup', world.roster.class6B), from: '2026-09-14', to: '2026-09-14' });
    expect(codes(other)).toEqual(['FORBIDDEN']);
    const sibling = await world.gql('s001.parent', TIMETABLE, { c: world.id('ClassGroup', world.roster.class6B), from: '2026-09-14', to: '2026-09-14' });
    expect(sibling.errors).toBeUndefined();
    expect(
      codes(await world.gql('parent.multi', TIMETABLE, { c: world.id('ClassGroup', world.roster.class6B), from: '2026-09-14', to: '2026-09-14' })),
    ).toEqual(['FORBIDDEN']);
  });

  it('a district admin reads it; a district analyst (no personal data) may not', async () => {
    expect(
      (await world.gql('district.admin', TIMETABLE, { c: world.id('ClassGroup', world.roster.class5A), from: '2026-09-14', to: '2026-09-14' })).data!.timetable,
    ).toHaveLength(3);
    expect(codes(await world.gql('analyst', TIMETABLE, { c: world.id('ClassGroup', world.roster.class5A), from: '2026-09-14', to: '2026-09-14' }))).toEqual([
      'FORBIDDEN',
    ]);
  });

  it('more than 62 days, or to before from, is BAD_USER_INPUT; 62 days exactly is fine', async () => {
    const c = world.id('ClassGroup', world.roster.class5A);
    expect(codes(await world.gql('s001.teacher', TIMETABLE, { c, from: '2026-09-01', to: '2026-11-02' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await world.gql('s001.teacher', TIMETABLE, { c, from: '2026-09-10', to: '2026-09-01' }))).toEqual(['BAD_USER_INPUT']);
    const ok = await world.gql('s001.teacher', TIMETABLE, { c, from: '2026-09-01', to: '2026-11-01' });
    expect(ok.errors).toBeUndefined();
  });

  it('another school’s id or schoolId is NOT_FOUND here; s002 staff get FORBIDDEN', async () => {
    expect(
      codes(await world.gql('s001.teacher', TIMETABLE, { c: toGlobalId('ClassGroup', 's002', world.roster.class5A), from: '2026-09-14', to: '2026-09-14' })),
    ).toEqual(['NOT_FOUND']);
    expect(codes(await world.gql('s001.teacher', `{ subjects(schoolId: "s002") { name } }`))).toEqual(['NOT_FOUND']);
    expect(
      codes(await world.gql('s002.teacher', TIMETABLE, { c: world.id('ClassGroup', world.roster.class5A), from: '2026-09-14', to: '2026-09-14' })),
    ).toEqual(['FORBIDDEN']);
  });
});

describe('lesson details', () => {
  it('the change history is for staff: a parent gets FORBIDDEN on that field, the rest of the lesson still arrives', async () => {
    const query = `query($s: ID!) { studentWeek(studentId: $s, weekStart: "2026-09-14") { date changes { kind reason } } }`;
    const staff = await world.gql('s001.deputy', query, { s: world.id('Student', world.roster.smirnova) });
    expect(staff.errors).toBeUndefined();
    expect(staff.data!.studentWeek[2]).toEqual({ date: '2026-09-19', changes: [{ kind: 'SUBSTITUTION', reason: 'замена' }] });
    const parent = await world.gql('s001.parent', query, { s: world.id('Student', world.roster.smirnova) });
    expect(codes(parent)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    expect(parent.data!.studentWeek.map((l: { date: string; changes: unknown }) => [l.date, l.changes])).toEqual([
      ['2026-09-14', null],
      ['2026-09-14', null],
      ['2026-09-19', null],
    ]);
  });

  it('_entities resolves a Lesson for a student of the class and null for a lesson of another class; Subject and Term for anyone of the school', async () => {
    const [own] = await world.sql<{ id: number }>(`select id from schedule.lesson where teaching_assignment_id = ? order by date limit 1`, [
      world.plan.maths5A.id,
    ]);
    const [other] = await world.sql<{ id: number }>(`select id from schedule.lesson where teaching_assignment_id = ? order by date limit 1`, [
      world.plan.algebra10A.id,
    ]);
    const maths = world.plan.maths5A.subjectId;
    const answer = await world.gql(
      's001.student',
      `query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Lesson { date subject { name } } ... on Subject { name grading } ... on Term { name closed } } }`,
      {
        r: [
          { __typename: 'Lesson', id: world.id('Lesson', own!.id) },
          { __typename: 'Lesson', id: world.id('Lesson', other!.id) },
          { __typename: 'Lesson', id: toGlobalId('Lesson', 's002', own!.id) },
          { __typename: 'Subject', id: world.id('Subject', maths) },
          { __typename: 'Term', id: world.id('Term', world.plan.calendar.quarters[0]!.id) },
        ],
      },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!._entities).toEqual([
      { __typename: 'Lesson', date: '2026-09-02', subject: { name: 'Математика' } },
      null,
      null,
      { __typename: 'Subject', name: 'Математика', grading: 'MARKS' },
      { __typename: 'Term', name: '1 четверть', closed: false },
    ]);
  });
});

describe('the calendar and reference data', () => {
  it('terms, subjects and the bell schedule are open to everyone of the school and the district analyst', async () => {
    for (const user of ['s001.student', 'analyst']) {
      const answer = await world.gql(
        user,
        `{ terms(schoolId: "s001", academicYear: "2026/2027") { name kind yearsFrom yearsTo startDate endDate closed } subjects(schoolId: "s001") { name } bellSchedule(schoolId: "s001") { number startTime endTime } }`,
      );
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.terms).toEqual([
        { name: '1 четверть', kind: 'QUARTER', yearsFrom: 1, yearsTo: 9, startDate: '2026-09-01', endDate: '2026-10-23', closed: false },
        { name: '1 полугодие', kind: 'HALF_YEAR', yearsFrom: 10, yearsTo: 11, startDate: '2026-09-01', endDate: '2026-12-29', closed: false },
        { name: '2 четверть', kind: 'QUARTER', yearsFrom: 1, yearsTo: 9, startDate: '2026-11-02', endDate: '2026-12-29', closed: false },
        { name: '3 четверть', kind: 'QUARTER', yearsFrom: 1, yearsTo: 9, startDate: '2027-01-11', endDate: '2027-03-19', closed: false },
        { name: '2 полугодие', kind: 'HALF_YEAR', yearsFrom: 10, yearsTo: 11, startDate: '2027-01-11', endDate: '2027-05-26', closed: false },
        { name: '4 четверть', kind: 'QUARTER', yearsFrom: 1, yearsTo: 9, startDate: '2027-03-29', endDate: '2027-05-26', closed: false },
      ]);
      expect(answer.data!.subjects).toHaveLength(20);
      expect(answer.data!.subjects.slice(0, 3)).toEqual([{ name: 'Алгебра' }, { name: 'Английский язык' }, { name: 'Биология' }]);
      expect(answer.data!.bellSchedule).toHaveLength(8);
      expect(answer.data!.bellSchedule[2]).toEqual({ number: 3, startTime: '10:30', endTime: '11:15' });
    }
  });

  it('a parent of another school may not read them (FORBIDDEN)', async () => {
    expect(codes(await world.gql('s002.parent', `{ subjects(schoolId: "s001") { name } }`))).toEqual(['FORBIDDEN']);
  });

  it('academic years list their terms and holidays', async () => {
    const answer = await world.gql(
      's001.parent',
      `{ academicYears(schoolId: "s001") { name startDate endDate terms { name } holidays { name startDate endDate } } }`,
    );
    expect(answer.errors).toBeUndefined();
    const [year] = answer.data!.academicYears;
    expect(year).toMatchObject({ name: '2026/2027', startDate: '2026-09-01', endDate: '2027-05-31' });
    expect(year.terms).toHaveLength(6);
    expect(year.holidays.map((h: { name: string }) => h.name)).toEqual([
      'Осенние каникулы',
      'День народного единства',
      'Зимние каникулы',
      'День защитника Отечества',
      'Международный женский день',
      'Весенние каникулы',
      'Праздник Весны и Труда',
      'Праздник Весны и Труда (перенос)',
      'День Победы',
      'День Победы (перенос)',
    ]);
  });
});
