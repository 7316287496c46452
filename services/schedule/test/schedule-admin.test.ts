import { eachDate, isoWeekday } from '../src/dates';
import { codes, type GraphQLAnswer, startScheduleWorld, type ScheduleWorld } from './schedule-test-world';

/** A school's schedule built from nothing through the API, as its director would. */
let world: ScheduleWorld;
beforeAll(async () => {
  world = await startScheduleWorld({ timetable: false });
});
afterAll(async () => {
  await world?.close();
});

const DIRECTOR = 's001.director';
const ids: Record<string, string> = {};

async function ok(user: string, query: string, variables: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const answer = await world.gql(user, query, variables);
  expect(answer.errors).toBeUndefined();
  return answer.data!;
}

/** A mutation refused with `code`; not one row of any schedule table changes. */
async function refused(user: string, code: string, query: string, variables: Record<string, unknown>): Promise<GraphQLAnswer> {
  const before = await world.counts();
  const answer = await world.gql(user, query, variables);
  expect(codes(answer)).toEqual([code]);
  // A token of another school is refused before any field runs (403, no data at all).
  expect(answer.data ?? null).toBeNull();
  expect(await world.counts()).toEqual(before);
  return answer;
}

const problemFields = (answer: GraphQLAnswer) => (answer.errors![0]!.extensions!.problems as { field: string }[]).map((p) => p.field).sort();

const YEAR = `mutation($input: AcademicYearInput!) { createAcademicYear(schoolId: "s001", input: $input) { id name startDate endDate version } }`;
const TERM = `mutation($input: TermInput!) { createTerm(schoolId: "s001", input: $input) { id name kind number startDate endDate yearsFrom yearsTo closed version academicYear { name } } }`;
const HOLIDAY = `mutation($input: HolidayInput!) { createHoliday(schoolId: "s001", input: $input) { id name startDate endDate } }`;
const SUBJECT = `mutation($input: SubjectInput!) { createSubject(schoolId: "s001", input: $input) { id name shortName grading version } }`;
const BELL = `mutation($input: BellPeriodInput!) { createBellPeriod(schoolId: "s001", input: $input) { id number shift startTime endTime } }`;
const ASSIGNMENT = `mutation($input: TeachingAssignmentInput!) { createTeachingAssignment(schoolId: "s001", input: $input) {
  id groupName graded grading version subject { name } classGroup { id } teacher { id } students { id } academicYear { name } } }`;
const ENTRY = `mutation($input: TimetableEntryInput!) { createTimetableEntry(schoolId: "s001", input: $input) {
  id weekday period shift room validFrom validTo assignment { groupName subject { name } } } }`;

describe('academic year and terms', () => {
  it('the director creates 2026/2027', async () => {
    const before = await world.counts();
    const data = await ok(DIRECTOR, YEAR, { input: { name: '2026/2027', startDate: '01.09.2026', endDate: '2027-05-31' } });
    expect(data.createAcademicYear).toMatchObject({ name: '2026/2027', startDate: '2026-09-01', endDate: '2027-05-31', version: 1 });
    ids.year = data.createAcademicYear.id;
    expect(await world.counts()).toEqual({ ...before, academicYears: 1 });
  });

  it('refused: every problem at once (BAD_USER_INPUT); a second 2026/2027 (DUPLICATE); a teacher or deputy (FORBIDDEN)', async () => {
    const bad = await refused(DIRECTOR, 'BAD_USER_INPUT', YEAR, { input: { name: '2026/2028', startDate: '2026-09-01', endDate: '31.02.2027' } });
    expect(problemFields(bad)).toEqual(['endDate', 'name']);
    await refused(DIRECTOR, 'DUPLICATE', YEAR, { input: { name: '2026/2027', startDate: '2026-09-01', endDate: '2027-05-31' } });
    for (const user of ['s001.teacher', 's001.deputy', 's002.director'])
      await refused(user, 'FORBIDDEN', YEAR, { input: { name: '2027/2028', startDate: '2027-09-01', endDate: '2028-05-31' } });
  });

  it('quarters for years 1–9 and a half-year for 10–11 over the same dates', async () => {
    const q1 = await ok(DIRECTOR, TERM, {
      input: {
        academicYearId: ids.year,
        name: '1 четверть',
        kind: 'QUARTER',
        number: 1,
        startDate: '2026-09-01',
        endDate: '2026-10-23',
        yearsFrom: 1,
        yearsTo: 9,
      },
    });
    expect(q1.createTerm).toMatchObject({
      name: '1 четверть',
      kind: 'QUARTER',
      number: 1,
      yearsFrom: 1,
      yearsTo: 9,
      closed: false,
      version: 1,
      academicYear: { name: '2026/2027' },
    });
    ids.q1 = q1.createTerm.id;
    const q2 = await ok(DIRECTOR, TERM, {
      input: {
        academicYearId: ids.year,
        name: '2 четверть',
        kind: 'QUARTER',
        number: 2,
        startDate: '2026-11-02',
        endDate: '2026-12-29',
        yearsFrom: 1,
        yearsTo: 9,
      },
    });
    ids.q2 = q2.createTerm.id;
    const h1 = await ok(DIRECTOR, TERM, {
      input: {
        academicYearId: ids.year,
        name: '1 полугодие',
        kind: 'HALF_YEAR',
        number: 1,
        startDate: '2026-09-01',
        endDate: '2026-12-29',
        yearsFrom: 10,
        yearsTo: 11,
      },
    });
    expect(h1.createTerm).toMatchObject({ kind: 'HALF_YEAR', yearsFrom: 10, yearsTo: 11 });
  });

  it('refused terms: overlapping dates for the same years (CONFLICT), outside the year or a fifth quarter (BAD_USER_INPUT), a twin (DUPLICATE)', async () => {
    const overlap = await refused(DIRECTOR, 'CONFLICT', TERM, {
      input: {
        academicYearId: ids.year,
        name: '3 четверть',
        kind: 'QUARTER',
        number: 3,
        startDate: '2026-12-20',
        endDate: '2027-03-19',
        yearsFrom: 5,
        yearsTo: 9,
      },
    });
    expect(overlap.errors![0]!.message).toContain('2 четверть');
    await refused(DIRECTOR, 'BAD_USER_INPUT', TERM, {
      input: {
        academicYearId: ids.year,
        name: '4 четверть',
        kind: 'QUARTER',
        number: 4,
        startDate: '2027-03-29',
        endDate: '2027-06-30',
        yearsFrom: 1,
        yearsTo: 9,
      },
    });
    const many = await refused(DIRECTOR, 'BAD_USER_INPUT', TERM, {
      input: { academicYearId: ids.year, name: '', kind: 'QUARTER', number: 5, startDate: '2027-03-29', endDate: '2027-03-01', yearsFrom: 9, yearsTo: 1 },
    });
    expect(problemFields(many)).toEqual(['endDate', 'name', 'number', 'yearsTo']);
    await refused(DIRECTOR, 'DUPLICATE', TERM, {
      input: {
        academicYearId: ids.year,
        name: '1 четверть',
        kind: 'QUARTER',
        number: 1,
        startDate: '2027-01-11',
        endDate: '2027-03-19',
        yearsFrom: 1,
        yearsTo: 9,
      },
    });
    await refused(DIRECTOR, 'NOT_FOUND', TERM, {
      input: { academicYearId: world.id('AcademicYear', 999), name: '3 четверть', kind: 'QUARTER', number: 3, startDate: '2027-01-11', endDate: '2027-03-19' },
    });
  });

  it('holidays: 4 November; refused outside the year (BAD_USER_INPUT) and by a deputy (FORBIDDEN)', async () => {
    const data = await ok(DIRECTOR, HOLIDAY, {
      input: { academicYearId: ids.year, name: 'День народного единства', startDate: '2026-11-04', endDate: '2026-11-04' },
    });
    expect(data.createHoliday).toMatchObject({ name: 'День народного единства', startDate: '2026-11-04', endDate: '2026-11-04' });
    await ok(DIRECTOR, HOLIDAY, { input: { academicYearId: ids.year, name: 'Осенние каникулы', startDate: '2026-10-24', endDate: '2026-11-01' } });
    await refused(DIRECTOR, 'BAD_USER_INPUT', HOLIDAY, {
      input: { academicYearId: ids.year, name: 'Летние каникулы', startDate: '2027-06-01', endDate: '2027-08-31' },
    });
    await refused('s001.deputy', 'FORBIDDEN', HOLIDAY, {
      input: { academicYearId: ids.year, name: 'Выходной', startDate: '2026-11-05', endDate: '2026-11-05' },
    });
  });
});

describe('subjects and bells', () => {
  it('subjects: created with their grading; the short name defaults to the name', async () => {
    const maths = await ok(DIRECTOR, SUBJECT, { input: { name: 'Математика', shortName: 'Матем.', grading: 'MARKS' } });
    expect(maths.createSubject).toMatchObject({ name: 'Математика', shortName: 'Матем.', grading: 'MARKS', version: 1 });
    ids.maths = maths.createSubject.id;
    const english = await ok(DIRECTOR, SUBJECT, { input: { name: 'Английский язык' } });
    expect(english.createSubject).toMatchObject({ shortName: 'Английский язык', grading: 'MARKS' });
    ids.english = english.createSubject.id;
    const orkse = await ok(DIRECTOR, SUBJECT, { input: { name: 'ОРКСЭ', grading: 'PASS_FAIL' } });
    expect(orkse.createSubject.grading).toBe('PASS_FAIL');
  });

  it('refused subjects: the same name in other letter case (DUPLICATE), an empty name (BAD_USER_INPUT)', async () => {
    await refused(DIRECTOR, 'DUPLICATE', SUBJECT, { input: { name: 'математика' } });
    await refused(DIRECTOR, 'BAD_USER_INPUT', SUBJECT, { input: { name: '  ', shortName: 'x'.repeat(30) } });
  });

  it('bells: periods 1–4 in order', async () => {
    for (const [number, startTime, endTime] of [
      [1, '8:30', '09:15'],
      [2, '09:25', '10:10'],
      [3, '10:30', '11:15'],
      [4, '11:35', '12:20'],
    ] as const) {
      await ok(DIRECTOR, BELL, { input: { number, startTime, endTime } });
    }
    const data = await ok('s001.student', `{ bellSchedule(schoolId: "s001") { number shift startTime endTime } }`);
    expect(data.bellSchedule[0]).toEqual({ number: 1, shift: 1, startTime: '08:30', endTime: '09:15' });
    expect(data.bellSchedule).toHaveLength(4);
  });

  it('refused bells: a duplicate number (DUPLICATE), an overlap (BAD_USER_INPUT), bad times (every problem at once)', async () => {
    await refused(DIRECTOR, 'DUPLICATE', BELL, { input: { number: 2, startTime: '13:00', endTime: '13:45' } });
    await refused(DIRECTOR, 'BAD_USER_INPUT', BELL, { input: { number: 5, startTime: '12:00', endTime: '12:45' } });
    const bad = await refused(DIRECTOR, 'BAD_USER_INPUT', BELL, { input: { number: 9, startTime: '8:70', endTime: 'noon' } });
    expect(problemFields(bad)).toEqual(['endTime', 'number', 'startTime']);
  });
});

describe('teaching assignments', () => {
  it('maths for the whole 5А and two English groups', async () => {
    const r = world.roster;
    const maths = await ok(DIRECTOR, ASSIGNMENT, {
      input: { academicYearId: ids.year, classGroupId: world.id('ClassGroup', r.class5A), subjectId: ids.maths, teacherId: world.id('Staff', r.petrov) },
    });
    expect(maths.createTeachingAssignment).toMatchObject({
      groupName: null,
      graded: null,
      grading: 'MARKS',
      version: 1,
      subject: { name: 'Математика' },
      classGroup: { id: world.id('ClassGroup', r.class5A) },
      teacher: { id: world.id('Staff', r.petrov) },
      students: [],
      academicYear: { name: '2026/2027' },
    });
    ids.maths5A = maths.createTeachingAssignment.id;
    const before = await world.counts();
    const g1 = await ok(DIRECTOR, ASSIGNMENT, {
      input: {
        academicYearId: ids.year,
        classGroupId: world.id('ClassGroup', r.class5A),
        subjectId: ids.english,
        teacherId: world.id('Staff', r.kuznetsov),
        groupName: 'Английский, гр. 1',
        studentIds: [world.id('Student', r.smirnov), world.id('Student', r.abramova), world.id('Student', r.novikova)],
      },
    });
    expect(g1.createTeachingAssignment.students).toEqual(
      [r.smirnov, r.abramova, r.novikova].sort((a, b) => a - b).map((id) => ({ id: world.id('Student', id) })),
    );
    expect(await world.counts()).toEqual({ ...before, assignments: before.assignments + 1, assignmentStudents: before.assignmentStudents + 3 });
    ids.english1 = g1.createTeachingAssignment.id;
    const g2 = await ok(DIRECTOR, ASSIGNMENT, {
      input: {
        academicYearId: ids.year,
        classGroupId: world.id('ClassGroup', r.class5A),
        subjectId: ids.english,
        teacherId: world.id('Staff', r.belova),
        groupName: 'Английский, гр. 2',
        // Гусев was in 5А in September: a group may hold him
        studentIds: [world.id('Student', r.elkin), world.id('Student', r.gusev)],
      },
    });
    ids.english2 = g2.createTeachingAssignment.id;
    const first = await ok(DIRECTOR, ASSIGNMENT, {
      input: { academicYearId: ids.year, classGroupId: world.id('ClassGroup', r.class1A), subjectId: ids.maths, teacherId: world.id('Staff', r.lebedeva) },
    });
    expect(first.createTeachingAssignment).toMatchObject({ grading: 'NONE', graded: null });
    ids.maths1A = first.createTeachingAssignment.id;
  });

  it('refused: a student of another class, an inactive teacher, a group without students (BAD_USER_INPUT); an unknown class (NOT_FOUND); a twin (DUPLICATE)', async () => {
    const r = world.roster;
    const input = (over: Record<string, unknown>) => ({
      input: {
        academicYearId: ids.year,
        classGroupId: world.id('ClassGroup', r.class5A),
        subjectId: ids.english,
        teacherId: world.id('Staff', r.kuznetsov),
        ...over,
      },
    });
    const stranger = await refused(
      DIRECTOR,
      'BAD_USER_INPUT',
      ASSIGNMENT,
      input({ groupName: 'Английский, гр. 3', studentIds: [world.id('Student', r.smirnov), world.id('Student', r.smirnova)] }),
    );
    expect(problemFields(stranger)).toEqual(['studentIds.1']);
    await refused(
      DIRECTOR,
      'BAD_USER_INPUT',
      ASSIGNMENT,
      input({ subjectId: ids.maths, classGroupId: world.id('ClassGroup', r.class6B), teacherId: world.id('Staff', r.orlov) }),
    );
    const empty = await refused(DIRECTOR, 'BAD_USER_INPUT', ASSIGNMENT, input({ groupName: 'Английский, гр. 3', studentIds: [], teacherId: 'nonsense' }));
    expect(problemFields(empty)).toEqual(['studentIds', 'teacherId']);
    await refused(DIRECTOR, 'NOT_FOUND', ASSIGNMENT, input({ classGroupId: world.id('ClassGroup', 9999) }));
    await refused(DIRECTOR, 'DUPLICATE', ASSIGNMENT, input({ subjectId: ids.maths, teacherId: world.id('Staff', r.lebedeva) }));
    await refused(
      's001.deputy',
      'FORBIDDEN',
      ASSIGNMENT,
      input({ subjectId: ids.maths, classGroupId: world.id('ClassGroup', r.class6B), teacherId: world.id('Staff', r.petrov) }),
    );
  });

  it('staff list the assignments of a class', async () => {
    const data = await ok(
      's001.teacher',
      `query($c: ID!) { teachingAssignments(schoolId: "s001", filter: { classGroupId: $c }) { subject { name } groupName teacher { id } } }`,
      {
        c: world.id('ClassGroup', world.roster.class5A),
      },
    );
    expect(
      data.teachingAssignments.map(
        (a: { subject: { name: string }; groupName: string | null }) => `${a.subject.name}${a.groupName ? ' / ' + a.groupName : ''}`,
      ),
    ).toEqual(['Математика', 'Английский язык / Английский, гр. 1', 'Английский язык / Английский, гр. 2']);
    expect(codes(await world.gql('s001.parent', `{ teachingAssignments(schoolId: "s001") { id } }`))).toEqual(['FORBIDDEN']);
  });
});

describe('the weekly timetable and the lessons from it', () => {
  it('entries: maths Пн 1 and Ср 2, both English groups side by side on Пн 2, 1А maths Вт 1', async () => {
    await ok(DIRECTOR, ENTRY, { input: { assignmentId: ids.maths5A, weekday: 1, period: 1, room: '201' } });
    await ok(DIRECTOR, ENTRY, { input: { assignmentId: ids.maths5A, weekday: 3, period: 2, room: '201' } });
    const g1 = await ok(DIRECTOR, ENTRY, { input: { assignmentId: ids.english1, weekday: 1, period: 2, room: '305' } });
    expect(g1.createTimetableEntry).toMatchObject({
      weekday: 1,
      period: 2,
      shift: 1,
      room: '305',
      validFrom: '2026-09-01',
      validTo: null,
      assignment: { groupName: 'Английский, гр. 1' },
    });
    await ok(DIRECTOR, ENTRY, { input: { assignmentId: ids.english2, weekday: 1, period: 2, room: '306' } });
    await ok(DIRECTOR, ENTRY, { input: { assignmentId: ids.maths1A, weekday: 2, period: 1, room: '101', validFrom: '2026-09-15' } });
  });

  it('refused entries: the class busy (CONFLICT), the teacher busy (CONFLICT), the same slot twice (DUPLICATE), Sunday and a period without a bell (BAD_USER_INPUT)', async () => {
    const busyClass = await refused(DIRECTOR, 'CONFLICT', ENTRY, { input: { assignmentId: ids.maths5A, weekday: 1, period: 2, room: '201' } });
    expect(busyClass.errors![0]!.message).toContain('У класса уже есть урок');
    // Петров teaches 5А maths on Monday period 1: his 6Б maths may not go there
    const maths6B = await ok(DIRECTOR, ASSIGNMENT, {
      input: {
        academicYearId: ids.year,
        classGroupId: world.id('ClassGroup', world.roster.class6B),
        subjectId: ids.maths,
        teacherId: world.id('Staff', world.roster.petrov),
      },
    });
    const busyTeacher = await refused(DIRECTOR, 'CONFLICT', ENTRY, {
      input: { assignmentId: maths6B.createTeachingAssignment.id, weekday: 1, period: 1, room: '202' },
    });
    expect(busyTeacher.errors![0]!.message).toContain('Учитель уже ведёт');
    await refused(DIRECTOR, 'DUPLICATE', ENTRY, { input: { assignmentId: ids.maths5A, weekday: 1, period: 1, room: '201' } });
    const bad = await refused(DIRECTOR, 'BAD_USER_INPUT', ENTRY, { input: { assignmentId: ids.maths5A, weekday: 7, period: 0 } });
    expect(problemFields(bad)).toEqual(['period', 'weekday']);
    await refused(DIRECTOR, 'BAD_USER_INPUT', ENTRY, { input: { assignmentId: ids.maths5A, weekday: 5, period: 6 } });
    await refused('s001.deputy', 'FORBIDDEN', ENTRY, { input: { assignmentId: ids.maths5A, weekday: 5, period: 1 } });
  });

  it('generating the first quarter creates exactly the timetable’s lessons, 1А’s from 15 September', async () => {
    const expected = eachDate('2026-09-01', '2026-10-23').reduce((sum, d) => {
      const wd = isoWeekday(d);
      return sum + (wd === 1 ? 3 : 0) + (wd === 3 ? 1 : 0) + (wd === 2 && d >= '2026-09-15' ? 1 : 0);
    }, 0);
    // 7 Mondays × 3, 8 Wednesdays, 6 Tuesdays from 15.09
    expect(expected).toBe(7 * 3 + 8 + 6);
    const data = await ok('s001.deputy', `mutation($t: ID!) { generateLessons(termId: $t) { created existing } }`, { t: ids.q1 });
    expect(data.generateLessons).toEqual({ created: expected, existing: 0 });
  });

  it('a holiday on dates that already have lessons is refused (CONFLICT) until they are cancelled', async () => {
    const answer = await refused(DIRECTOR, 'CONFLICT', HOLIDAY, {
      input: { academicYearId: ids.year, name: 'Карантин', startDate: '2026-10-19', endDate: '2026-10-19' },
    });
    expect(answer.errors![0]!.message).toContain('уроков: 3'); // Monday 19.10: maths and both English groups
  });
});

describe('closing a term', () => {
  const CLOSE = `mutation($id: ID!, $v: Int!) { closeTerm(id: $id, version: $v) { closed closedAt version } }`;

  it('a teacher may not (FORBIDDEN); a stale version is CONFLICT; the deputy closes it; closing again is CONFLICT', async () => {
    await refused('s001.teacher', 'FORBIDDEN', CLOSE, { id: ids.q2, v: 1 });
    await refused('s001.deputy', 'CONFLICT', CLOSE, { id: ids.q2, v: 3 });
    const before = await world.counts();
    const data = await ok('s001.deputy', CLOSE, { id: ids.q2, v: 1 });
    expect(data.closeTerm).toMatchObject({ closed: true, version: 2 });
    expect(Date.now() - Date.parse(data.closeTerm.closedAt)).toBeLessThan(60_000);
    expect(await world.counts()).toEqual({ ...before, closedTerms: before.closedTerms + 1 });
    const [row] = await world.sql(`select closed_by from schedule.term where closed_at is not null`);
    expect(row).toEqual({ closed_by: '00000000-0000-4000-8000-000000000102' });
    await refused('s001.deputy', 'CONFLICT', CLOSE, { id: ids.q2, v: 2 });
  });
});
