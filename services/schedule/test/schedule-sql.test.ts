import { ScheduleSeed } from '../src';
import { startScheduleWorld, type ScheduleWorld } from './schedule-test-world';

let world: ScheduleWorld;
beforeAll(async () => {
  world = await startScheduleWorld();
});
afterAll(async () => {
  await world?.close();
});

const TIMETABLE = `query($c: ID!) {
  timetable(schoolId: "s001", classGroupId: $c, from: "2026-09-01", to: "2026-10-23") {
    id date weekday period startTime endTime room status version groupName grading
    subject { id name shortName grading }
    classGroup { id } teacher { id } substitute { id }
    term { id name closed academicYear { name } }
    changes { kind reason changedAt before { date period substitute { id } } after { date period substitute { id } } }
  }
}`;

const WEEK = `query($s: ID!) {
  studentWeek(studentId: $s, weekStart: "2026-10-05") {
    id date period startTime room groupName grading subject { name } teacher { id } substitute { id } term { name }
  }
}`;

type Lesson = { date: string; substitute: { id: string } | null; changes: unknown[]; subject: { name: string }; term: { academicYear: { name: string } } };

async function measure(user: string, query: string, variables: Record<string, unknown>): Promise<{ statements: number; data: Record<string, any> }> {
  await world.gql(user, `{ __typename }`); // fetch the token outside the measured request
  world.schedule.sql.reset();
  const answer = await world.gql(user, query, variables);
  const statements = world.schedule.sql.count;
  expect(answer.errors).toBeUndefined();
  return { statements, data: answer.data! };
}

async function generateFirstQuarter(): Promise<void> {
  const answer = await world.gql('s001.deputy', `mutation($t: ID!) { generateLessons(termId: $t) { created } }`, {
    t: world.id('Term', world.plan.calendar.quarters[0]!.id),
  });
  expect(answer.errors).toBeUndefined();
}

/** Substitutes every `every`-th 5А lesson of the first quarter that has no substitute yet. */
async function substituteSome(every: number): Promise<number> {
  const lessons = await world.sql<{ id: number; version: number }>(
    `select l.id, l.version from schedule.lesson l join schedule.teaching_assignment ta on ta.id = l.teaching_assignment_id
     where ta.class_group_id = ? and l.substitute_staff_id is null and ta.teacher_staff_id <> ? order by l.date, l.period`,
    [world.roster.class5A, world.roster.volkov],
  );
  let done = 0;
  for (const [i, lesson] of lessons.entries()) {
    if (i % every !== 0) continue;
    const answer = await world.gql(
      's001.deputy',
      `mutation($id: ID!, $v: Int!, $s: ID!) { substituteLesson(lessonId: $id, substituteStaffId: $s, reason: "курсы", version: $v) { id } }`,
      {
        id: world.id('Lesson', lesson.id),
        v: lesson.version,
        s: world.id('Staff', world.roster.volkov),
      },
    );
    if (!answer.errors) done++;
  }
  return done;
}

describe('SQL statements per request', () => {
  it('stay the same for a class timetable and a student’s week when the lessons grow fourfold', async () => {
    await generateFirstQuarter();
    expect(await substituteSome(15)).toBeGreaterThan(0);
    const small = await measure('s001.teacher', TIMETABLE, { c: world.id('ClassGroup', world.roster.class5A) });
    const smallLessons = small.data.timetable as Lesson[];
    const smallWeek = await measure('s001.parent', WEEK, { s: world.id('Student', world.roster.smirnov) });

    // Twice as many subjects for 5А, with other teachers, then the quarter again (only the new slots are created).
    const seed = new ScheduleSeed(world.schedule.em());
    const subjects = await seed.subjects();
    const year = world.plan.calendar.year;
    const more: [string, number, [number, number][]][] = [
      [
        'Литература',
        world.roster.lebedeva,
        [
          [1, 2],
          [2, 2],
          [3, 3],
          [4, 2],
          [5, 2],
        ],
      ],
      [
        'Физическая культура',
        world.roster.volkov,
        [
          [2, 3],
          [4, 3],
          [6, 2],
        ],
      ],
      ['Музыка', world.roster.belova, [[3, 4]]],
      ['ИЗО', world.roster.kuznetsov, [[5, 3]]],
      [
        'История',
        world.roster.kuznetsov,
        [
          [2, 4],
          [3, 5],
          [5, 4],
          [6, 3],
        ],
      ],
      [
        'География',
        world.roster.belova,
        [
          [1, 4],
          [2, 5],
          [3, 6],
          [4, 5],
          [5, 5],
        ],
      ],
      [
        'Биология',
        world.roster.lebedeva,
        [
          [1, 5],
          [2, 6],
          [4, 6],
          [5, 6],
          [6, 4],
        ],
      ],
      [
        'Технология',
        world.roster.volkov,
        [
          [1, 6],
          [3, 7],
          [4, 7],
          [5, 7],
          [6, 5],
          [6, 6],
        ],
      ],
    ];
    for (const [subject, teacherStaffId, slots] of more) {
      const assignment = await seed.assignment({ year, classGroupId: world.roster.class5A, teacherStaffId, subject: subjects[subject]! });
      await seed.weekly(
        assignment,
        slots.map(([weekday, period]) => ({ weekday, period, room: '300' })),
      );
    }
    await generateFirstQuarter();
    expect(await substituteSome(7)).toBeGreaterThan(0);

    const large = await measure('s001.teacher', TIMETABLE, { c: world.id('ClassGroup', world.roster.class5A) });
    const largeLessons = large.data.timetable as Lesson[];
    const largeWeek = await measure('s001.parent', WEEK, { s: world.id('Student', world.roster.smirnov) });

    expect(largeLessons.length).toBeGreaterThanOrEqual(4 * smallLessons.length);
    expect(new Set(largeLessons.map((l) => l.subject.name)).size).toBe(11);
    expect(largeLessons.filter((l) => l.substitute).length).toBeGreaterThan(smallLessons.filter((l) => l.substitute).length);
    expect(largeLessons.filter((l) => l.changes.length > 0).length).toBe(largeLessons.filter((l) => l.substitute).length);
    expect(largeLessons.every((l) => l.term.academicYear.name === '2026/2027')).toBe(true);
    expect((largeWeek.data.studentWeek as unknown[]).length).toBeGreaterThan(3 * (smallWeek.data.studentWeek as unknown[]).length);

    // timetable: the class's assignments, their lessons, then one statement per relation: assignments
    // (subject, teacher, class, group), subjects, gradings, terms, academic years, changes
    expect(small.statements).toBe(8);
    expect(large.statements).toBe(small.statements);
    // week: the parent's children, the student, the lesson ids from lesson_students, the lessons, then assignments,
    // gradings, subjects, terms
    expect(smallWeek.statements).toBe(8);
    expect(largeWeek.statements).toBe(smallWeek.statements);
  });
});
