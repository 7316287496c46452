import { toGlobalId } from '@district/kit';
import { peopleConfigFromEnv } from '@district/people';
import { tokenFor } from '@district/kit/testing';
import { codes, startPeopleWorld, type GraphQLAnswer, type PeopleWorld } from './people-test-world';

/**
 * Least privilege for students' personal data in people (docs/security.md,
 * "Personal data"), as a table: who × which student × which field → the value,
 * or the refusal. Real Keycloak tokens of the demo users; the school's
 * schedule runs on the same database so "the students a teacher teaches" comes
 * from real teaching assignments (a whole class, a split-class group).
 */
let world: PeopleWorld;
beforeAll(async () => {
  world = await startPeopleWorld({ teaching: true });
});
afterAll(async () => {
  await world?.close();
});

const DISTRICT_ADMIN_PERSON_ID = '00000000-0000-4000-8000-000000090002';

type StudentKey = 'smirnov' | 'abramova' | 'smirnova' | 'sidorov' | 'vasilieva' | 'zaitseva';
type Field = 'name' | 'birthDate' | 'phones' | 'entity';
type Outcome = { value: unknown; codes: string[] };

/** What each student's fields hold (see the world's seed). */
const TRUTH: Record<StudentKey, { name: string; birthDate: string; phones: string[] }> = {
  smirnov: { name: 'Смирнов Алексей Сергеевич', birthDate: '2015-03-14', phones: ['+7 900 111-22-33'] },
  abramova: { name: 'Абрамова Мария Денисовна', birthDate: '2015-07-02', phones: ['+7 900 222-33-44'] },
  smirnova: { name: 'Смирнова Дарья Сергеевна', birthDate: '2014-05-05', phones: ['+7 900 111-22-33'] },
  sidorov: { name: 'Сидоров Алексей', birthDate: '2014-11-30', phones: ['+7 900 333-44-55'] },
  vasilieva: { name: 'Васильева Ксения Андреевна', birthDate: '2014-02-17', phones: ['+7 900 444-55-66'] },
  zaitseva: { name: 'Зайцева Вера Олеговна', birthDate: '2013-04-04', phones: ['+7 900 555-66-77'] },
};

const idOf = (key: StudentKey): string =>
  ({
    smirnov: world.ids.ownStudent,
    abramova: world.ids.classmate,
    smirnova: world.ids.sibling,
    sidorov: world.teaching.groupPupil,
    vasilieva: world.teaching.otherGroupPupil,
    zaitseva: world.teaching.wholeClassPupil,
  })[key];

const QUERIES: Record<Field, string> = {
  name: `query($id: ID!) { student(id: $id) { fullName } }`,
  birthDate: `query($id: ID!) { student(id: $id) { birthDate } }`,
  phones: `query($id: ID!) { student(id: $id) { guardians { guardian { phone } } } }`,
  entity: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Student { fullName } } }`,
};

async function read(user: string, field: Field, key: StudentKey): Promise<Outcome> {
  const id = idOf(key);
  const answer = await world.gql(user, QUERIES[field], field === 'entity' ? { r: [{ __typename: 'Student', id }] } : { id });
  const student = answer.data?.student as Record<string, any> | null | undefined;
  const value =
    field === 'entity'
      ? ((answer.data?._entities as ({ fullName: string } | null)[] | undefined)?.[0]?.fullName ?? null)
      : field === 'phones'
        ? ((student?.guardians as { guardian: { phone: string } }[] | null | undefined)?.map((g) => g.guardian.phone) ?? null)
        : ((field === 'name' ? student?.fullName : student?.birthDate) ?? null);
  return { value, codes: codes(answer) };
}

const allowed = (key: StudentKey, field: Field): Outcome => ({
  value: field === 'entity' ? TRUTH[key].name : TRUTH[key][field === 'name' ? 'name' : field],
  codes: [],
});
const refused: Outcome = { value: null, codes: ['FORBIDDEN'] };
/** `_entities` answers null for a row the viewer may not read, without an error (like a row that does not exist). */
const hidden: Outcome = { value: null, codes: [] };
const refusedAs = (field: Field): Outcome => (field === 'entity' ? hidden : refused);

const ALL: Field[] = ['name', 'birthDate', 'phones', 'entity'];
const PERSONAL: Field[] = ['birthDate', 'phones'];
const ROSTER: Field[] = ['name', 'entity'];

type Row = [user: string, relation: string, student: StudentKey, field: Field, expected: () => Outcome];
const rows = (user: string, relation: string, student: StudentKey, fields: Field[], expected: 'allowed' | 'refused'): Row[] =>
  fields.map((field) => [user, relation, student, field, () => (expected === 'allowed' ? allowed(student, field) : refusedAs(field))]);

describe('who reads which student’s personal data (no district access open)', () => {
  const table: Row[] = [
    // The school's director and deputies: everyone's.
    ...rows('s001.director', 'own school', 'vasilieva', ALL, 'allowed'),
    ...rows('s001.deputy', 'own school', 'zaitseva', ALL, 'allowed'),
    ...rows('s001.deputy', 'own school', 'smirnova', ALL, 'allowed'),
    // A teacher: the roster (names) of the whole school; personal data of the students they teach or whose class they lead.
    ...rows('s001.teacher', 'class-teacher’s student (5А)', 'abramova', ALL, 'allowed'),
    ...rows('s001.teacher', 'taught student, whole class (7В maths)', 'zaitseva', ALL, 'allowed'),
    ...rows('s001.teacher', 'taught student, split group (6Б English, group 1)', 'sidorov', ALL, 'allowed'),
    ...rows('s001.teacher', 'untaught student, other group of a class they teach', 'vasilieva', ROSTER, 'allowed'),
    ...rows('s001.teacher', 'untaught student, other group of a class they teach', 'vasilieva', PERSONAL, 'refused'),
    ...rows('s001.teacher', 'untaught student', 'smirnova', ROSTER, 'allowed'),
    ...rows('s001.teacher', 'untaught student', 'smirnova', PERSONAL, 'refused'),
    // A parent: their children only; a student: themself only.
    ...rows('s001.parent', 'own child', 'smirnov', ALL, 'allowed'),
    ...rows('s001.parent', 'own child (other class)', 'smirnova', ALL, 'allowed'),
    ...rows('s001.parent', 'other child', 'abramova', ALL, 'refused'),
    ...rows('s001.student', 'themself', 'smirnov', ALL, 'allowed'),
    ...rows('s001.student', 'a classmate', 'abramova', ALL, 'refused'),
    // District roles: nothing about a student without an open access; the analyst never.
    ...rows('district.admin', 'no open access', 'smirnov', ALL, 'refused'),
    ...rows('district.admin', 'no open access', 'sidorov', ALL, 'refused'),
    ...rows('analyst', 'district analyst', 'smirnov', ALL, 'refused'),
  ];

  it.each(table)('%s, %s (%s): %s', async (user, _relation, student, field, expected) => {
    expect(await read(user, field, student)).toEqual(expected());
  });

  it.each(['s002.director', 's002.teacher', 's002.parent'])('%s (other school) is refused before any field runs: 403 FORBIDDEN', async (user) => {
    for (const field of ALL) {
      const answer = await world.gql(
        user,
        QUERIES[field],
        field === 'entity' ? { r: [{ __typename: 'Student', id: idOf('smirnov') }] } : { id: idOf('smirnov') },
      );
      expect([answer.status, codes(answer), answer.data ?? null]).toEqual([403, ['FORBIDDEN'], null]);
    }
  });
});

describe('lists say the same as single reads', () => {
  const CLASS = `query($id: ID!) { classGroup(id: $id) { name studentCount students { fullName birthDate } } }`;

  it('a teacher reads a class of the school with every name, and the birth dates of the students they teach only', async () => {
    const answer = await world.gql('s001.teacher', CLASS, { id: world.ids.class6B });
    expect(answer.data!.classGroup).toEqual({
      name: '6Б',
      studentCount: 3,
      students: [
        { fullName: 'Васильева Ксения Андреевна', birthDate: null },
        { fullName: 'Сидоров Алексей', birthDate: '2014-11-30' },
        { fullName: 'Смирнова Дарья Сергеевна', birthDate: null },
      ],
    });
    expect(answer.errors!.map((e) => [e.extensions!.code, e.path])).toEqual([
      ['FORBIDDEN', ['classGroup', 'students', 0, 'birthDate']],
      ['FORBIDDEN', ['classGroup', 'students', 2, 'birthDate']],
    ]);
  });

  it('a teacher lists the guardians of their students only, and a guardian’s children among them', async () => {
    const answer = await world.gql('s001.teacher', `query { guardians(schoolId: "s001") { fullName phone children { fullName } } }`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.guardians).toEqual([
      { fullName: 'Абрамов Денис Олегович', phone: '+7 900 222-33-44', children: [{ fullName: 'Абрамова Мария Денисовна' }] },
      { fullName: 'Зайцев Олег', phone: '+7 900 555-66-77', children: [{ fullName: 'Зайцева Вера Олеговна' }] },
      { fullName: 'Сидорова Галина', phone: '+7 900 333-44-55', children: [{ fullName: 'Сидоров Алексей' }] },
      // Смирнова Наталья's other child (Дарья, 6Б) is not the teacher's student.
      { fullName: 'Смирнова Наталья Викторовна', phone: '+7 900 111-22-33', children: [{ fullName: 'Смирнов Алексей Сергеевич' }] },
    ]);
  });

  it('the deputy lists every guardian', async () => {
    const answer = await world.gql('s001.deputy', `query { guardians(schoolId: "s001") { fullName } }`);
    expect(answer.data!.guardians.map((g: { fullName: string }) => g.fullName)).toEqual([
      'Абрамов Денис Олегович',
      'Васильев Андрей',
      'Зайцев Олег',
      'Сидорова Галина',
      'Смирнова Наталья Викторовна',
    ]);
  });

  it.each([
    ['district.admin', []],
    ['analyst', null],
    ['s001.parent', null],
  ])('%s: the students and guardians lists hold nobody (null = FORBIDDEN)', async (user, expected) => {
    for (const query of [`{ students(schoolId: "s001") { fullName } }`, `{ guardians(schoolId: "s001") { fullName } }`]) {
      const answer = await world.gql(user, query);
      const list = answer.data ? Object.values(answer.data)[0] : null;
      expect([list, codes(answer)]).toEqual([expected, expected === null ? ['FORBIDDEN'] : []]);
    }
  });

  it('a class group names no student to the district roles, but counts them', async () => {
    for (const user of ['district.admin', 'analyst']) {
      const answer = await world.gql(user, CLASS, { id: world.ids.class5A });
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.classGroup).toEqual({ name: '5А', studentCount: 3, students: [] });
    }
  });
});

describe('the staff directory and class groups (not personal data): root lists and _entities agree', () => {
  const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Staff { fullName position } ... on ClassGroup { name classTeacher { fullName } } } }`;

  it.each(['district.admin', 'analyst', 's001.teacher', 's001.parent', 's001.student'])(
    '%s reads the staff and class groups of s001 through both',
    async (user) => {
      const staff = await world.gql(user, `{ staff(schoolId: "s001") { id fullName position } }`);
      const classes = await world.gql(user, `{ classGroups(schoolId: "s001") { id name classTeacher { fullName } } }`);
      expect([codes(staff), codes(classes)]).toEqual([[], []]);
      const staffRows = staff.data!.staff as { id: string; fullName: string; position: string }[];
      const classRows = classes.data!.classGroups as { id: string; name: string; classTeacher: { fullName: string } | null }[];
      expect(staffRows.map((s) => s.fullName)).toEqual(['Кузнецова Елена Игоревна', 'Петров Иван Андреевич']);
      expect(classRows.map((c) => [c.name, c.classTeacher?.fullName ?? null])).toEqual([
        ['5А', 'Петров Иван Андреевич'],
        ['6Б', null],
        ['7В', 'Кузнецова Елена Игоревна'],
        ['10А', null],
      ]);
      const entities = await world.gql(user, ENTITIES, {
        r: [...staffRows.map((s) => ({ __typename: 'Staff', id: s.id })), ...classRows.map((c) => ({ __typename: 'ClassGroup', id: c.id }))],
      });
      expect(entities.errors).toBeUndefined();
      expect(entities.data!._entities).toEqual([
        ...staffRows.map((s) => ({ fullName: s.fullName, position: s.position })),
        ...classRows.map((c) => ({ name: c.name, classTeacher: c.classTeacher })),
      ]);
    },
  );
});

/** Opens an access as a real client would, with a request id the log must keep. */
async function openAccess(
  user: string,
  studentId: string,
  reason: string,
  requestId = `req-${Math.random().toString(36).slice(2, 10)}`,
): Promise<GraphQLAnswer> {
  const response = await fetch(world.service.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(user)}`, 'x-request-id': requestId, 'x-client-name': 'jest' },
    body: JSON.stringify({
      query: `mutation($s: ID!, $r: String!) { openPersonalDataAccess(schoolId: "s001", studentId: $s, reason: $r) { id studentId requesterPersonId requesterUsername reason openedAt expiresAt open requestId client } }`,
      variables: { s: studentId, r: reason },
    }),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

const accessRows = () =>
  world.sql<Record<string, any>>(`select *, extract(epoch from expires_at - opened_at)::int as seconds from people.personal_data_access order by id`);

describe('a district admin’s logged access to one student', () => {
  const REASON = 'Обращение родителя № 17/2026: проверка записей';

  it.each([
    ['analyst', 'smirnov', REASON, 'FORBIDDEN'],
    ['s001.director', 'smirnov', REASON, 'FORBIDDEN'],
    ['s001.deputy', 'smirnov', REASON, 'FORBIDDEN'],
    ['district.admin', 'smirnov', 'проверка', 'BAD_USER_INPUT'],
    ['district.admin', 'smirnov', '          ', 'BAD_USER_INPUT'],
  ])('%s opening an access to %s with reason «%s» is refused with %s, nothing written', async (user, student, reason, code) => {
    const answer = await openAccess(user, idOf(student as StudentKey), reason);
    expect(answer.data ?? null).toBeNull();
    expect(codes(answer)).toEqual([code]);
    if (code === 'BAD_USER_INPUT') expect(answer.errors![0]!.extensions!.problems.map((p: { field: string }) => p.field)).toEqual(['reason']);
    expect(await accessRows()).toEqual([]);
  });

  it('an unknown student, or one of another school, is NOT_FOUND; nothing written', async () => {
    for (const id of [toGlobalId('Student', 's001', 999_999), toGlobalId('Student', 's002', 1)]) {
      const answer = await openAccess('district.admin', id, REASON);
      expect(codes(answer)).toEqual(['NOT_FOUND']);
    }
    expect(await accessRows()).toEqual([]);
  });

  it('opens for one hour and records who, whom, why, when, which request', async () => {
    const answer = await openAccess('district.admin', idOf('abramova'), `  ${REASON}  `, 'pda-open-1');
    expect(answer.errors).toBeUndefined();
    const opened = answer.data!.openPersonalDataAccess;
    expect(opened).toMatchObject({
      studentId: idOf('abramova'),
      requesterPersonId: DISTRICT_ADMIN_PERSON_ID,
      requesterUsername: 'district.admin',
      reason: REASON,
      open: true,
      requestId: 'pda-open-1',
      client: 'jest',
    });
    expect(Date.parse(opened.expiresAt) - Date.parse(opened.openedAt)).toBe(60 * 60 * 1000);
    expect(Math.abs(Date.parse(opened.openedAt) - Date.now())).toBeLessThan(60_000);
    const rows = await accessRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      student_id: Number(Buffer.from(idOf('abramova'), 'base64url').toString().split(':')[2]),
      requester_person_id: DISTRICT_ADMIN_PERSON_ID,
      requester_username: 'district.admin',
      reason: REASON,
      request_id: 'pda-open-1',
      client: 'jest',
      seconds: 3600,
    });
  });

  const openTable: Row[] = [
    ...rows('district.admin', 'open access', 'abramova', ALL, 'allowed'),
    ...rows('district.admin', 'open access to another student only', 'smirnov', ALL, 'refused'),
    ...rows('analyst', 'an admin’s open access is not theirs', 'abramova', ALL, 'refused'),
  ];
  it.each(openTable)('while open: %s, %s (%s): %s', async (user, _relation, student, field, expected) => {
    expect(await read(user, field, student)).toEqual(expected());
  });

  it('while open, the admin’s lists hold that student and their guardians, nobody else', async () => {
    const students = await world.gql('district.admin', `{ students(schoolId: "s001") { fullName birthDate } }`);
    expect(students.errors).toBeUndefined();
    expect(students.data!.students).toEqual([{ fullName: 'Абрамова Мария Денисовна', birthDate: '2015-07-02' }]);
    const guardians = await world.gql('district.admin', `{ guardians(schoolId: "s001") { fullName phone children { fullName } } }`);
    expect(guardians.data!.guardians).toEqual([
      { fullName: 'Абрамов Денис Олегович', phone: '+7 900 222-33-44', children: [{ fullName: 'Абрамова Мария Денисовна' }] },
    ]);
    const guardian = await world.gql('district.admin', `{ classGroups(schoolId: "s001") { name students { fullName } } }`);
    expect(guardian.data!.classGroups.find((c: { name: string }) => c.name === '5А').students).toEqual([{ fullName: 'Абрамова Мария Денисовна' }]);
  });

  it('an expired access opens nothing: an access that ended an hour ago (written straight to the log) leaves Сидоров closed', async () => {
    await world.sql(
      `insert into people.personal_data_access (student_id, requester_person_id, requester_username, reason, request_id, client, opened_at, expires_at)
       select id, ?, 'district.admin', 'Проверка по запросу прокуратуры', 'pda-old', 'jest', now() - interval '2 hours', now() - interval '1 hour'
       from people.student where last_name = 'Сидоров'`,
      [DISTRICT_ADMIN_PERSON_ID],
    );
    for (const field of ALL) expect(await read('district.admin', field, 'sidorov')).toEqual(refusedAs(field));
  });

  it('the log is append-only: the database refuses to change or delete a row', async () => {
    await expect(world.sql(`update people.personal_data_access set expires_at = now() + interval '1 day'`)).rejects.toThrow(/append-only/);
    await expect(world.sql(`delete from people.personal_data_access`)).rejects.toThrow(/append-only/);
    await expect(world.sql(`truncate people.personal_data_access`)).rejects.toThrow(/append-only/);
    expect(await accessRows()).toHaveLength(2);
  });

  const LOG = `query($s: ID) { personalDataAccessLog(schoolId: "s001", studentId: $s) { studentId requesterUsername reason requestId open student { fullName } } }`;

  it('the director reads the log, newest first, with the students', async () => {
    const answer = await world.gql('s001.director', LOG);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.personalDataAccessLog).toEqual([
      {
        studentId: idOf('abramova'),
        requesterUsername: 'district.admin',
        reason: REASON,
        requestId: 'pda-open-1',
        open: true,
        student: { fullName: 'Абрамова Мария Денисовна' },
      },
      {
        studentId: idOf('sidorov'),
        requesterUsername: 'district.admin',
        reason: 'Проверка по запросу прокуратуры',
        requestId: 'pda-old',
        open: false,
        student: { fullName: 'Сидоров Алексей' },
      },
    ]);
  });

  it('a district admin reads the whole log, but a student’s name only while their access is open', async () => {
    const answer = await world.gql('district.admin', LOG);
    expect(answer.data!.personalDataAccessLog).toEqual([
      {
        studentId: idOf('abramova'),
        requesterUsername: 'district.admin',
        reason: REASON,
        requestId: 'pda-open-1',
        open: true,
        student: { fullName: 'Абрамова Мария Денисовна' },
      },
      {
        studentId: idOf('sidorov'),
        requesterUsername: 'district.admin',
        reason: 'Проверка по запросу прокуратуры',
        requestId: 'pda-old',
        open: false,
        student: null,
      },
    ]);
    expect(answer.errors!.map((e) => [e.extensions!.code, e.path])).toEqual([['FORBIDDEN', ['personalDataAccessLog', 1, 'student']]]);
  });

  it('filters the log by student', async () => {
    const answer = await world.gql('s001.director', LOG, { s: idOf('sidorov') });
    expect(answer.data!.personalDataAccessLog.map((r: { requestId: string }) => r.requestId)).toEqual(['pda-old']);
  });

  it.each(['s001.deputy', 's001.teacher', 's001.parent', 'analyst'])('%s may not read the log (FORBIDDEN)', async (user) => {
    const answer = await world.gql(user, LOG);
    expect([answer.data ?? null, codes(answer)]).toEqual([null, ['FORBIDDEN']]);
  });

  it('s002.director (another school) is refused before any field runs (403)', async () => {
    const answer = await world.gql('s002.director', LOG);
    expect([answer.status, codes(answer)]).toEqual([403, ['FORBIDDEN']]);
  });
});

describe('statements per request stay flat for a teacher', () => {
  it('one statement finds the students the teacher works with, whatever the number of students read', async () => {
    const query = `query($id: ID!) { classGroup(id: $id) { students { fullName birthDate guardians { guardian { phone children { fullName } } } } } }`;
    await world.gql('s001.teacher', `{ __typename }`);
    const measure = async () => {
      world.service.sql.reset();
      const answer = await world.gql('s001.teacher', query, { id: world.teaching.class7V });
      expect(answer.errors).toBeUndefined();
      return { statements: world.service.sql.count, students: answer.data!.classGroup.students.length as number };
    };
    const before = await measure();
    // Six more pupils in 7В, each with a guardian: the teacher teaches them all (7В maths).
    await world.sql(
      `with s as (insert into people.student (last_name, first_name, birth_date) select 'Ученик' || n, 'Имя', date '2013-01-01' + n from generate_series(1, 6) n returning id),
            e as (insert into people.enrollment (student_id, class_group_id, start_date) select id, (select id from people.class_group where name = '7В'), date '2026-09-01' from s),
            g as (insert into people.guardian (last_name, first_name, phone) select 'Родитель' || id, 'Имя', '+7 900 000-00-00' from s returning id, last_name)
       insert into people.guardianship (guardian_id, student_id, relation) select g.id, substr(g.last_name, 9)::int, 'mother' from g`,
    );
    const after = await measure();
    expect([before.students, after.students]).toEqual([1, 7]);
    expect(after.statements).toBe(before.statements);
  });
});

describe('how long an access stays open is configured per school', () => {
  const env = { SCHOOL_ID: 's001' };
  it('defaults to 60 minutes and reads PERSONAL_DATA_ACCESS_MINUTES', () => {
    expect(peopleConfigFromEnv(env).personalDataAccessMinutes).toBe(60);
    expect(peopleConfigFromEnv({ ...env, PERSONAL_DATA_ACCESS_MINUTES: '15' }).personalDataAccessMinutes).toBe(15);
  });

  it('refuses a value out of 1–1440 minutes, reporting it with the school settings’ problems at once', () => {
    expect(() => peopleConfigFromEnv({ ...env, PERSONAL_DATA_ACCESS_MINUTES: '0' })).toThrow(/PERSONAL_DATA_ACCESS_MINUTES/);
    expect(() => peopleConfigFromEnv({ SCHOOL_ID: 'school-1', PERSONAL_DATA_ACCESS_MINUTES: '2000' })).toThrow(/SCHOOL_ID[\s\S]*PERSONAL_DATA_ACCESS_MINUTES/);
  });
});
