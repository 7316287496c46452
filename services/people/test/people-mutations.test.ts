import { toGlobalId } from '@district/kit';
import { codes, type GraphQLAnswer, startPeopleWorld, type PeopleWorld } from './people-test-world';

let world: PeopleWorld;
beforeAll(async () => {
  world = await startPeopleWorld();
});
afterAll(async () => {
  await world?.close();
});

const DIRECTOR = 's001.director';

const CREATE_STUDENT = `mutation($schoolId: ID!, $input: StudentInput!) { createStudent(schoolId: $schoolId, input: $input) { id lastName firstName middleName fullName birthDate version classGroup { name } } }`;
const UPDATE_STUDENT = `mutation($id: ID!, $version: Int!, $input: StudentInput!) { updateStudent(id: $id, version: $version, input: $input) { id fullName birthDate version } }`;
const CREATE_CLASS = `mutation($input: ClassGroupInput!) { createClassGroup(schoolId: "s001", input: $input) { id name yearOfStudy academicYear version classTeacher { fullName } studentCount } }`;
const CREATE_GUARDIAN = `mutation($input: GuardianInput!) { createGuardian(schoolId: "s001", input: $input) { id fullName phone email version } }`;
const LINK = `mutation($s: ID!, $g: ID!, $r: String!) { linkGuardian(studentId: $s, guardianId: $g, relation: $r) }`;
const ENROLL = `mutation($s: ID!, $c: ID!, $d: String!) { enrollStudent(studentId: $s, classGroupId: $c, startDate: $d) { id startDate endDate student { fullName } classGroup { name } } }`;

/** Runs a mutation that must be refused with `code`, and proves nothing was written. */
async function refused(user: string, code: string, query: string, variables: Record<string, unknown>): Promise<GraphQLAnswer> {
  const before = await world.counts();
  const answer = await world.gql(user, query, variables);
  expect(codes(answer)).toEqual([code]);
  // A token that does not reach the school is refused before any field runs (403, no `data` at all).
  expect(answer.data ?? null).toBeNull();
  expect(await world.counts()).toEqual(before);
  return answer;
}

function fieldsOf(answer: GraphQLAnswer): string[] {
  return (answer.errors![0]!.extensions!.problems as { field: string }[]).map((p) => p.field).sort();
}

async function createStudent(input: Record<string, unknown>): Promise<{ id: string; version: number }> {
  const answer = await world.gql(DIRECTOR, CREATE_STUDENT, { schoolId: 's001', input });
  expect(answer.errors).toBeUndefined();
  return answer.data!.createStudent;
}

describe('students', () => {
  it('the director creates a student; a Russian date is stored as ISO, version 1, no class yet', async () => {
    const before = await world.counts();
    const answer = await world.gql(DIRECTOR, CREATE_STUDENT, {
      schoolId: 's001',
      input: { lastName: ' Кузнецов ', firstName: 'Роман', middleName: 'Игоревич', birthDate: '12.04.2016' },
    });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.createStudent).toMatchObject({
      lastName: 'Кузнецов',
      firstName: 'Роман',
      middleName: 'Игоревич',
      fullName: 'Кузнецов Роман Игоревич',
      birthDate: '2016-04-12',
      version: 1,
      classGroup: null,
    });
    expect(await world.counts()).toEqual({ ...before, students: before.students + 1 });

    const read = await world.gql('s001.deputy', `query($id: ID!) { student(id: $id) { fullName birthDate } }`, { id: answer.data!.createStudent.id });
    expect(read.data!.student).toEqual({ fullName: 'Кузнецов Роман Игоревич', birthDate: '2016-04-12' });
  });

  it('the same person (name and birth date) twice is DUPLICATE', async () => {
    await refused(DIRECTOR, 'DUPLICATE', CREATE_STUDENT, {
      schoolId: 's001',
      input: { lastName: 'Кузнецов', firstName: 'Роман', middleName: 'Игоревич', birthDate: '2016-04-12' },
    });
  });

  it('an update that would make a student the twin of another (letter case aside) is DUPLICATE', async () => {
    await createStudent({ lastName: 'Лебедев', firstName: 'Глеб', birthDate: '2016-02-02' });
    const other = await createStudent({ lastName: 'Лебедев', firstName: 'Гордей', birthDate: '2016-02-02' });
    await refused(DIRECTOR, 'DUPLICATE', UPDATE_STUDENT, {
      id: other.id,
      version: other.version,
      input: { lastName: 'ЛЕБЕДЕВ', firstName: 'глеб', birthDate: '2016-02-02' },
    });
    await refused(DIRECTOR, 'DUPLICATE', CREATE_STUDENT, { schoolId: 's001', input: { lastName: 'лебедев', firstName: 'ГЛЕБ', birthDate: '02.02.2016' } });
  });

  it('a person_id already used by another student is DUPLICATE', async () => {
    await refused(DIRECTOR, 'DUPLICATE', CREATE_STUDENT, {
      schoolId: 's001',
      input: { lastName: 'Другой', firstName: 'Ученик', birthDate: '2016-01-01', personId: '00000000-0000-4000-8000-000000000104' },
    });
  });

  it('updateStudent bumps the version; a stale version is CONFLICT naming the current one, and changes nothing', async () => {
    const created = await createStudent({ lastName: 'Морозова', firstName: 'Алиса', birthDate: '2016-06-01' });
    const updated = await world.gql(DIRECTOR, UPDATE_STUDENT, {
      id: created.id,
      version: 1,
      input: { lastName: 'Морозова', firstName: 'Алиса', middleName: 'Павловна', birthDate: '2016-06-02' },
    });
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateStudent).toEqual({ id: created.id, fullName: 'Морозова Алиса Павловна', birthDate: '2016-06-02', version: 2 });

    const stale = await refused(DIRECTOR, 'CONFLICT', UPDATE_STUDENT, {
      id: created.id,
      version: 1,
      input: { lastName: 'Морозова', firstName: 'Алиса', birthDate: '2016-06-03' },
    });
    expect(stale.errors![0]!.extensions!.current).toEqual({ version: 2 });
    const read = await world.gql('s001.deputy', `query($id: ID!) { student(id: $id) { fullName birthDate version } }`, { id: created.id });
    expect(read.data!.student).toEqual({ fullName: 'Морозова Алиса Павловна', birthDate: '2016-06-02', version: 2 });
  });

  it('an update that omits personId keeps the person id; an explicit null erases it', async () => {
    const personId = '00000000-0000-4000-8000-00000000a001';
    const created = await createStudent({ lastName: 'Зуева', firstName: 'Ника', birthDate: '2016-02-02', personId });
    const input = { lastName: 'Зуева', firstName: 'Ника', middleName: 'Олеговна', birthDate: '2016-02-02' };
    expect((await world.gql(DIRECTOR, UPDATE_STUDENT, { id: created.id, version: 1, input })).errors).toBeUndefined();
    const personIdOf = async () =>
      (await world.sql<{ person_id: string | null }>(`select person_id from people.student where last_name = 'Зуева'`))[0]!.person_id;
    expect(await personIdOf()).toBe(personId);
    expect((await world.gql(DIRECTOR, UPDATE_STUDENT, { id: created.id, version: 2, input: { ...input, personId: null } })).errors).toBeUndefined();
    expect(await personIdOf()).toBeNull();
  });

  it('updating a student that does not exist is NOT_FOUND', async () => {
    await refused(DIRECTOR, 'NOT_FOUND', UPDATE_STUDENT, {
      id: toGlobalId('Student', 's001', 987654),
      version: 1,
      input: { lastName: 'Нет', firstName: 'Такого', birthDate: '2016-01-01' },
    });
  });

  it('invalid input is BAD_USER_INPUT with every problem listed, and nothing written', async () => {
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const answer = await refused(DIRECTOR, 'BAD_USER_INPUT', CREATE_STUDENT, {
      schoolId: 's001',
      input: { lastName: '   ', firstName: 'R2-D2', birthDate: tomorrow, personId: 'not-a-uuid' },
    });
    expect(fieldsOf(answer)).toEqual(['birthDate', 'firstName', 'lastName', 'personId']);
    const problems = answer.errors![0]!.extensions!.problems as { field: string; message: string }[];
    expect(problems.find((p) => p.field === 'lastName')!.message).toBe('Фамилия: обязательное поле');
    expect(problems.find((p) => p.field === 'birthDate')!.message).toBe('Дата рождения: дата вне допустимого диапазона');

    const impossible = await refused(DIRECTOR, 'BAD_USER_INPUT', CREATE_STUDENT, {
      schoolId: 's001',
      input: { lastName: 'Иванов', firstName: 'Иван', birthDate: '31.02.2016' },
    });
    expect(fieldsOf(impossible)).toEqual(['birthDate']);
  });

  it('a teacher may not create or update students: FORBIDDEN, nothing written', async () => {
    await refused('s001.teacher', 'FORBIDDEN', CREATE_STUDENT, {
      schoolId: 's001',
      input: { lastName: 'Учительский', firstName: 'Ученик', birthDate: '2016-01-01' },
    });
    await refused('s001.teacher', 'FORBIDDEN', UPDATE_STUDENT, {
      id: world.ids.classmate,
      version: 1,
      input: { lastName: 'Абрамова', firstName: 'Мария', birthDate: '2015-07-02' },
    });
  });

  it('the director of another school may not create students in s001 (FORBIDDEN, 403)', async () => {
    expect(
      (
        await refused('s002.director', 'FORBIDDEN', CREATE_STUDENT, {
          schoolId: 's001',
          input: { lastName: 'Чужой', firstName: 'Ученик', birthDate: '2016-01-01' },
        })
      ).status,
    ).toBe(403);
  });
});

describe('class groups', () => {
  it('"5А" for a new academic year is created with year of study 5', async () => {
    const before = await world.counts();
    const answer = await world.gql(DIRECTOR, CREATE_CLASS, { input: { name: '5А', academicYear: '2027/2028', classTeacherId: world.ids.classTeacher } });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.createClassGroup).toMatchObject({
      name: '5А',
      yearOfStudy: 5,
      academicYear: '2027/2028',
      version: 1,
      classTeacher: { fullName: 'Петров Иван Андреевич' },
      studentCount: 0,
    });
    expect(await world.counts()).toEqual({ ...before, classGroups: before.classGroups + 1 });
  });

  it('a lowercase letter is normalised ("11б" → "11Б", year 11)', async () => {
    const answer = await world.gql(DIRECTOR, CREATE_CLASS, { input: { name: '11б', academicYear: '2026/2027' } });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.createClassGroup).toMatchObject({ name: '11Б', yearOfStudy: 11, academicYear: '2026/2027' });
  });

  it.each(['12Я', '5', '0А', '5AB', 'Б5'])('name "%s" is BAD_USER_INPUT on the name field', async (name) => {
    const answer = await refused(DIRECTOR, 'BAD_USER_INPUT', CREATE_CLASS, { input: { name, academicYear: '2026/2027' } });
    expect(fieldsOf(answer)).toEqual(['name']);
  });

  it('a bad name and a bad academic year are both reported', async () => {
    const answer = await refused(DIRECTOR, 'BAD_USER_INPUT', CREATE_CLASS, { input: { name: '12Я', academicYear: '2026/2028' } });
    expect(fieldsOf(answer)).toEqual(['academicYear', 'name']);
  });

  it('the same class in the same academic year is DUPLICATE (also when written in lowercase)', async () => {
    await refused(DIRECTOR, 'DUPLICATE', CREATE_CLASS, { input: { name: '5А', academicYear: '2026/2027' } });
    await refused(DIRECTOR, 'DUPLICATE', CREATE_CLASS, { input: { name: '6б', academicYear: '2026/2027' } });
  });

  it('an unknown class teacher is NOT_FOUND', async () => {
    await refused(DIRECTOR, 'NOT_FOUND', CREATE_CLASS, {
      input: { name: '9В', academicYear: '2026/2027', classTeacherId: toGlobalId('Staff', 's001', 424242) },
    });
  });

  it('a teacher may not create a class group', async () => {
    await refused('s001.teacher', 'FORBIDDEN', CREATE_CLASS, { input: { name: '9Г', academicYear: '2026/2027' } });
  });
});

describe('guardians', () => {
  it('createGuardian + linkGuardian: the student lists the new guardian with the relation', async () => {
    const before = await world.counts();
    const created = await world.gql(DIRECTOR, CREATE_GUARDIAN, {
      input: { lastName: 'Ёлкина', firstName: 'Вера', middleName: 'Андреевна', phone: '+7 (900) 555-66-77', email: 'vera@example.ru' },
    });
    expect(created.errors).toBeUndefined();
    const guardian = created.data!.createGuardian as { id: string };
    expect(created.data!.createGuardian).toMatchObject({
      fullName: 'Ёлкина Вера Андреевна',
      phone: '+7 (900) 555-66-77',
      email: 'vera@example.ru',
      version: 1,
    });

    const elkin = (await world.gql('s001.teacher', `{ students(schoolId: "s001", search: "Ёлкин") { id } }`)).data!.students[0].id as string;
    const linked = await world.gql(DIRECTOR, LINK, { s: elkin, g: guardian.id, r: 'mother' });
    expect(linked.errors).toBeUndefined();
    expect(linked.data!.linkGuardian).toBe(true);
    expect(await world.counts()).toEqual({ ...before, guardians: before.guardians + 1, guardianships: before.guardianships + 1 });

    const read = await world.gql(
      's001.teacher',
      `query($id: ID!) { student(id: $id) { guardians { relation guardian { id fullName children { fullName } } } } }`,
      { id: elkin },
    );
    expect(read.data!.student.guardians).toEqual([
      { relation: 'mother', guardian: { id: guardian.id, fullName: 'Ёлкина Вера Андреевна', children: [{ fullName: 'Ёлкин Пётр Ильич' }] } },
    ]);

    // the same link again is DUPLICATE
    await refused(DIRECTOR, 'DUPLICATE', LINK, { s: elkin, g: guardian.id, r: 'father' });
  });

  it('linking to an unknown student or guardian is NOT_FOUND; an unknown relation is BAD_USER_INPUT', async () => {
    await refused(DIRECTOR, 'NOT_FOUND', LINK, { s: toGlobalId('Student', 's001', 999999), g: world.ids.parentGuardian, r: 'mother' });
    await refused(DIRECTOR, 'NOT_FOUND', LINK, { s: world.ids.classmate, g: toGlobalId('Guardian', 's001', 999999), r: 'mother' });
    await refused(DIRECTOR, 'NOT_FOUND', LINK, { s: toGlobalId('Student', 's002', 1), g: world.ids.parentGuardian, r: 'mother' });
    await refused(DIRECTOR, 'BAD_USER_INPUT', LINK, { s: world.ids.classmate, g: world.ids.parentGuardian, r: 'aunt' });
  });

  it('a guardian with an empty last name, a bad email and a bad phone: every problem listed, nothing written', async () => {
    const answer = await refused(DIRECTOR, 'BAD_USER_INPUT', CREATE_GUARDIAN, { input: { lastName: '', firstName: 'Олег', phone: 'звоните', email: 'oleg@' } });
    expect(fieldsOf(answer)).toEqual(['email', 'lastName', 'phone']);
  });

  it('a teacher may not create or link guardians', async () => {
    await refused('s001.teacher', 'FORBIDDEN', CREATE_GUARDIAN, { input: { lastName: 'Орлова', firstName: 'Нина' } });
    await refused('s001.teacher', 'FORBIDDEN', LINK, { s: world.ids.classmate, g: world.ids.parentGuardian, r: 'other' });
  });

  it('staff list guardians sorted by surname (Ё with Е)', async () => {
    const answer = await world.gql('s001.teacher', `{ guardians(schoolId: "s001") { fullName } }`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.guardians.map((g: { fullName: string }) => g.fullName)).toEqual([
      'Абрамов Денис Олегович',
      'Ёлкина Вера Андреевна',
      'Смирнова Наталья Викторовна',
    ]);
  });
});

describe('enrollment', () => {
  const enrollmentsOf = async (studentGlobalId: string) => {
    const localId = Number(Buffer.from(studentGlobalId, 'base64url').toString('utf8').split(':')[2]);
    const rows = await world.service
      .em()
      .getConnection()
      .execute<{ name: string; start_date: string; end_date: string | null }[]>(
        `select g.name, to_char(e.start_date, 'YYYY-MM-DD') as start_date, to_char(e.end_date, 'YYYY-MM-DD') as end_date
           from people.enrollment e join people.class_group g on g.id = e.class_group_id where e.student_id = ? order by e.start_date`,
        [localId],
      );
    return rows.map((r) => [r.name, r.start_date, r.end_date]);
  };

  it('moving a student ends the previous enrollment the day before the new one starts', async () => {
    const before = await world.counts();
    const answer = await world.gql(DIRECTOR, ENROLL, { s: world.ids.classmate, c: world.ids.class6B, d: '01.03.2027' });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.enrollStudent).toMatchObject({
      startDate: '2027-03-01',
      endDate: null,
      student: { fullName: 'Абрамова Мария Денисовна' },
      classGroup: { name: '6Б' },
    });
    expect(await world.counts()).toEqual({ ...before, enrollments: before.enrollments + 1 });
    expect(await enrollmentsOf(world.ids.classmate)).toEqual([
      ['5А', '2026-09-01', '2027-02-28'],
      ['6Б', '2027-03-01', null],
    ]);

    const classes = await world.gql('s001.teacher', `{ classGroups(schoolId: "s001", academicYear: "2026/2027") { name studentCount } }`);
    const count = Object.fromEntries(classes.data!.classGroups.map((g: { name: string; studentCount: number }) => [g.name, g.studentCount]));
    expect(count).toMatchObject({ '5А': 2, '6Б': 4 });
  });

  it('enrolling into the class the student is in already is DUPLICATE', async () => {
    await refused(DIRECTOR, 'DUPLICATE', ENROLL, { s: world.ids.classmate, c: world.ids.class6B, d: '2027-04-01' });
    expect(await enrollmentsOf(world.ids.classmate)).toHaveLength(2);
  });

  it('a move dated on or before the current enrollment’s start is BAD_USER_INPUT', async () => {
    await refused(DIRECTOR, 'BAD_USER_INPUT', ENROLL, { s: world.ids.classmate, c: world.ids.class10A, d: '2027-03-01' });
    await refused(DIRECTOR, 'BAD_USER_INPUT', ENROLL, { s: world.ids.classmate, c: world.ids.class10A, d: 'завтра' });
  });

  it('a student with no class is enrolled without ending anything', async () => {
    const created = await createStudent({ lastName: 'Новиков', firstName: 'Глеб', birthDate: '2011-10-10' });
    const answer = await world.gql(DIRECTOR, ENROLL, { s: created.id, c: world.ids.class10A, d: '2026-09-01' });
    expect(answer.errors).toBeUndefined();
    expect(await enrollmentsOf(created.id)).toEqual([['10А', '2026-09-01', null]]);
  });

  it('unknown student or class is NOT_FOUND; a teacher is FORBIDDEN', async () => {
    await refused(DIRECTOR, 'NOT_FOUND', ENROLL, { s: toGlobalId('Student', 's001', 999999), c: world.ids.class10A, d: '2027-05-01' });
    await refused(DIRECTOR, 'NOT_FOUND', ENROLL, { s: world.ids.ownStudent, c: toGlobalId('ClassGroup', 's001', 999999), d: '2027-05-01' });
    await refused('s001.teacher', 'FORBIDDEN', ENROLL, { s: world.ids.ownStudent, c: world.ids.class10A, d: '2027-05-01' });
    expect(await enrollmentsOf(world.ids.ownStudent)).toEqual([['5А', '2026-09-01', null]]);
  });
});
