import { codes, type GraphQLAnswer, startPeopleWorld, type PeopleWorld } from './people-test-world';

let world: PeopleWorld;
beforeAll(async () => {
  world = await startPeopleWorld();
});
afterAll(async () => {
  await world?.close();
});

const DIRECTOR = 's001.director';
const IMPORT = `mutation($csv: String!) { importRoster(schoolId: "s001", csv: $csv, academicYear: "2026/2027") { studentsCreated guardiansCreated classGroupsCreated } }`;
const RU_HEADER = 'Класс;Фамилия;Имя;Отчество;Дата рождения;Фамилия представителя;Имя представителя;Отчество представителя;Телефон представителя;Email представителя;Кем приходится';
const EN_HEADER = 'class,last_name,first_name,middle_name,birth_date,guardian_last_name,guardian_first_name,guardian_middle_name,guardian_phone,guardian_email,guardian_relation';

/** As a spreadsheet saves it: BOM, CRLF, `;`. */
const excel = (...lines: string[]) => `\uFEFF${lines.join('\r\n')}\r\n`;

type Problem = { line: number; field: string; message: string };
const problemsOf = (answer: GraphQLAnswer) => answer.errors![0]!.extensions!.problems as Problem[];

async function refusedImport(user: string, code: string, csv: string): Promise<GraphQLAnswer> {
  const before = await world.counts();
  const answer = await world.gql(user, IMPORT, { csv });
  expect(codes(answer)).toEqual([code]);
  expect(answer.data).toBeNull();
  expect(await world.counts()).toEqual(before);
  return answer;
}

const GOOD_RU = excel(
  RU_HEADER,
  '7А;Орлов;Максим;Андреевич;03.02.2013;Орлова;Светлана;Игоревна;+7 900 100-00-01;orlova@example.ru;мать',
  '7а;Орлова;Полина;Андреевна;15.09.2013;Орлова;Светлана;Игоревна;+7 900 100-00-01;orlova@example.ru;Мать',
  '5А;Зайцев;Егор;;05.05.2015;Зайцев;Павел;Ильич;+7 900 100-00-02;;отец',
  '1Б;Ёжикова;Алёна;Романовна;2019-08-30;;;;;;',
);

const GOOD_EN = [
  EN_HEADER,
  '8В,Крылов,Тимофей,Олегович,2012-04-04,Петрова,Анна,Викторовна,+7 900 111-22-33,,guardian',
  '8В,Белова,Софья,,2012-12-12,Белов,Олег,,+7 900 100-00-03,belov@example.ru,father',
  '5А,Андреев,Лев,Маркович,2015-10-01,Андреева,Ирина,,+7 900 100-00-04,,',
].join('\n');

describe('a roster with bad rows is refused whole', () => {
  it('one bad row (line 3: an impossible birth date): BAD_USER_INPUT naming line 3, nothing written', async () => {
    const csv = excel(
      RU_HEADER,
      '2А;Смирнов;Кирилл;;10.10.2018;Смирнова;Ольга;;+7 900 200-00-01;;мать',
      '2А;Кузьмина;Ева;;31.02.2018;Кузьмин;Артур;;+7 900 200-00-02;;отец',
      '3В;Лебедев;Марк;;01.01.2017;;;;;;',
    );
    const answer = await refusedImport(DIRECTOR, 'BAD_USER_INPUT', csv);
    expect(problemsOf(answer)).toEqual([{ line: 3, field: 'birthDate', message: expect.stringContaining('31.02.2018') }]);
    expect(answer.errors![0]!.message).toContain('строки 3');
  });

  it('several bad rows: each is reported with its line (blank lines counted), nothing written', async () => {
    const csv = [
      RU_HEADER,
      '12Я;Смирнов;Кирилл;;10.10.2018;;;;;;', // 2: no such class
      '2А;Кузьмина;Ева;;01.02.2018;;;;;;', // 3: fine
      '2А;Лебедев;;;01.01.2018;;;;;;', // 4: no first name
      '', // 5: blank, skipped
      '2А;Орехова;Дина;;01.03.2018;Орехова;Инна;;+7 900 300-00-01;inna@;тётя', // 6: bad email, bad relation
      '2А;Кузьмина;Ева;;01.02.2018;;;;;;', // 7: the same student as line 3
      '2А;Фомин;Гордей;;01.06.2099;;;;;;', // 8: born in the future
    ].join('\n');
    const answer = await refusedImport(DIRECTOR, 'BAD_USER_INPUT', csv);
    const problems = problemsOf(answer).map((p) => [p.line, p.field]);
    expect(problems).toEqual([
      [2, 'class'],
      [4, 'firstName'],
      [6, 'guardian.email'],
      [6, 'guardian.relation'],
      [7, 'lastName'],
      [8, 'birthDate'],
    ]);
    expect(problemsOf(answer).find((p) => p.line === 7)!.message).toContain('строке 3');
  });

  it('a header without the required columns is BAD_USER_INPUT on line 1', async () => {
    const answer = await refusedImport(DIRECTOR, 'BAD_USER_INPUT', 'Класс;Фамилия;Имя\n5А;Иванов;Иван\n');
    expect(problemsOf(answer)).toEqual([{ line: 1, message: 'header' }]);
    expect(answer.errors![0]!.message).toContain('дата рождения');
  });

  it('a teacher may not import (FORBIDDEN), even a good file', async () => {
    await refusedImport('s001.teacher', 'FORBIDDEN', GOOD_RU);
  });
});

describe('a good roster', () => {
  it('Russian headers (BOM, CRLF, `;`): students, new class groups and deduplicated guardians are created', async () => {
    const before = await world.counts();
    const answer = await world.gql(DIRECTOR, IMPORT, { csv: GOOD_RU });
    expect(answer.errors).toBeUndefined();
    // 7А and 1Б are new, 5А exists already; the Орловы share one mother; Ёжикова has no guardian.
    expect(answer.data!.importRoster).toEqual({ studentsCreated: 4, guardiansCreated: 2, classGroupsCreated: 2 });
    expect(await world.counts()).toEqual({
      ...before,
      students: before.students + 4,
      guardians: before.guardians + 2,
      guardianships: before.guardianships + 3,
      classGroups: before.classGroups + 2,
      enrollments: before.enrollments + 4,
    });
  });

  it('English headers (`,`): a guardian already in the school is reused, not created again', async () => {
    const before = await world.counts();
    const answer = await world.gql(DIRECTOR, IMPORT, { csv: GOOD_EN });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.importRoster).toEqual({ studentsCreated: 3, guardiansCreated: 2, classGroupsCreated: 1 });
    expect(await world.counts()).toEqual({
      ...before,
      students: before.students + 3,
      guardians: before.guardians + 2,
      guardianships: before.guardianships + 3,
      classGroups: before.classGroups + 1,
      enrollments: before.enrollments + 3,
    });
  });

  it('every student is enrolled in the right class group', async () => {
    const answer = await world.gql('s001.teacher', `{ classGroups(schoolId: "s001", academicYear: "2026/2027") { name yearOfStudy students { fullName birthDate } } }`);
    expect(answer.errors).toBeUndefined();
    const groups = answer.data!.classGroups as { name: string; yearOfStudy: number; students: { fullName: string; birthDate: string }[] }[];
    expect(groups.map((g) => [g.name, g.yearOfStudy, g.students.map((s) => s.fullName)])).toEqual([
      ['1Б', 1, ['Ёжикова Алёна Романовна']],
      ['5А', 5, ['Абрамова Мария Денисовна', 'Андреев Лев Маркович', 'Ёлкин Пётр Ильич', 'Зайцев Егор', 'Петров Иван Сергеевич']],
      ['6Б', 6, ['Васильева Ксения Андреевна', 'Петрова Дарья Сергеевна', 'Сидоров Алексей']],
      ['7А', 7, ['Орлов Максим Андреевич', 'Орлова Полина Андреевна']],
      ['8В', 8, ['Белова Софья', 'Крылов Тимофей Олегович']],
      ['10А', 10, []],
    ]);
    expect(groups[0]!.students[0]!.birthDate).toBe('2019-08-30');
    expect(groups[3]!.students[0]!.birthDate).toBe('2013-02-03');
  });

  it('guardians are linked with their relation: one mother for both Орловы, the existing Петрова for Крылов', async () => {
    const answer = await world.gql('s001.teacher', `{ guardians(schoolId: "s001") { fullName phone email children { fullName } } }`);
    expect(answer.errors).toBeUndefined();
    const byName = new Map((answer.data!.guardians as { fullName: string; children: { fullName: string }[] }[]).map((g) => [g.fullName, g]));
    expect(byName.get('Орлова Светлана Игоревна')).toEqual({
      fullName: 'Орлова Светлана Игоревна',
      phone: '+7 900 100-00-01',
      email: 'orlova@example.ru',
      children: [{ fullName: 'Орлов Максим Андреевич' }, { fullName: 'Орлова Полина Андреевна' }],
    });
    expect(byName.get('Петрова Анна Викторовна')!.children.map((c) => c.fullName)).toEqual([
      'Петров Иван Сергеевич',
      'Петрова Дарья Сергеевна',
      'Крылов Тимофей Олегович',
    ]);
    expect([...byName.keys()].filter((n) => n.startsWith('Орлова'))).toHaveLength(1);

    const relations = await world.gql(
      's001.teacher',
      `{ students(schoolId: "s001", search: "Крылов") { guardians { relation guardian { fullName } } } }`,
    );
    expect(relations.data!.students).toEqual([{ guardians: [{ relation: 'guardian', guardian: { fullName: 'Петрова Анна Викторовна' } }] }]);
    const andreev = await world.gql('s001.teacher', `{ students(schoolId: "s001", search: "Андреев") { guardians { relation guardian { fullName } } } }`);
    expect(andreev.data!.students).toEqual([{ guardians: [{ relation: 'other', guardian: { fullName: 'Андреева Ирина' } }] }]);
  });

  it('the parent login behind the reused guardian now sees the imported child too', async () => {
    const answer = await world.gql('s001.parent', `{ myChildren { fullName classGroup { name } } }`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.myChildren).toEqual([
      { fullName: 'Крылов Тимофей Олегович', classGroup: { name: '8В' } },
      { fullName: 'Петров Иван Сергеевич', classGroup: { name: '5А' } },
      { fullName: 'Петрова Дарья Сергеевна', classGroup: { name: '6Б' } },
    ]);
  });

  it('importing the same files again is refused: every row is a duplicate, nothing written', async () => {
    const ru = await refusedImport(DIRECTOR, 'BAD_USER_INPUT', GOOD_RU);
    expect(problemsOf(ru).map((p) => [p.line, p.field])).toEqual([
      [2, 'lastName'],
      [3, 'lastName'],
      [4, 'lastName'],
      [5, 'lastName'],
    ]);
    expect(problemsOf(ru).every((p) => p.message.includes('уже есть в школе'))).toBe(true);

    const en = await refusedImport(DIRECTOR, 'BAD_USER_INPUT', GOOD_EN);
    expect(problemsOf(en).map((p) => p.line)).toEqual([2, 3, 4]);
  });

  it('a student already in the school is a duplicate whatever the letter case of the file', async () => {
    const csv = excel(RU_HEADER, '5А;ЗАЙЦЕВ;ЕГОР;;05.05.2015;;;;;;', '8в;крылов;тимофей;олегович;04.04.2012;;;;;;');
    const answer = await refusedImport(DIRECTOR, 'BAD_USER_INPUT', csv);
    expect(problemsOf(answer).map((p) => [p.line, p.field])).toEqual([
      [2, 'lastName'],
      [3, 'lastName'],
    ]);
  });
});
