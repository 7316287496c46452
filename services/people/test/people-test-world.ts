import { authSettings, toGlobalId } from '@district/kit';
import { createTestDatabase, demoPersonId, gqlAt, keycloakUrl, tokenFor, type GraphQLAnswer } from '@district/kit/testing';
import { PeopleSeed, startPeople, type PeopleService } from '@district/people';

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
  /** Петров Иван: the student behind the `s001.student` login, child of `s001.parent`. */
  ownStudent: string;
  /** Петрова Дарья: the parent's second child, in 6Б. */
  sibling: string;
  /** Абрамова Мария: a classmate of Петров in 5А, not the parent's child. */
  classmate: string;
  /** Петрова Анна: the guardian behind the `s001.parent` login. */
  parentGuardian: string;
}

export interface PeopleWorld {
  service: PeopleService;
  schoolId: 's001';
  ids: SeededIds;
  /** POSTs an operation as a demo user (a real Keycloak token), or with no token when `user` is undefined. */
  gql(user: string | undefined, query: string, variables?: Record<string, unknown>): Promise<GraphQLAnswer>;
  /** Row counts of every people table, straight from PostgreSQL. */
  counts(): Promise<RowCounts>;
  close(): Promise<void>;
}

/**
 * One people instance for s001 on a free port with its own fresh database and
 * a small roster (see SeededIds). `seed: false` leaves the database empty.
 */
export async function startPeopleWorld(options: { seed?: boolean } = {}): Promise<PeopleWorld> {
  const db = await createTestDatabase('people');
  let service: PeopleService;
  try {
    service = await startPeople({
      schoolId: 's001',
      port: 0,
      databaseUrl: db.url,
      production: false,
      auth: authSettings(keycloakUrl(), 'district', 'district-api'),
      poolMax: 5,
    });
  } catch (error) {
    await db.drop();
    throw error;
  }
  const ids = options.seed === false ? ({} as SeededIds) : await seedStandard(service);
  return {
    service,
    schoolId: 's001',
    ids,
    gql: async (user, query, variables) => gqlAt(service.url, user ? await tokenFor(user) : undefined, query, variables),
    counts: () => countRows(service),
    close: async () => {
      await service.close();
      await db.drop();
    },
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
 *   5А (class teacher Смирнова, the `s001.teacher` login): Петров Иван (`s001.student`), Абрамова Мария, Ёлкин Пётр
 *   6Б: Петрова Дарья, Сидоров Алексей, Васильева Ксения
 *   10А: nobody yet
 * Guardians: Петрова Анна (`s001.parent`), mother of Петров Иван and Петрова Дарья; Абрамов Денис, father of Абрамова Мария.
 */
async function seedStandard(service: PeopleService): Promise<SeededIds> {
  const seed = new PeopleSeed(service.em());
  const teacher = seed.staff({ lastName: 'Смирнова', firstName: 'Ольга', middleName: 'Петровна', position: 'учитель математики', personId: demoPersonId(1, 'teacher') });
  const parent = seed.guardian({ lastName: 'Петрова', firstName: 'Анна', middleName: 'Викторовна', phone: '+7 900 111-22-33', personId: demoPersonId(1, 'parent') });
  const g5 = seed
    .classGroup('5А', teacher)
    .student({ lastName: 'Петров', firstName: 'Иван', middleName: 'Сергеевич', birthDate: '2015-03-14', personId: demoPersonId(1, 'student') })
    .guardian(parent, 'mother')
    .student({ lastName: 'Абрамова', firstName: 'Мария', middleName: 'Денисовна', birthDate: '2015-07-02' })
    .guardian({ lastName: 'Абрамов', firstName: 'Денис', middleName: 'Олегович', phone: '+7 900 222-33-44' }, 'father')
    .student({ lastName: 'Ёлкин', firstName: 'Пётр', middleName: 'Ильич', birthDate: '2015-01-20' });
  const g6 = seed
    .classGroup('6Б')
    .student({ lastName: 'Петрова', firstName: 'Дарья', middleName: 'Сергеевна', birthDate: '2014-05-05' })
    .guardian(parent, 'mother')
    .student({ lastName: 'Сидоров', firstName: 'Алексей', middleName: null, birthDate: '2014-11-30' })
    .student({ lastName: 'Васильева', firstName: 'Ксения', middleName: 'Андреевна', birthDate: '2014-02-17' });
  const g10 = seed.classGroup('10А');
  // `students` lists the seed's pending rows, so read them before flush() links and clears them.
  const [petrov, abramova] = g5.students;
  const [petrova] = g6.students;
  await seed.flush();
  const id = (type: string, local: number) => toGlobalId(type, 's001', local);
  return {
    classTeacher: id('Staff', teacher.id),
    class5A: id('ClassGroup', g5.group.id),
    class6B: id('ClassGroup', g6.group.id),
    class10A: id('ClassGroup', g10.group.id),
    ownStudent: id('Student', petrov!.id),
    sibling: id('Student', petrova!.id),
    classmate: id('Student', abramova!.id),
    parentGuardian: id('Guardian', parent.id),
  };
}
