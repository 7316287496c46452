import { identityKeyOf, normalizeSnils, parseGlobalId, snilsCheck } from '@district/kit';
import { DEMO_IDENTITY_KEY_SECRET } from '../src/config';
import { codes, startPeopleWorld, type PeopleWorld } from './people-test-world';

/**
 * SNILS for the state portal: checked (format and check number), stored only
 * as the district's keyed hash, never given back (only whether one is on
 * record), kept when an edit omits it and removed by an empty value.
 */
let world: PeopleWorld;
beforeAll(async () => {
  world = await startPeopleWorld();
});
afterAll(async () => {
  await world?.close();
});

const DIRECTOR = 's001.director';
const CREATE_STUDENT = `mutation($input: StudentInput!) { createStudent(schoolId: "s001", input: $input) { id version hasSnils } }`;
const UPDATE_STUDENT = `mutation($id: ID!, $version: Int!, $input: StudentInput!) { updateStudent(id: $id, version: $version, input: $input) { id version hasSnils } }`;
const CREATE_GUARDIAN = `mutation($input: GuardianInput!) { createGuardian(schoolId: "s001", input: $input) { id hasSnils } }`;

/** A valid SNILS from nine digits (the check number computed as the Pension Fund does). */
const snils = (nine: string) => `${nine.slice(0, 3)}-${nine.slice(3, 6)}-${nine.slice(6)} ${String(snilsCheck(nine)).padStart(2, '0')}`;

describe('the SNILS check', () => {
  it('takes 11 digits with the right check number, spaces and dashes allowed', () => {
    // The Pension Fund's published example: 112-233-445 95.
    expect(normalizeSnils('112-233-445 95')).toBe('11223344595');
    expect(normalizeSnils('11223344595')).toBe('11223344595');
    expect(normalizeSnils('112-233-445 94')).toBeNull();
    expect(normalizeSnils('112-233-445')).toBeNull();
    expect(normalizeSnils('1122334459x')).toBeNull();
    // Sums of 100 and 101 give 00; above 101 the remainder of 101.
    expect(snilsCheck('000000000')).toBe(0);
    expect(snilsCheck('999999999')).toBe(405 % 101);
    // Numbers up to 001-001-998 had no check number: not accepted for the portal.
    expect(normalizeSnils('001-001-998 00')).toBeNull();
  });

  it('keys differ by secret and by number, and are 64 hex characters', () => {
    const a = identityKeyOf('secret-one-0123456789', '11223344595');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(identityKeyOf('secret-two-0123456789', '11223344595')).not.toBe(a);
    expect(identityKeyOf('secret-one-0123456789', normalizeSnils(snils('987654321'))!)).not.toBe(a);
  });
});

describe('a student’s and a guardian’s SNILS in people', () => {
  it('is stored as the keyed hash only and never shown; an edit without it keeps it, an empty one removes it', async () => {
    const number = snils('234567891');
    const created = await world.gql(DIRECTOR, CREATE_STUDENT, { input: { lastName: 'Снилсов', firstName: 'Пётр', birthDate: '2015-01-02', snils: number } });
    expect(created.errors).toBeUndefined();
    const student = created.data!.createStudent as { id: string; version: number; hasSnils: boolean };
    expect(student.hasSnils).toBe(true);
    const localId = parseGlobalId(student.id, 'Student', 's001').localId;
    const [row] = await world.sql<Record<string, unknown>>(`select * from people.student where id = ?`, [localId]);
    expect(row!.identity_key).toBe(identityKeyOf(DEMO_IDENTITY_KEY_SECRET, normalizeSnils(number)!));
    // The number is nowhere in the row.
    expect(JSON.stringify(row)).not.toContain(normalizeSnils(number)!.slice(0, 9));

    const kept = await world.gql(DIRECTOR, UPDATE_STUDENT, {
      id: student.id,
      version: student.version,
      input: { lastName: 'Снилсов', firstName: 'Пётр', birthDate: '2015-01-03' },
    });
    expect(kept.data!.updateStudent).toMatchObject({ hasSnils: true, version: student.version + 1 });
    const removed = await world.gql(DIRECTOR, UPDATE_STUDENT, {
      id: student.id,
      version: student.version + 1,
      input: { lastName: 'Снилсов', firstName: 'Пётр', birthDate: '2015-01-03', snils: '' },
    });
    expect(removed.data!.updateStudent).toMatchObject({ hasSnils: false });
    const [after] = await world.sql<{ identity_key: string | null }>(`select identity_key from people.student where id = ?`, [localId]);
    expect(after!.identity_key).toBeNull();
  });

  it('a wrong check number is a BAD_USER_INPUT naming the field, without the number, and nothing is saved', async () => {
    const before = await world.counts();
    const answer = await world.gql(DIRECTOR, CREATE_GUARDIAN, { input: { lastName: 'Снилсова', firstName: 'Анна', snils: '112-233-445 94' } });
    expect(codes(answer)).toEqual(['BAD_USER_INPUT']);
    const problems = answer.errors![0]!.extensions!.problems as { field: string; message: string }[];
    expect(problems.map((p) => p.field)).toEqual(['snils']);
    expect(answer.errors![0]!.message).not.toContain('112');
    expect(await world.counts()).toEqual(before);

    const ok = await world.gql(DIRECTOR, CREATE_GUARDIAN, { input: { lastName: 'Снилсова', firstName: 'Анна', snils: '112-233-445 95' } });
    expect(ok.data!.createGuardian).toMatchObject({ hasSnils: true });
  });
});

describe('SNILS in a roster file', () => {
  const IMPORT = `mutation($csv: String!) { importRoster(schoolId: "s001", csv: $csv, academicYear: "2026/2027") { studentsCreated guardiansCreated } }`;
  const HEADER =
    'Класс;Фамилия;Имя;Отчество;Дата рождения;СНИЛС;Фамилия представителя;Имя представителя;Телефон представителя;Кем приходится;СНИЛС представителя';

  it('a wrong SNILS is refused with its line and column, nothing written; good ones are stored as keys, an empty cell as none', async () => {
    const child = snils('345678912');
    const mother = snils('456789123');
    const bad = [HEADER, `6А;Ключева;Вера;;2014-02-02;${child};Ключева;Ольга;+7 900 200-00-01;мать;123-456-789 00`].join('\n');
    const before = await world.counts();
    const refused = await world.gql(DIRECTOR, IMPORT, { csv: bad });
    expect(codes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors![0]!.extensions!.problems).toEqual([expect.objectContaining({ line: 2, field: 'guardian.snils' })]);
    expect(await world.counts()).toEqual(before);

    const good = [
      HEADER,
      `6А;Ключева;Вера;;2014-02-02;${child};Ключева;Ольга;+7 900 200-00-01;мать;${mother}`,
      `6А;Ключев;Иван;;2015-03-03;;Ключева;Ольга;+7 900 200-00-01;мать;${mother}`,
    ].join('\n');
    const imported = await world.gql(DIRECTOR, IMPORT, { csv: good });
    expect(imported.errors).toBeUndefined();
    expect(imported.data!.importRoster).toEqual({ studentsCreated: 2, guardiansCreated: 1 });
    const key = (n: string) => identityKeyOf(DEMO_IDENTITY_KEY_SECRET, normalizeSnils(n)!);
    const students = await world.sql<{ first_name: string; identity_key: string | null }>(
      `select first_name, identity_key from people.student where last_name like 'Ключев%' order by first_name`,
    );
    expect(students).toEqual([
      { first_name: 'Вера', identity_key: key(child) },
      { first_name: 'Иван', identity_key: null },
    ]);
    const [guardian] = await world.sql<{ identity_key: string }>(`select identity_key from people.guardian where last_name = 'Ключева'`);
    expect(guardian!.identity_key).toBe(key(mother));
  });
});
