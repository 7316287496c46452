import { parseGlobalId, toGlobalId, tryParseGlobalId } from '@district/kit';
import { DEMO_S001 } from '@district/kit/testing';
import { Enrollment, Guardianship, PeopleSeed, Student } from '@district/people';
import { codes, startPeopleWorld, type GraphQLAnswer, type PeopleWorld } from './people-test-world';

const DIRECTOR = 's001.director';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const FIELDS = `id kind lastName firstName middleName fullName email personId active position classGroupName`;
const LIST = `query($schoolId: ID!, $ids: [ID!]) { accountPersons(schoolId: $schoolId, ids: $ids) { ${FIELDS} } }`;
const ASSIGN = `mutation($schoolId: ID!, $ids: [ID!]!) { assignPersonIds(schoolId: $schoolId, ids: $ids) { ${FIELDS} } }`;

interface AccountPerson {
  id: string;
  kind: 'STAFF' | 'STUDENT' | 'GUARDIAN';
  lastName: string;
  firstName: string;
  middleName: string | null;
  fullName: string;
  email: string | null;
  personId: string | null;
  active: boolean;
  position: string | null;
  classGroupName: string | null;
}

/** What the world adds to the standard seed: one current and one former person of each kind (see beforeAll). */
interface Extra {
  /** Белова Ольга Петровна, active staff, no person id. */
  belova: string;
  /** Орлов Пётр Ильич, a former teacher (active: false). */
  orlov: string;
  /** Кузьмин Илья, left 6Б on 2026-10-15. */
  kuzmin: string;
  /** Кузьмина Светлана, the mother of Кузьмин only. */
  kuzmina: string;
  /** Лебедев Андрей, a guardian with no child linked. */
  lebedev: string;
}

let world: PeopleWorld;
let extra: Extra;
beforeAll(async () => {
  world = await startPeopleWorld();
  const seed = new PeopleSeed(world.service.em());
  const belova = seed.staff({
    lastName: 'Белова',
    firstName: 'Ольга',
    middleName: 'Петровна',
    position: 'учитель русского языка',
    email: 'belova@s001.example',
  });
  const orlov = seed.staff({ lastName: 'Орлов', firstName: 'Пётр', middleName: 'Ильич', position: 'учитель физики' });
  orlov.active = false;
  const kuzmina = seed.guardian({ lastName: 'Кузьмина', firstName: 'Светлана', email: 'kuzmina@mail.example' });
  const lebedev = seed.guardian({ lastName: 'Лебедев', firstName: 'Андрей' });
  const em = seed.em;
  const kuzmin = em.create(Student, { lastName: 'Кузьмин', firstName: 'Илья', middleName: null, personId: null, birthDate: '2014-09-09' } as never);
  await seed.flush();
  const class6B = parseGlobalId(world.ids.class6B, 'ClassGroup').localId;
  em.create(Enrollment, { studentId: kuzmin.id, classGroupId: class6B, startDate: '2026-09-01', endDate: '2026-10-15' } as never);
  em.create(Guardianship, { guardianId: kuzmina.id, studentId: kuzmin.id, relation: 'mother' } as never);
  await em.flush();
  const id = (type: string, local: number) => toGlobalId(type, 's001', local);
  extra = {
    belova: id('Staff', belova.id),
    orlov: id('Staff', orlov.id),
    kuzmin: id('Student', kuzmin.id),
    kuzmina: id('Guardian', kuzmina.id),
    lebedev: id('Guardian', lebedev.id),
  };
});
afterAll(async () => {
  await world?.close();
});

async function list(user: string, ids?: string[]): Promise<AccountPerson[]> {
  const answer = await world.gql(user, LIST, { schoolId: 's001', ids });
  expect(answer.errors).toBeUndefined();
  return answer.data!.accountPersons as AccountPerson[];
}

/** kind, full name, active, position or class: what a reader checks in a list. */
const brief = (p: AccountPerson) => [p.kind, p.fullName, p.active, p.position ?? p.classGroupName];

/** Every person's person id and version, straight from PostgreSQL. */
async function personIdsInSql(): Promise<{ kind: string; id: number; person_id: string | null; version: number }[]> {
  return world.sql(
    `select 'STAFF' as kind, id, person_id::text, version from people.staff
     union all select 'STUDENT', id, person_id::text, version from people.student
     union all select 'GUARDIAN', id, person_id::text, version from people.guardian
     order by 1, 2`,
  );
}

async function personIdOf(globalId: string): Promise<string | null> {
  const { type, localId } = tryParseGlobalId(globalId)!;
  const table = { Staff: 'people.staff', Student: 'people.student', Guardian: 'people.guardian' }[type]!;
  const [row] = await world.sql<{ person_id: string | null }>(`select person_id::text from ${table} where id = ?`, [Number(localId)]);
  return row!.person_id;
}

/** A call that must be refused with `code`, leaving every person id and version as it was. */
async function refused(user: string, code: string, query: string, variables: Record<string, unknown>): Promise<GraphQLAnswer> {
  const before = await personIdsInSql();
  const answer = await world.gql(user, query, variables);
  expect(codes(answer)).toEqual([code]);
  expect(answer.data ?? null).toBeNull();
  expect(await personIdsInSql()).toEqual(before);
  return answer;
}

const CURRENT = [
  ['STAFF', 'Белова Ольга Петровна', true, 'учитель русского языка'],
  ['STAFF', 'Петров Иван Андреевич', true, 'учитель математики'],
  ['STUDENT', 'Абрамова Мария Денисовна', true, '5А'],
  ['STUDENT', 'Васильева Ксения Андреевна', true, '6Б'],
  ['STUDENT', 'Ёлкин Пётр Ильич', true, '5А'],
  ['STUDENT', 'Сидоров Алексей', true, '6Б'],
  ['STUDENT', 'Смирнов Алексей Сергеевич', true, '5А'],
  ['STUDENT', 'Смирнова Дарья Сергеевна', true, '6Б'],
  ['GUARDIAN', 'Абрамов Денис Олегович', true, null],
  ['GUARDIAN', 'Смирнова Наталья Викторовна', true, null],
];

describe('accountPersons: the director of s001', () => {
  it('lists every current person: active staff, students enrolled now, guardians of one of them; by kind, then surname (Ё among Е)', async () => {
    const persons = await list(DIRECTOR);
    expect(persons.map(brief)).toEqual(CURRENT);
    // the former teacher, the student who left, his mother and the guardian without a child are not current
    expect(persons.map((p) => p.id).filter((id) => [extra.orlov, extra.kuzmin, extra.kuzmina, extra.lebedev].includes(id))).toEqual([]);
  });

  it('sees each person’s ids, names, e-mail and the person ids the demo logins’ persons already have', async () => {
    const persons = await list(DIRECTOR);
    const byName = new Map(persons.map((p) => [p.fullName, p]));
    expect(byName.get('Петров Иван Андреевич')).toEqual({
      id: world.ids.classTeacher,
      kind: 'STAFF',
      lastName: 'Петров',
      firstName: 'Иван',
      middleName: 'Андреевич',
      fullName: 'Петров Иван Андреевич',
      email: null,
      personId: DEMO_S001.teacher.personId,
      active: true,
      position: 'учитель математики',
      classGroupName: null,
    });
    expect(byName.get('Белова Ольга Петровна')).toMatchObject({ id: extra.belova, email: 'belova@s001.example', personId: null });
    expect(byName.get('Смирнов Алексей Сергеевич')).toMatchObject({
      id: world.ids.ownStudent,
      personId: DEMO_S001.student.personId,
      email: null,
      position: null,
    });
    expect(byName.get('Смирнова Наталья Викторовна')).toMatchObject({
      id: world.ids.parentGuardian,
      personId: DEMO_S001.parent.personId,
      position: null,
      classGroupName: null,
    });
    expect(persons.filter((p) => p.personId !== null).map((p) => p.fullName)).toEqual([
      'Петров Иван Андреевич',
      'Смирнов Алексей Сергеевич',
      'Смирнова Наталья Викторовна',
    ]);
  });

  it('lists persons by id whatever their state, in the order asked; ids of another school, of other types and unknown ids are skipped', async () => {
    const persons = await list(DIRECTOR, [
      extra.kuzmin,
      toGlobalId('Student', 's002', 1),
      extra.orlov,
      'not-an-id',
      world.ids.parentGuardian,
      world.ids.class5A,
      toGlobalId('Guardian', 's001', 987654),
      extra.kuzmina,
      extra.lebedev,
      extra.orlov,
    ]);
    expect(persons.map((p) => [p.id, ...brief(p)])).toEqual([
      [extra.kuzmin, 'STUDENT', 'Кузьмин Илья', false, null],
      [extra.orlov, 'STAFF', 'Орлов Пётр Ильич', false, 'учитель физики'],
      [world.ids.parentGuardian, 'GUARDIAN', 'Смирнова Наталья Викторовна', true, null],
      [extra.kuzmina, 'GUARDIAN', 'Кузьмина Светлана', false, null],
      [extra.lebedev, 'GUARDIAN', 'Лебедев Андрей', false, null],
    ]);
    expect(persons.find((p) => p.id === extra.kuzmina)!.email).toBe('kuzmina@mail.example');
    expect(await list(DIRECTOR, [])).toEqual([]);
  });

  it('more than 2000 ids are BAD_USER_INPUT', async () => {
    const ids = Array.from({ length: 2001 }, (_, i) => toGlobalId('Student', 's001', i + 1));
    const answer = await world.gql(DIRECTOR, LIST, { schoolId: 's001', ids });
    expect(codes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors![0]!.message).toContain('2000');
  });
});

describe('personId on Staff, Student and Guardian', () => {
  it('the director reads it in the staff directory, the roster and the guardians', async () => {
    const answer = await world.gql(
      DIRECTOR,
      `query($s: ID!) { staff(schoolId: $s) { fullName personId } students(schoolId: $s) { fullName personId } guardians(schoolId: $s) { fullName personId } }`,
      { s: 's001' },
    );
    expect(answer.errors).toBeUndefined();
    const data = answer.data as Record<'staff' | 'students' | 'guardians', { fullName: string; personId: string | null }[]>;
    expect(data.staff).toEqual([
      { fullName: 'Белова Ольга Петровна', personId: null },
      { fullName: 'Орлов Пётр Ильич', personId: null },
      { fullName: 'Петров Иван Андреевич', personId: DEMO_S001.teacher.personId },
    ]);
    expect(data.students.find((s) => s.fullName === 'Смирнов Алексей Сергеевич')!.personId).toBe(DEMO_S001.student.personId);
    expect(data.students.find((s) => s.fullName === 'Абрамова Мария Денисовна')!.personId).toBeNull();
    expect(data.guardians.find((g) => g.fullName === 'Смирнова Наталья Викторовна')!.personId).toBe(DEMO_S001.parent.personId);
    expect(data.guardians.find((g) => g.fullName === 'Абрамов Денис Олегович')!.personId).toBeNull();
  });

  it('and through a student’s guardians', async () => {
    const answer = await world.gql(DIRECTOR, `query($id: ID!) { student(id: $id) { personId guardians { guardian { personId } } } }`, {
      id: world.ids.ownStudent,
    });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.student).toEqual({ personId: DEMO_S001.student.personId, guardians: [{ guardian: { personId: DEMO_S001.parent.personId } }] });
  });
});

describe('who may not', () => {
  it.each(['s001.teacher', 's001.parent'])('%s gets FORBIDDEN for accountPersons, with or without ids', async (user) => {
    for (const ids of [undefined, [world.ids.classTeacher]]) {
      const answer = await world.gql(user, LIST, { schoolId: 's001', ids });
      expect(codes(answer)).toEqual(['FORBIDDEN']);
      expect(answer.data ?? null).toBeNull();
    }
  });

  it.each(['s001.teacher', 's001.parent'])('%s gets FORBIDDEN for assignPersonIds before any validation, and nothing changes', async (user) => {
    await refused(user, 'FORBIDDEN', ASSIGN, { schoolId: 's001', ids: [extra.belova] });
    await refused(user, 'FORBIDDEN', ASSIGN, { schoolId: 's001', ids: ['not-an-id'] });
  });

  it('the director of s002 gets FORBIDDEN (403) for both, and nothing changes', async () => {
    const read = await world.gql('s002.director', LIST, { schoolId: 's001' });
    expect([read.status, codes(read), read.data ?? null]).toEqual([403, ['FORBIDDEN'], null]);
    const write = await refused('s002.director', 'FORBIDDEN', ASSIGN, { schoolId: 's001', ids: [extra.belova] });
    expect(write.status).toBe(403);
  });
});

describe('assignPersonIds: the director of s001', () => {
  it.each([
    ['a malformed id', 'not-an-id'],
    ['an id of another school', toGlobalId('Staff', 's002', 1)],
    ['an id of another type', toGlobalId('ClassGroup', 's001', 1)],
    ['an unknown id', toGlobalId('Student', 's001', 987654)],
  ])('%s refuses the whole call (BAD_USER_INPUT naming it) and changes nothing', async (_what, bad) => {
    const answer = await refused(DIRECTOR, 'BAD_USER_INPUT', ASSIGN, { schoolId: 's001', ids: [extra.belova, bad, extra.kuzmin] });
    expect(answer.errors![0]!.message).toContain(bad);
    expect(await personIdOf(extra.belova)).toBeNull();
  });

  it('more than 2000 ids are BAD_USER_INPUT, nothing changes', async () => {
    const ids = [extra.belova, ...Array.from({ length: 2000 }, (_, i) => toGlobalId('Student', 's001', i + 1))];
    const answer = await refused(DIRECTOR, 'BAD_USER_INPUT', ASSIGN, { schoolId: 's001', ids });
    expect(answer.errors![0]!.message).toContain('2000');
  });

  it('gives fresh distinct uuids to those without one, keeps the demo logins’ ones, returns the persons in the order asked; a second call changes nothing', async () => {
    const current = await list(DIRECTOR);
    const ids = [extra.kuzmin, ...current.map((p) => p.id).reverse()];
    const before = await personIdsInSql();

    const answer = await world.gql(DIRECTOR, ASSIGN, { schoolId: 's001', ids });
    expect(answer.errors).toBeUndefined();
    const assigned = answer.data!.assignPersonIds as AccountPerson[];
    expect(assigned.map((p) => p.id)).toEqual(ids);
    expect(assigned.map(brief)).toEqual([['STUDENT', 'Кузьмин Илья', false, null], ...CURRENT.slice().reverse()]);
    const personIdOfName = new Map(assigned.map((p) => [p.fullName, p.personId]));
    expect(personIdOfName.get('Петров Иван Андреевич')).toBe(DEMO_S001.teacher.personId);
    expect(personIdOfName.get('Смирнов Алексей Сергеевич')).toBe(DEMO_S001.student.personId);
    expect(personIdOfName.get('Смирнова Наталья Викторовна')).toBe(DEMO_S001.parent.personId);
    const demo = new Set([DEMO_S001.teacher.personId, DEMO_S001.student.personId, DEMO_S001.parent.personId]);
    const fresh = assigned.map((p) => p.personId!).filter((id) => !demo.has(id));
    expect(fresh).toHaveLength(8);
    for (const id of fresh) expect(id).toMatch(UUID_V4);
    expect(new Set(assigned.map((p) => p.personId)).size).toBe(11);

    // In PostgreSQL: the listed persons have exactly the returned ids (a changed row's version moved);
    // the persons not listed (Орлов, Кузьмина, Лебедев) still have none.
    const after = await personIdsInSql();
    const listed = new Map(assigned.map((p) => [p.id, p.personId]));
    const globalOf = (row: { kind: string; id: number }) => toGlobalId({ STAFF: 'Staff', STUDENT: 'Student', GUARDIAN: 'Guardian' }[row.kind]!, 's001', row.id);
    expect(after.map((row) => [globalOf(row), row.person_id])).toEqual(before.map((row) => [globalOf(row), listed.get(globalOf(row)) ?? row.person_id]));
    expect(after.map((row) => row.version)).toEqual(before.map((row) => (row.person_id === null && listed.has(globalOf(row)) ? row.version + 1 : row.version)));
    for (const unlisted of [extra.orlov, extra.kuzmina, extra.lebedev]) expect(await personIdOf(unlisted)).toBeNull();

    const again = await world.gql(DIRECTOR, ASSIGN, { schoolId: 's001', ids });
    expect(again.errors).toBeUndefined();
    expect(again.data!.assignPersonIds).toEqual(assigned);
    expect(await personIdsInSql()).toEqual(after);

    // what accountPersons reads back is what was assigned
    expect((await list(DIRECTOR)).map((p) => [p.fullName, p.personId])).toEqual(current.map((p) => [p.fullName, personIdOfName.get(p.fullName)]));
  });

  it('an empty list assigns nothing and returns nothing', async () => {
    const before = await personIdsInSql();
    const answer = await world.gql(DIRECTOR, ASSIGN, { schoolId: 's001', ids: [] });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.assignPersonIds).toEqual([]);
    expect(await personIdsInSql()).toEqual(before);
  });
});

describe('district IT (sso.admin, a district role reaching every school)', () => {
  it('lists the current persons of s001 and assigns a person id to the former teacher', async () => {
    expect((await list('sso.admin')).map(brief)).toEqual(CURRENT);
    const answer = await world.gql('sso.admin', ASSIGN, { schoolId: 's001', ids: [extra.orlov] });
    expect(answer.errors).toBeUndefined();
    const [orlov] = answer.data!.assignPersonIds as AccountPerson[];
    expect(orlov).toMatchObject({ id: extra.orlov, fullName: 'Орлов Пётр Ильич', active: false });
    expect(orlov!.personId).toMatch(UUID_V4);
    expect(await personIdOf(extra.orlov)).toBe(orlov!.personId);
  });
});
