import { toGlobalId } from '@district/kit';
import { buildTestWorld, DEMO_S001, demoPerson, type GraphQLAnswer } from '@district/kit/testing';
import { Guardianship, PeopleSeed, startPeople, type PeopleService } from '@district/people';
import { ScheduleSeed, startSchedule, type ScheduleService } from '@district/schedule';

export { codes, demoPersonId, gqlAt, PARENT_MULTI_PERSON_ID, type GraphQLAnswer } from '@district/kit/testing';

export interface RowCounts {
  students: number;
  guardians: number;
  guardianships: number;
  classGroups: number;
  enrollments: number;
  staff: number;
}

/** What the standard seed put into s001, by the names the tests use. */
export interface SeededIds {
  classTeacher: string;
  class5A: string;
  class6B: string;
  class10A: string;
  /** Смирнов Алексей: the student behind the `s001.student` login, child of `s001.parent`. */
  ownStudent: string;
  /** Смирнова Дарья: the parent's second child, in 6Б. */
  sibling: string;
  /** Абрамова Мария: a classmate of Смирнов in 5А, not the parent's child. */
  classmate: string;
  /** Смирнова Наталья: the guardian behind the `s001.parent` login. */
  parentGuardian: string;
}

/** What `startPeopleWorld({ teaching: true })` adds: who the demo teacher (Петров, `s001.teacher`) teaches. */
export interface TeachingIds {
  /** Зайцева Вера, 7В: Петров teaches 7В maths (a whole-class assignment); 7В's class teacher is Кузнецова (father Зайцев Олег, +7 900 555-66-77). */
  wholeClassPupil: string;
  /** Сидоров Алексей, 6Б: in Петров's English group «1 группа» of the split 6Б (mother Сидорова Галина, +7 900 333-44-55). */
  groupPupil: string;
  /** Васильева Ксения, 6Б: in the other English group (Кузнецова's), so not Петров's (father Васильев Андрей, +7 900 444-55-66). */
  otherGroupPupil: string;
  /** Кузнецова Елена, 7В's class teacher. */
  otherTeacher: string;
  class7V: string;
}

export interface PeopleWorld {
  service: PeopleService;
  /** The school's schedule on the same database (only with `teaching: true`). */
  schedule?: ScheduleService;
  schoolId: 's001';
  ids: SeededIds;
  teaching: TeachingIds;
  /** Runs SQL on the school's database. */
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** POSTs an operation as a demo user (a real Keycloak token), or with no token when `user` is undefined. */
  gql(user: string | undefined, query: string, variables?: Record<string, unknown>): Promise<GraphQLAnswer>;
  /** Row counts of every people table, straight from PostgreSQL. */
  counts(): Promise<RowCounts>;
  close(): Promise<void>;
}

/**
 * One people instance for s001 on a free port with its own fresh database and
 * a small roster (see SeededIds). `seed: false` leaves the database empty.
 * `teaching: true` also runs the school's schedule on the database, with the
 * teaching assignments of TeachingIds (5А's maths goes to Кузнецова, so
 * Петров is only 5А's class teacher there).
 */
export function startPeopleWorld(options: { seed?: boolean; teaching?: boolean; personalDataAccessMinutes?: number } = {}): Promise<PeopleWorld> {
  return buildTestWorld('people', async (school) => {
    const service = await school.start((settings) => startPeople({ ...settings, personalDataAccessMinutes: options.personalDataAccessMinutes }));
    const ids = options.seed === false ? ({} as SeededIds) : await seedStandard(service);
    let schedule: ScheduleService | undefined;
    let teaching = {} as TeachingIds;
    if (options.teaching) {
      schedule = await school.start((settings) => startSchedule({ ...settings, poolMax: 3 }));
      teaching = await seedTeaching(service, schedule);
    }
    return {
      service,
      schedule,
      schoolId: 's001',
      ids,
      teaching,
      sql: (text, params = []) => service.em().getConnection().execute(text, params),
      gql: (user, query, variables) => school.gqlAs(service.url, user, query, variables),
      counts: () => countRows(service),
      close: () => school.close(),
    };
  });
}

/** 7В (class teacher Кузнецова) with Зайцева; English in 6Б split in two groups; who teaches what (see TeachingIds). */
async function seedTeaching(people: PeopleService, schedule: ScheduleService): Promise<TeachingIds> {
  const em = people.em();
  const seed = new PeopleSeed(em);
  const kuznetsova = seed.staff({ lastName: 'Кузнецова', firstName: 'Елена', middleName: 'Игоревна', position: 'учитель английского языка' });
  const g7 = seed
    .classGroup('7В', kuznetsova)
    .student({ lastName: 'Зайцева', firstName: 'Вера', middleName: 'Олеговна', birthDate: '2013-04-04' })
    .guardian({ lastName: 'Зайцев', firstName: 'Олег', phone: '+7 900 555-66-77' }, 'father');
  const [zaitseva] = g7.students;
  const sidorova = seed.guardian({ lastName: 'Сидорова', firstName: 'Галина', phone: '+7 900 333-44-55' });
  const vasiliev = seed.guardian({ lastName: 'Васильев', firstName: 'Андрей', phone: '+7 900 444-55-66' });
  await seed.flush();
  const row = async (sql: string, params: unknown[]) => Number((await em.getConnection().execute<{ id: number }[]>(sql, params))[0]!.id);
  const petrov = await row(`select id from people.staff where person_id = ?`, [DEMO_S001.teacher.personId]);
  const classId = (name: string) => row(`select id from people.class_group where name = ?`, [name]);
  const studentId = (lastName: string) => row(`select id from people.student where last_name = ?`, [lastName]);
  const [c5, c6, c7, sidorov, vasilieva] = await Promise.all([classId('5А'), classId('6Б'), classId('7В'), studentId('Сидоров'), studentId('Васильева')]);
  em.create(Guardianship, { guardianId: sidorova.id, studentId: sidorov, relation: 'mother' } as never);
  em.create(Guardianship, { guardianId: vasiliev.id, studentId: vasilieva, relation: 'father' } as never);
  await em.flush();

  const s = new ScheduleSeed(schedule.em());
  const year = await s.academicYear('2026/2027', '2026-09-01', '2027-05-31');
  const subjects = await s.subjects();
  await s.assignment({ year, classGroupId: c5, teacherStaffId: kuznetsova.id, subject: subjects['Математика']! });
  await s.assignment({ year, classGroupId: c7, teacherStaffId: petrov, subject: subjects['Математика']! });
  await s.assignment({ year, classGroupId: c6, teacherStaffId: petrov, subject: subjects['Английский язык']!, groupName: '1 группа', studentIds: [sidorov] });
  await s.assignment({
    year,
    classGroupId: c6,
    teacherStaffId: kuznetsova.id,
    subject: subjects['Английский язык']!,
    groupName: '2 группа',
    studentIds: [vasilieva],
  });
  const id = (type: string, local: number) => toGlobalId(type, 's001', local);
  return {
    wholeClassPupil: id('Student', zaitseva!.id),
    groupPupil: id('Student', sidorov),
    otherGroupPupil: id('Student', vasilieva),
    otherTeacher: id('Staff', kuznetsova.id),
    class7V: id('ClassGroup', c7),
  };
}

export async function countRows(service: PeopleService): Promise<RowCounts> {
  const [row] = await service
    .em()
    .getConnection()
    .execute<{ [K in keyof RowCounts]: string }[]>(
      `select (select count(*) from people.student) as students, (select count(*) from people.guardian) as guardians,
              (select count(*) from people.guardianship) as guardianships, (select count(*) from people.class_group) as "classGroups",
              (select count(*) from people.enrollment) as enrollments, (select count(*) from people.staff) as staff`,
    );
  return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)])) as unknown as RowCounts;
}

/**
 * s001, academic year 2026/2027:
 *   5А (class teacher Петров Иван, the `s001.teacher` login): Смирнов Алексей (`s001.student`), Абрамова Мария, Ёлкин Пётр
 *   6Б: Смирнова Дарья, Сидоров Алексей, Васильева Ксения
 *   10А: nobody yet
 * Guardians: Смирнова Наталья (`s001.parent`), mother of Смирнов Алексей and Смирнова Дарья; Абрамов Денис, father of Абрамова Мария.
 */
async function seedStandard(service: PeopleService): Promise<SeededIds> {
  const seed = new PeopleSeed(service.em());
  const teacher = seed.staff({ ...demoPerson('teacher', 'Андреевич'), position: 'учитель математики' });
  const parent = seed.guardian({ ...demoPerson('parent', 'Викторовна'), phone: '+7 900 111-22-33' });
  const g5 = seed
    .classGroup('5А', teacher)
    .student({ ...demoPerson('student', 'Сергеевич'), birthDate: '2015-03-14' })
    .guardian(parent, 'mother')
    .student({ lastName: 'Абрамова', firstName: 'Мария', middleName: 'Денисовна', birthDate: '2015-07-02' })
    .guardian({ lastName: 'Абрамов', firstName: 'Денис', middleName: 'Олегович', phone: '+7 900 222-33-44' }, 'father')
    .student({ lastName: 'Ёлкин', firstName: 'Пётр', middleName: 'Ильич', birthDate: '2015-01-20' });
  const g6 = seed
    .classGroup('6Б')
    .student({ lastName: DEMO_S001.parent.lastName, firstName: 'Дарья', middleName: 'Сергеевна', birthDate: '2014-05-05' })
    .guardian(parent, 'mother')
    .student({ lastName: 'Сидоров', firstName: 'Алексей', middleName: null, birthDate: '2014-11-30' })
    .student({ lastName: 'Васильева', firstName: 'Ксения', middleName: 'Андреевна', birthDate: '2014-02-17' });
  const g10 = seed.classGroup('10А');
  // `students` lists the seed's pending rows, so read them before flush() links and clears them.
  const [smirnov, abramova] = g5.students;
  const [smirnova] = g6.students;
  await seed.flush();
  const id = (type: string, local: number) => toGlobalId(type, 's001', local);
  return {
    classTeacher: id('Staff', teacher.id),
    class5A: id('ClassGroup', g5.group.id),
    class6B: id('ClassGroup', g6.group.id),
    class10A: id('ClassGroup', g10.group.id),
    ownStudent: id('Student', smirnov!.id),
    sibling: id('Student', smirnova!.id),
    classmate: id('Student', abramova!.id),
    parentGuardian: id('Guardian', parent.id),
  };
}
