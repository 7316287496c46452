import { buildTestWorld, DEMO_S001, demoPerson, PARENT_MULTI_PERSON_ID, type GraphQLAnswer } from '@district/kit/testing';
import { Enrollment, PeopleSeed, startPeople, Student, type PeopleService } from '@district/people';
import { ScheduleSeed, startSchedule, type ScheduleService, type StandardYear, type TeachingAssignment } from '../src';

export { codes, demoPersonId, gqlAt, PARENT_MULTI_PERSON_ID, type GraphQLAnswer } from '@district/kit/testing';

export interface ScheduleCounts {
  academicYears: number;
  terms: number;
  closedTerms: number;
  holidays: number;
  subjects: number;
  assignments: number;
  assignmentStudents: number;
  bellPeriods: number;
  timetableEntries: number;
  lessons: number;
  lessonChanges: number;
  /** sum of lesson versions: any edit of any lesson moves it */
  lessonVersions: number;
}

/** people's local ids of the standard roster. */
export interface PeopleIds {
  petrov: number;
  lebedeva: number;
  kuznetsov: number;
  belova: number;
  volkov: number;
  orlov: number;
  class5A: number;
  class6B: number;
  class10A: number;
  class1A: number;
  smirnov: number;
  abramova: number;
  elkin: number;
  gusev: number;
  novikova: number;
  smirnova: number;
  sidorov: number;
  kozlov: number;
  zaitseva: number;
}

export interface TimetableIds {
  calendar: StandardYear;
  maths5A: TeachingAssignment;
  russian5A: TeachingAssignment;
  english5A1: TeachingAssignment;
  english5A2: TeachingAssignment;
  maths6B: TeachingAssignment;
  russian6B: TeachingAssignment;
  algebra10A: TeachingAssignment;
  world1A: TeachingAssignment;
}

export interface ScheduleWorld {
  people: PeopleService;
  schedule: ScheduleService;
  roster: PeopleIds;
  plan: TimetableIds;
  /** An opaque ID of this school. */
  id(type: string, localId: number | string): string;
  /** POSTs an operation as a demo user (a real Keycloak token), or with no token when `user` is undefined. */
  gql(user: string | undefined, query: string, variables?: Record<string, unknown>): Promise<GraphQLAnswer>;
  /** Straight SQL on the school's database. */
  sql<T = Record<string, any>>(text: string, params?: unknown[]): Promise<T[]>;
  counts(): Promise<ScheduleCounts>;
  close(): Promise<void>;
}

/**
 * s001 with a people instance and a schedule instance on one fresh database
 * (people first: schedule reads its views).
 *
 * People (2026/2027):
 *   staff: Петров Иван (the `s001.teacher` login, maths), Лебедева (Russian), Кузнецов and Белова (English),
 *          Волков (PE), Орлов (no longer working: inactive)
 *   guardians: Смирнова Наталья (`s001.parent`), Абрамов Денис (`parent.multi`)
 *   5А (class teacher Петров): Смирнов Алексей (`s001.student`, child of `s001.parent`), Абрамова Мария
 *          (child of `parent.multi`), Ёлкин Пётр, Гусев Олег (in 5А until 30.09, then in 6Б),
 *          Новикова Алина (joins 5А on 01.10)
 *   6Б: Смирнова Дарья (also a child of `s001.parent`), Сидоров Алексей; 10А: Козлов Никита; 1А: Зайцева Ева
 *
 * Schedule (unless `timetable: false`): the standard 2026/2027 year with half-years for 10–11, the standard
 * bells and subjects, and this weekly timetable (no lessons generated yet):
 *   5А  Математика (Петров) Пн 1, Ср 2, Пт 1 in 201; Русский язык (Лебедева) Вт 1, Чт 1 in 105;
 *       Английский язык гр. 1 (Кузнецов: Смирнов, Абрамова, Новикова) Пн 3, Чт 4 in 305;
 *       Английский язык гр. 2 (Белова: Ёлкин, Гусев) Пн 3, Чт 4 in 306
 *   6Б  Математика (Петров) Пн 2, Сб 1 in 201; Русский язык (Лебедева) Пн 1 in 105
 *   10А Алгебра (Петров) Вт 3 in 201 (half-years)
 *   1А  Окружающий мир (Лебедева) Ср 1 in 101 (year 1: ungraded)
 */
export function startScheduleWorld(options: { timetable?: boolean } = {}): Promise<ScheduleWorld> {
  return buildTestWorld('schedule', async (school) => {
    const people = await school.start((settings) => startPeople(settings));
    const roster = await seedPeople(people);
    const schedule = await school.start((settings) => startSchedule(settings));
    const plan = options.timetable === false ? ({} as TimetableIds) : await seedTimetable(schedule, roster);
    const sql = <T>(text: string, params: unknown[] = []) => schedule.em().getConnection().execute<T[]>(text, params);
    return {
      people,
      schedule,
      roster,
      plan,
      id: school.id,
      gql: (user, query, variables) => school.gqlAs(schedule.url, user, query, variables),
      sql,
      counts: () => countRows(sql),
      close: () => school.close(),
    };
  });
}

async function countRows(sql: <T>(text: string, params?: unknown[]) => Promise<T[]>): Promise<ScheduleCounts> {
  const [row] = await sql<Record<keyof ScheduleCounts, string>>(
    `select (select count(*) from schedule.academic_year) as "academicYears", (select count(*) from schedule.term) as terms,
            (select count(*) from schedule.term where closed_at is not null) as "closedTerms",
            (select count(*) from schedule.holiday) as holidays, (select count(*) from schedule.subject) as subjects,
            (select count(*) from schedule.teaching_assignment) as assignments, (select count(*) from schedule.assignment_student) as "assignmentStudents",
            (select count(*) from schedule.bell_period) as "bellPeriods", (select count(*) from schedule.timetable_entry) as "timetableEntries",
            (select count(*) from schedule.lesson) as lessons, (select count(*) from schedule.lesson_change) as "lessonChanges",
            (select coalesce(sum(version), 0) from schedule.lesson) as "lessonVersions"`,
  );
  return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)])) as unknown as ScheduleCounts;
}

async function seedPeople(service: PeopleService): Promise<PeopleIds> {
  const seed = new PeopleSeed(service.em());
  const petrov = seed.staff({ ...demoPerson('teacher', 'Андреевич'), position: 'учитель математики' });
  const lebedeva = seed.staff({ lastName: 'Лебедева', firstName: 'Анна', middleName: 'Павловна', position: 'учитель русского языка и литературы' });
  const kuznetsov = seed.staff({ lastName: 'Кузнецов', firstName: 'Андрей', middleName: 'Иванович', position: 'учитель английского языка' });
  const belova = seed.staff({ lastName: 'Белова', firstName: 'Елена', middleName: 'Сергеевна', position: 'учитель английского языка' });
  const volkov = seed.staff({ lastName: 'Волков', firstName: 'Сергей', middleName: 'Николаевич', position: 'учитель физической культуры' });
  const orlov = seed.staff({ lastName: 'Орлов', firstName: 'Игорь', middleName: 'Олегович', position: 'учитель истории' });
  orlov.active = false;
  const parent = seed.guardian(demoPerson('parent', 'Викторовна'));
  const g5 = seed
    .classGroup('5А', petrov)
    .student({ ...demoPerson('student', 'Сергеевич'), birthDate: '2015-03-14' })
    .guardian(parent, 'mother')
    .student({ lastName: 'Абрамова', firstName: 'Мария', middleName: 'Денисовна', birthDate: '2015-07-02' })
    .guardian({ lastName: 'Абрамов', firstName: 'Денис', middleName: 'Олегович', personId: PARENT_MULTI_PERSON_ID }, 'father')
    .student({ lastName: 'Ёлкин', firstName: 'Пётр', middleName: 'Ильич', birthDate: '2015-01-20' });
  const g6 = seed
    .classGroup('6Б')
    .student({ lastName: DEMO_S001.parent.lastName, firstName: 'Дарья', middleName: 'Сергеевна', birthDate: '2014-05-05' })
    .guardian(parent, 'mother')
    .student({ lastName: 'Сидоров', firstName: 'Алексей', middleName: null, birthDate: '2014-11-30' });
  const g10 = seed.classGroup('10А').student({ lastName: 'Козлов', firstName: 'Никита', middleName: 'Андреевич', birthDate: '2010-04-01' });
  const g1 = seed.classGroup('1А').student({ lastName: 'Зайцева', firstName: 'Ева', middleName: 'Романовна', birthDate: '2019-08-30' });
  const [smirnov, abramova, elkin] = g5.students;
  const [smirnova, sidorov] = g6.students;
  const [kozlov] = g10.students;
  const [zaitseva] = g1.students;
  await seed.flush();

  // Enrollments that change during the term: Гусев moves 5А → 6Б on 1 October, Новикова joins 5А that day.
  const em = seed.em;
  const gusev = em.create(Student, { lastName: 'Гусев', firstName: 'Олег', middleName: null, personId: null, birthDate: '2015-02-02' } as never);
  const novikova = em.create(Student, { lastName: 'Новикова', firstName: 'Алина', middleName: null, personId: null, birthDate: '2015-06-06' } as never);
  await em.flush();
  em.create(Enrollment, { studentId: gusev.id, classGroupId: g5.group.id, startDate: '2026-09-01', endDate: '2026-09-30' } as never);
  em.create(Enrollment, { studentId: gusev.id, classGroupId: g6.group.id, startDate: '2026-10-01', endDate: null } as never);
  em.create(Enrollment, { studentId: novikova.id, classGroupId: g5.group.id, startDate: '2026-10-01', endDate: null } as never);
  await em.flush();

  return {
    petrov: petrov.id,
    lebedeva: lebedeva.id,
    kuznetsov: kuznetsov.id,
    belova: belova.id,
    volkov: volkov.id,
    orlov: orlov.id,
    class5A: g5.group.id,
    class6B: g6.group.id,
    class10A: g10.group.id,
    class1A: g1.group.id,
    smirnov: smirnov!.id,
    abramova: abramova!.id,
    elkin: elkin!.id,
    gusev: gusev.id,
    novikova: novikova.id,
    smirnova: smirnova!.id,
    sidorov: sidorov!.id,
    kozlov: kozlov!.id,
    zaitseva: zaitseva!.id,
  };
}

async function seedTimetable(service: ScheduleService, p: PeopleIds): Promise<TimetableIds> {
  const seed = new ScheduleSeed(service.em());
  const calendar = await seed.standardYear('2026/2027', { seniorHalfYears: true });
  await seed.standardBells();
  const subjects = await seed.subjects();
  const year = calendar.year;
  const assign = async (
    classGroupId: number,
    teacherStaffId: number,
    subject: string,
    slots: [number, number, string][],
    group?: { name: string; students: number[] },
  ) => {
    const assignment = await seed.assignment({
      year,
      classGroupId,
      teacherStaffId,
      subject: subjects[subject]!,
      groupName: group?.name,
      studentIds: group?.students,
    });
    await seed.weekly(
      assignment,
      slots.map(([weekday, period, room]) => ({ weekday, period, room })),
    );
    return assignment;
  };
  return {
    calendar,
    maths5A: await assign(p.class5A, p.petrov, 'Математика', [
      [1, 1, '201'],
      [3, 2, '201'],
      [5, 1, '201'],
    ]),
    russian5A: await assign(p.class5A, p.lebedeva, 'Русский язык', [
      [2, 1, '105'],
      [4, 1, '105'],
    ]),
    english5A1: await assign(
      p.class5A,
      p.kuznetsov,
      'Английский язык',
      [
        [1, 3, '305'],
        [4, 4, '305'],
      ],
      { name: 'Английский, гр. 1', students: [p.smirnov, p.abramova, p.novikova] },
    ),
    english5A2: await assign(
      p.class5A,
      p.belova,
      'Английский язык',
      [
        [1, 3, '306'],
        [4, 4, '306'],
      ],
      { name: 'Английский, гр. 2', students: [p.elkin, p.gusev] },
    ),
    maths6B: await assign(p.class6B, p.petrov, 'Математика', [
      [1, 2, '201'],
      [6, 1, '201'],
    ]),
    russian6B: await assign(p.class6B, p.lebedeva, 'Русский язык', [[1, 1, '105']]),
    algebra10A: await assign(p.class10A, p.petrov, 'Алгебра', [[2, 3, '201']]),
    world1A: await assign(p.class1A, p.lebedeva, 'Окружающий мир', [[3, 1, '101']]),
  };
}
