import { toGlobalId } from '@district/kit';
import { codes, startPeopleWorld, type PeopleWorld } from './people-test-world';

let world: PeopleWorld;
beforeAll(async () => {
  world = await startPeopleWorld();
});
afterAll(async () => {
  await world?.close();
});

const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Student { id fullName } ... on School { id studentCount classGroupCount } } }`;
const STUDENTS = `query($schoolId: ID!) { students(schoolId: $schoolId) { id fullName birthDate classGroup { name } } }`;
const STUDENT = `query($id: ID!) { student(id: $id) { id fullName classGroup { name } } }`;

describe('a caller without a valid token', () => {
  it.each([
    ['a root field', `{ students(schoolId: "s001") { id } }`, undefined],
    ['_service { sdl }', `{ _service { sdl } }`, undefined],
    ['_entities', ENTITIES, { r: [{ __typename: 'School', id: 's001' }] }],
  ])('gets 401 UNAUTHENTICATED for %s and no data', async (_what, query, variables) => {
    const answer = await world.gql(undefined, query, variables);
    expect(answer.status).toBe(401);
    expect(answer.data).toBeUndefined();
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
  });

  it('gets 401 for a token that is not a valid Keycloak token', async () => {
    const response = await fetch(world.service.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl' },
      body: JSON.stringify({ query: '{ _service { sdl } }' }),
    });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('with a token, _service answers with the subgraph SDL', async () => {
    const answer = await world.gql('s001.teacher', `{ _service { sdl } }`);
    expect(answer.status).toBe(200);
    expect(answer.data!._service.sdl).toMatch(/type Student\s+@key\(fields: "id"\)/);
  });
});

describe('staff of the school', () => {
  it('s001.deputy lists the students of s001 sorted by surname (Ё among Е, not first), with birth dates', async () => {
    const answer = await world.gql('s001.deputy', STUDENTS, { schoolId: 's001' });
    expect(answer.errors).toBeUndefined();
    const students = answer.data!.students as { id: string; fullName: string; birthDate: string; classGroup: { name: string } | null }[];
    expect(students.map((s) => [s.fullName, s.classGroup?.name ?? null])).toEqual([
      ['Абрамова Мария Денисовна', '5А'],
      ['Васильева Ксения Андреевна', '6Б'],
      ['Ёлкин Пётр Ильич', '5А'],
      ['Сидоров Алексей', '6Б'],
      ['Смирнов Алексей Сергеевич', '5А'],
      ['Смирнова Дарья Сергеевна', '6Б'],
    ]);
    expect(students.find((s) => s.fullName.startsWith('Смирнов Алексей'))).toMatchObject({ id: world.ids.ownStudent, birthDate: '2015-03-14' });
  });

  it('s001.teacher lists the same roster (names and classes); birth dates only of their own class 5А (the rest: FORBIDDEN)', async () => {
    const answer = await world.gql('s001.teacher', STUDENTS, { schoolId: 's001' });
    const students = answer.data!.students as { fullName: string; birthDate: string | null; classGroup: { name: string } | null }[];
    expect(students.map((s) => [s.fullName, s.classGroup?.name ?? null, s.birthDate])).toEqual([
      ['Абрамова Мария Денисовна', '5А', '2015-07-02'],
      ['Васильева Ксения Андреевна', '6Б', null],
      ['Ёлкин Пётр Ильич', '5А', '2015-01-20'],
      ['Сидоров Алексей', '6Б', null],
      ['Смирнов Алексей Сергеевич', '5А', '2015-03-14'],
      ['Смирнова Дарья Сергеевна', '6Б', null],
    ]);
    expect(answer.errors!.map((e) => [e.extensions!.code, e.path])).toEqual([
      ['FORBIDDEN', ['students', 1, 'birthDate']],
      ['FORBIDDEN', ['students', 3, 'birthDate']],
      ['FORBIDDEN', ['students', 5, 'birthDate']],
    ]);
  });

  it('s001.teacher filters students by class group and by surname prefix', async () => {
    const byClass = await world.gql('s001.teacher', `query($c: ID!) { students(schoolId: "s001", classGroupId: $c) { fullName } }`, { c: world.ids.class6B });
    expect(byClass.errors).toBeUndefined();
    expect(byClass.data!.students.map((s: { fullName: string }) => s.fullName)).toEqual([
      'Васильева Ксения Андреевна',
      'Сидоров Алексей',
      'Смирнова Дарья Сергеевна',
    ]);
    const bySurname = await world.gql('s001.teacher', `{ students(schoolId: "s001", search: "смир") { fullName } }`);
    expect(bySurname.errors).toBeUndefined();
    expect(bySurname.data!.students.map((s: { fullName: string }) => s.fullName)).toEqual(['Смирнов Алексей Сергеевич', 'Смирнова Дарья Сергеевна']);
  });

  it('s001.teacher lists class groups of s001 by year of study, with students and class teacher', async () => {
    const answer = await world.gql(
      's001.teacher',
      `{ classGroups(schoolId: "s001") { id name yearOfStudy academicYear studentCount classTeacher { fullName } students { fullName } } }`,
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.classGroups).toEqual([
      {
        id: world.ids.class5A,
        name: '5А',
        yearOfStudy: 5,
        academicYear: '2026/2027',
        studentCount: 3,
        classTeacher: { fullName: 'Петров Иван Андреевич' },
        students: [{ fullName: 'Абрамова Мария Денисовна' }, { fullName: 'Ёлкин Пётр Ильич' }, { fullName: 'Смирнов Алексей Сергеевич' }],
      },
      {
        id: world.ids.class6B,
        name: '6Б',
        yearOfStudy: 6,
        academicYear: '2026/2027',
        studentCount: 3,
        classTeacher: null,
        students: [{ fullName: 'Васильева Ксения Андреевна' }, { fullName: 'Сидоров Алексей' }, { fullName: 'Смирнова Дарья Сергеевна' }],
      },
      { id: world.ids.class10A, name: '10А', yearOfStudy: 10, academicYear: '2026/2027', studentCount: 0, classTeacher: null, students: [] },
    ]);
  });

  it('myClassGroups: s001.teacher gets the class they lead (5А); the deputy, who leads none, and a parent get an empty list', async () => {
    const query = `{ myClassGroups(schoolId: "s001") { id name classTeacher { fullName } } }`;
    const teacher = await world.gql('s001.teacher', query);
    expect(teacher.errors).toBeUndefined();
    expect(teacher.data!.myClassGroups).toEqual([{ id: world.ids.class5A, name: '5А', classTeacher: { fullName: 'Петров Иван Андреевич' } }]);
    for (const login of ['s001.deputy', 's001.parent']) {
      const answer = await world.gql(login, query);
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.myClassGroups).toEqual([]);
    }
    const stranger = await world.gql('s002.teacher', query);
    expect(stranger.status).toBe(403);
  });

  it('a root field naming another school on the s001 instance is refused with NOT_FOUND', async () => {
    for (const query of [STUDENTS, `query($schoolId: ID!) { classGroups(schoolId: $schoolId) { name } }`]) {
      const answer = await world.gql('s001.teacher', query, { schoolId: 's002' });
      expect(answer.data).toBeNull();
      expect(codes(answer)).toEqual(['NOT_FOUND']);
    }
  });

  it('an id of another school is NOT_FOUND here, even for staff', async () => {
    const foreign = toGlobalId('Student', 's002', 1);
    const answer = await world.gql('s001.teacher', STUDENT, { id: foreign });
    expect(answer.data?.student ?? null).toBeNull();
    expect(codes(answer)).toEqual(['NOT_FOUND']);
  });

  it('s002.teacher (school_ids [s002]) is refused on s001 students, class groups and guardians before any field runs (403)', async () => {
    for (const query of [
      STUDENTS,
      `query($schoolId: ID!) { classGroups(schoolId: $schoolId) { name } }`,
      `query($schoolId: ID!) { guardians(schoolId: $schoolId) { fullName } }`,
    ]) {
      const answer = await world.gql('s002.teacher', query, { schoolId: 's001' });
      expect(answer.status).toBe(403);
      expect(answer.data ?? null).toBeNull();
      expect(codes(answer)).toEqual(['FORBIDDEN']);
    }
  });
});

describe('a parent', () => {
  it('s001.parent reads their own child by id, with class group', async () => {
    const answer = await world.gql('s001.parent', STUDENT, { id: world.ids.ownStudent });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.student).toEqual({ id: world.ids.ownStudent, fullName: 'Смирнов Алексей Сергеевич', classGroup: { name: '5А' } });
  });

  it('myChildren returns exactly their two children, sorted by surname', async () => {
    const answer = await world.gql('s001.parent', `{ myChildren { id fullName classGroup { name } school { id } } }`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.myChildren).toEqual([
      { id: world.ids.ownStudent, fullName: 'Смирнов Алексей Сергеевич', classGroup: { name: '5А' }, school: { id: 's001' } },
      { id: world.ids.sibling, fullName: 'Смирнова Дарья Сергеевна', classGroup: { name: '6Б' }, school: { id: 's001' } },
    ]);
  });

  it('student(id) of someone else’s child is FORBIDDEN', async () => {
    const answer = await world.gql('s001.parent', STUDENT, { id: world.ids.classmate });
    expect(answer.data!.student).toBeNull();
    expect(codes(answer)).toEqual(['FORBIDDEN']);
  });

  it('may not list the school’s students', async () => {
    const answer = await world.gql('s001.parent', STUDENTS, { schoolId: 's001' });
    expect(answer.data).toBeNull();
    expect(codes(answer)).toEqual(['FORBIDDEN']);
  });

  it('_entities gives the parent their child and null for another student', async () => {
    const answer = await world.gql('s001.parent', ENTITIES, {
      r: [
        { __typename: 'Student', id: world.ids.classmate },
        { __typename: 'Student', id: world.ids.sibling },
      ],
    });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!._entities).toEqual([null, { __typename: 'Student', id: world.ids.sibling, fullName: 'Смирнова Дарья Сергеевна' }]);
  });

  it('a teacher has no children: myChildren is empty', async () => {
    const answer = await world.gql('s001.teacher', `{ myChildren { id } }`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.myChildren).toEqual([]);
  });
});

describe('a student', () => {
  it('s001.student sees themself', async () => {
    const answer = await world.gql('s001.student', STUDENT, { id: world.ids.ownStudent });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.student).toEqual({ id: world.ids.ownStudent, fullName: 'Смирнов Алексей Сергеевич', classGroup: { name: '5А' } });
  });

  it('s001.student does not see a classmate, nor the class list: their class holds only themself', async () => {
    const classmate = await world.gql('s001.student', STUDENT, { id: world.ids.classmate });
    expect(classmate.data!.student).toBeNull();
    expect(codes(classmate)).toEqual(['FORBIDDEN']);
    // A class group names no student by itself, so the root field answers like _entities: the class, with only the students the viewer may see.
    const list = await world.gql('s001.student', `query($id: ID!) { classGroup(id: $id) { name studentCount students { fullName } } }`, {
      id: world.ids.class5A,
    });
    expect(list.errors).toBeUndefined();
    expect(list.data!.classGroup).toEqual({ name: '5А', studentCount: 3, students: [{ fullName: 'Смирнов Алексей Сергеевич' }] });
  });
});

describe('the district analyst', () => {
  it('gets FORBIDDEN on the list of students (personal data)', async () => {
    const answer = await world.gql('analyst', STUDENTS, { schoolId: 's001' });
    expect(answer.data).toBeNull();
    expect(codes(answer)).toEqual(['FORBIDDEN']);
  });

  it('reads the School aggregates through _entities, but no student through it', async () => {
    const answer = await world.gql('analyst', ENTITIES, {
      r: [
        { __typename: 'School', id: 's001' },
        { __typename: 'Student', id: world.ids.ownStudent },
      ],
    });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!._entities).toEqual([{ __typename: 'School', id: 's001', studentCount: 6, classGroupCount: 3 }, null]);
  });

  it('a School of another school resolves to null here', async () => {
    const answer = await world.gql('analyst', ENTITIES, { r: [{ __typename: 'School', id: 's002' }] });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!._entities).toEqual([null]);
  });

  it('a parent may not read the school aggregates', async () => {
    const answer = await world.gql('s001.parent', ENTITIES, { r: [{ __typename: 'School', id: 's001' }] });
    expect(codes(answer)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(answer.data!._entities).toEqual([{ __typename: 'School', id: 's001', studentCount: null, classGroupCount: null }]);
  });
});

describe('_entities across schools', () => {
  it('a Student representation of another school is null, and the s001 ones resolve in order', async () => {
    const answer = await world.gql('s001.teacher', ENTITIES, {
      r: [
        { __typename: 'Student', id: world.ids.classmate },
        { __typename: 'Student', id: toGlobalId('Student', 's002', 1) },
        { __typename: 'Student', id: world.ids.ownStudent },
      ],
    });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!._entities).toEqual([
      { __typename: 'Student', id: world.ids.classmate, fullName: 'Абрамова Мария Денисовна' },
      null,
      { __typename: 'Student', id: world.ids.ownStudent, fullName: 'Смирнов Алексей Сергеевич' },
    ]);
  });

  it('s002.teacher resolving an s001 student through _entities is refused (403), no entity answered', async () => {
    const answer = await world.gql('s002.teacher', ENTITIES, { r: [{ __typename: 'Student', id: world.ids.ownStudent }] });
    expect(answer.status).toBe(403);
    expect(codes(answer)).toEqual(['FORBIDDEN']);
    expect(answer.data ?? null).toBeNull();
  });
});

describe('no class list leaks to parents and students through nested fields', () => {
  it('a parent reaching their child’s class sees only their own child there (the count stays an aggregate)', async () => {
    const answer = await world.gql('s001.parent', `{ myChildren { fullName classGroup { name studentCount students { fullName } } } }`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.myChildren).toEqual([
      { fullName: 'Смирнов Алексей Сергеевич', classGroup: { name: '5А', studentCount: 3, students: [{ fullName: 'Смирнов Алексей Сергеевич' }] } },
      { fullName: 'Смирнова Дарья Сергеевна', classGroup: { name: '6Б', studentCount: 3, students: [{ fullName: 'Смирнова Дарья Сергеевна' }] } },
    ]);
  });

  it('a student resolving class groups through _entities sees only themself, and nobody in another class', async () => {
    const answer = await world.gql(
      's001.student',
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on ClassGroup { name students { fullName birthDate } } } }`,
      {
        r: [
          { __typename: 'ClassGroup', id: world.ids.class5A },
          { __typename: 'ClassGroup', id: world.ids.class6B },
        ],
      },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!._entities).toEqual([
      { name: '5А', students: [{ fullName: 'Смирнов Алексей Сергеевич', birthDate: '2015-03-14' }] },
      { name: '6Б', students: [] },
    ]);
  });

  it('a student sees their guardian, but not the guardian’s other children', async () => {
    const answer = await world.gql(
      's001.student',
      `query($id: ID!) { student(id: $id) { guardians { relation guardian { fullName children { fullName } } } } }`,
      {
        id: world.ids.ownStudent,
      },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.student.guardians).toEqual([
      { relation: 'mother', guardian: { fullName: 'Смирнова Наталья Викторовна', children: [{ fullName: 'Смирнов Алексей Сергеевич' }] } },
    ]);
  });

  it('the deputy sees the whole class and every child of a guardian', async () => {
    const answer = await world.gql(
      's001.deputy',
      `query($id: ID!) { student(id: $id) { classGroup { students { fullName } } guardians { guardian { children { fullName } } } } }`,
      {
        id: world.ids.ownStudent,
      },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.student).toEqual({
      classGroup: { students: [{ fullName: 'Абрамова Мария Денисовна' }, { fullName: 'Ёлкин Пётр Ильич' }, { fullName: 'Смирнов Алексей Сергеевич' }] },
      guardians: [{ guardian: { children: [{ fullName: 'Смирнов Алексей Сергеевич' }, { fullName: 'Смирнова Дарья Сергеевна' }] } }],
    });
  });

  it('the class teacher sees the whole class, and of a guardian’s children only those they work with (Дарья, 6Б, is not)', async () => {
    const answer = await world.gql(
      's001.teacher',
      `query($id: ID!) { student(id: $id) { classGroup { students { fullName } } guardians { guardian { children { fullName } } } } }`,
      {
        id: world.ids.ownStudent,
      },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.student).toEqual({
      classGroup: { students: [{ fullName: 'Абрамова Мария Денисовна' }, { fullName: 'Ёлкин Пётр Ильич' }, { fullName: 'Смирнов Алексей Сергеевич' }] },
      guardians: [{ guardian: { children: [{ fullName: 'Смирнов Алексей Сергеевич' }] } }],
    });
  });
});
