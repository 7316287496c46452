import { toGlobalId } from '@district/kit';
import { Enrollment, Guardianship, PeopleSeed, Student, type Guardian, type PeopleService, type Staff } from '@district/people';
import { startPeopleWorld, type PeopleWorld } from './people-test-world';

let world: PeopleWorld;
beforeAll(async () => {
  world = await startPeopleWorld({ seed: false });
});
afterAll(async () => {
  await world?.close();
});

const LETTERS = ['А', 'Б', 'В', 'Г'];

/**
 * `classes` new class groups of `perClass` students, each with a class teacher.
 * Every student has a guardian; every second guardian also has the next
 * student as a child (siblings in one class), and one guardian per call has a
 * child who is in no class any more, so Guardian.children must fetch students
 * the class lists did not load.
 */
async function addRoster(service: PeopleService, batch: number, classes: number, perClass: number): Promise<void> {
  const seed = new PeopleSeed(service.em());
  let n = 0;
  for (let c = 0; c < classes; c++) {
    const teacher = seed.staff({ lastName: `Учитель${batch}x${c}`, firstName: 'Ирина', position: 'учитель' });
    const group = seed.classGroup(`${(c % 11) + 1}${LETTERS[batch * 2 + Math.floor(c / 11)]}`, teacher);
    let shared: ReturnType<PeopleSeed['guardian']> | undefined;
    for (let s = 0; s < perClass; s++, n++) {
      group.student({ lastName: `Фамилия${batch}x${n}`, firstName: 'Имя', middleName: 'Отчество', birthDate: '2015-01-01' });
      if (shared) {
        group.guardian(shared, 'father');
        shared = undefined;
      } else {
        const guardian = seed.guardian({ lastName: `Родитель${batch}x${n}`, firstName: 'Олег', phone: '+7 900 000-00-00' });
        group.guardian(guardian, 'mother');
        shared = guardian;
      }
    }
  }
  const em = seed.em;
  const parent = seed.guardian({ lastName: `Выпускник-родитель${batch}`, firstName: 'Анна' });
  const graduate = em.create(Student, { lastName: `Выпускник${batch}`, firstName: 'Пётр', middleName: null, personId: null, birthDate: '2008-01-01' } as never);
  await seed.flush();
  em.create(Guardianship, { guardianId: parent.id, studentId: graduate.id, relation: 'mother' } as never);
  // the graduate's parent also has a child in the first class, so they appear in the query
  const firstStudent = await em.findOneOrFail(Student, { lastName: `Фамилия${batch}x0` });
  em.create(Guardianship, { guardianId: parent.id, studentId: firstStudent.id, relation: 'mother' } as never);
  await em.flush();
}

const QUERY = `{
  classGroups(schoolId: "s001") {
    name
    students {
      fullName
      classGroup { name }
      guardians { guardian { fullName children { fullName } } relation }
    }
    classTeacher { fullName }
  }
}`;

type Answer = {
  name: string;
  classTeacher: { fullName: string } | null;
  students: {
    fullName: string;
    classGroup: { name: string };
    guardians: { relation: string; guardian: { fullName: string; children: { fullName: string }[] } }[];
  }[];
}[];

async function measure(): Promise<{ statements: number; groups: Answer }> {
  // The deputy reads every student's guardians; what a teacher reads costs one more statement (personal-data-access.test.ts).
  const token = 's001.deputy';
  await world.gql(token, `{ __typename }`); // fetch the token outside the measured request
  world.service.sql.reset();
  const answer = await world.gql(token, QUERY);
  const statements = world.service.sql.count;
  expect(answer.errors).toBeUndefined();
  return { statements, groups: answer.data!.classGroups as Answer };
}

describe('SQL statements per request', () => {
  it('stay the same when the roster grows tenfold', async () => {
    await addRoster(world.service, 0, 2, 3);
    const small = await measure();
    const smallStudents = small.groups.flatMap((g) => g.students);
    expect(small.groups).toHaveLength(2);
    expect(smallStudents).toHaveLength(6);
    expect(small.groups.every((g) => g.classTeacher !== null)).toBe(true);
    expect(smallStudents.every((s) => s.guardians.length >= 1)).toBe(true);
    const graduateParent = smallStudents[0]!.guardians.find((l) => l.guardian.fullName.startsWith('Выпускник-родитель0'))!;
    expect(graduateParent.guardian.children.map((c) => c.fullName).sort()).toEqual(['Выпускник0 Пётр', 'Фамилия0x0 Имя Отчество']);

    await addRoster(world.service, 1, 12, 5);
    const large = await measure();
    const largeStudents = large.groups.flatMap((g) => g.students);
    expect(large.groups).toHaveLength(14);
    expect(largeStudents).toHaveLength(66);
    expect(large.groups.every((g) => g.students.every((s) => s.classGroup.name === g.name))).toBe(true);
    expect(large.groups.every((g) => g.classTeacher?.fullName.startsWith('Учитель'))).toBe(true);

    // one statement for the class groups plus one per relation: enrollments, students, the students' current
    // enrollment, its class group, guardianships, guardians, the guardians' children links, students not yet
    // loaded, class teachers
    expect(small.statements).toBe(10);
    expect(large.statements).toBe(small.statements);
  });
});

/** `count` more of each kind for account administration: staff, students of 11Я (each with a guardian); returns their global ids, kind by kind. */
async function addAccountPersons(service: PeopleService, from: number, count: number): Promise<string[]> {
  const seed = new PeopleSeed(service.em());
  if (from === 0) seed.classGroup('11Я');
  const staff: Staff[] = [];
  const guardians: Guardian[] = [];
  for (let i = from; i < from + count; i++) {
    staff.push(seed.staff({ lastName: `Учётный-сотрудник${i}`, firstName: 'Ирина', position: 'учитель' }));
    guardians.push(seed.guardian({ lastName: `Учётный-родитель${i}`, firstName: 'Олег' }));
  }
  await seed.flush();
  const em = seed.em;
  const [klass] = await em.getConnection().execute<{ id: number }[]>(`select id from people.class_group where name = '11Я'`);
  const students = guardians.map((_, i) =>
    em.create(Student, { lastName: `Учётный-ученик${from + i}`, firstName: 'Пётр', middleName: null, personId: null, birthDate: '2009-01-01' } as never),
  );
  await em.flush();
  students.forEach((student, i) => {
    em.create(Enrollment, { studentId: student.id, classGroupId: klass!.id, startDate: '2026-09-01', endDate: null } as never);
    em.create(Guardianship, { guardianId: guardians[i]!.id, studentId: student.id, relation: 'father' } as never);
  });
  await em.flush();
  const id = (type: string, local: number) => toGlobalId(type, 's001', local);
  return [...staff.map((s) => id('Staff', s.id)), ...students.map((s) => id('Student', s.id)), ...guardians.map((g) => id('Guardian', g.id))];
}

/** The statements one operation costs the director of s001. */
async function statementsOf(query: string, variables: Record<string, unknown>): Promise<{ statements: number; data: Record<string, any> }> {
  await world.gql('s001.director', `{ __typename }`); // fetch the token outside the measured request
  world.service.sql.reset();
  const answer = await world.gql('s001.director', query, variables);
  const statements = world.service.sql.count;
  expect(answer.errors).toBeUndefined();
  return { statements, data: answer.data! };
}

const ACCOUNT_PERSONS = `query($ids: [ID!]) { accountPersons(schoolId: "s001", ids: $ids) { id kind fullName personId active classGroupName } }`;
const ASSIGN_PERSON_IDS = `mutation($ids: [ID!]!) { assignPersonIds(schoolId: "s001", ids: $ids) { id personId } }`;

describe('SQL statements of account administration', () => {
  it('are the same for 3 and for 30 persons, listed (by id or all current) or given person ids', async () => {
    const three = await addAccountPersons(world.service, 0, 1);
    const smallList = await statementsOf(ACCOUNT_PERSONS, {});
    const smallByIds = await statementsOf(ACCOUNT_PERSONS, { ids: three });
    const smallAssign = await statementsOf(ASSIGN_PERSON_IDS, { ids: three });
    expect(smallByIds.data.accountPersons.map((p: { id: string }) => p.id)).toEqual(three);
    expect(smallByIds.data.accountPersons.map((p: { kind: string; active: boolean }) => [p.kind, p.active])).toEqual([
      ['STAFF', true],
      ['STUDENT', true],
      ['GUARDIAN', true],
    ]);
    expect(smallAssign.data.assignPersonIds.every((p: { personId: string | null }) => p.personId !== null)).toBe(true);

    const thirty = [...three, ...(await addAccountPersons(world.service, 1, 9))];
    const largeList = await statementsOf(ACCOUNT_PERSONS, {});
    const largeByIds = await statementsOf(ACCOUNT_PERSONS, { ids: thirty });
    const largeAssign = await statementsOf(ASSIGN_PERSON_IDS, { ids: thirty });
    expect(largeByIds.data.accountPersons).toHaveLength(30);
    expect(largeByIds.data.accountPersons.filter((p: { classGroupName: string | null }) => p.classGroupName === '11Я')).toHaveLength(10);
    expect(largeList.data.accountPersons.length).toBe(smallList.data.accountPersons.length + 27);
    expect(new Set(largeAssign.data.assignPersonIds.map((p: { personId: string }) => p.personId)).size).toBe(30);

    // one statement reads the persons; giving person ids: begin, read, one update per kind, read again, commit
    expect([smallList.statements, smallByIds.statements, smallAssign.statements]).toEqual([1, 1, 7]);
    expect([largeList.statements, largeByIds.statements, largeAssign.statements]).toEqual([1, 1, 7]);
  });
});
