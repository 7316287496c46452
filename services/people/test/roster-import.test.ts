import { hostname } from 'node:os';
import { authSettings, toGlobalId } from '@district/kit';
import { keycloakUrl } from '@district/kit/testing';
import { startPeople } from '@district/people';
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
const RU_HEADER =
  'Класс;Фамилия;Имя;Отчество;Дата рождения;Фамилия представителя;Имя представителя;Отчество представителя;Телефон представителя;Email представителя;Кем приходится';
const EN_HEADER =
  'class,last_name,first_name,middle_name,birth_date,guardian_last_name,guardian_first_name,guardian_middle_name,guardian_phone,guardian_email,guardian_relation';

/** As a spreadsheet saves it: BOM, CRLF, `;`. */
const excel = (...lines: string[]) => `\uFEFF${lines.join('\r\n')}\r\n`;

type Problem = { line: number; field: string; message: string };
type Run = {
  id: string;
  state: string;
  total: number | null;
  processed: number;
  finishedAt: string | null;
  result: Record<string, number> | null;
  problems: Problem[];
  error: string | null;
  [key: string]: any;
};
const RUN_FIELDS = `id state requestedBy requestedAt startedAt finishedAt academicYear startDate total processed result { studentsCreated guardiansCreated classGroupsCreated } problems { line field message } error errorCode`;
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
  '8В,Крылов,Тимофей,Олегович,2012-04-04,Смирнова,Наталья,Викторовна,+7 900 111-22-33,,guardian',
  '8В,Белова,Софья,,2012-12-12,Белов,Олег,,+7 900 100-00-03,belov@example.ru,father',
  '5А,Андреев,Лев,Маркович,2015-10-01,Андреева,Ирина,,+7 900 100-00-04,,',
].join('\n');

describe('a roster with bad rows is refused whole', () => {
  it('one bad row (line 3: an impossible birth date): BAD_USER_INPUT naming line 3, nothing written', async () => {
    const csv = excel(
      RU_HEADER,
      '2А;Комаров;Кирилл;;10.10.2018;Комарова;Ольга;;+7 900 200-00-01;;мать',
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
      '12Я;Комаров;Кирилл;;10.10.2018;;;;;;', // 2: no such class
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
    const answer = await world.gql(
      DIRECTOR,
      `{ classGroups(schoolId: "s001", academicYear: "2026/2027") { name yearOfStudy students { fullName birthDate } } }`,
    );
    expect(answer.errors).toBeUndefined();
    const groups = answer.data!.classGroups as { name: string; yearOfStudy: number; students: { fullName: string; birthDate: string }[] }[];
    expect(groups.map((g) => [g.name, g.yearOfStudy, g.students.map((s) => s.fullName)])).toEqual([
      ['1Б', 1, ['Ёжикова Алёна Романовна']],
      ['5А', 5, ['Абрамова Мария Денисовна', 'Андреев Лев Маркович', 'Ёлкин Пётр Ильич', 'Зайцев Егор', 'Смирнов Алексей Сергеевич']],
      ['6Б', 6, ['Васильева Ксения Андреевна', 'Сидоров Алексей', 'Смирнова Дарья Сергеевна']],
      ['7А', 7, ['Орлов Максим Андреевич', 'Орлова Полина Андреевна']],
      ['8В', 8, ['Белова Софья', 'Крылов Тимофей Олегович']],
      ['10А', 10, []],
    ]);
    expect(groups[0]!.students[0]!.birthDate).toBe('2019-08-30');
    expect(groups[3]!.students[0]!.birthDate).toBe('2013-02-03');
  });

  it('guardians are linked with their relation: one mother for both Орловы, the existing Смирнова for Крылов', async () => {
    const answer = await world.gql(DIRECTOR, `{ guardians(schoolId: "s001") { fullName phone email children { fullName } } }`);
    expect(answer.errors).toBeUndefined();
    const byName = new Map((answer.data!.guardians as { fullName: string; children: { fullName: string }[] }[]).map((g) => [g.fullName, g]));
    expect(byName.get('Орлова Светлана Игоревна')).toEqual({
      fullName: 'Орлова Светлана Игоревна',
      phone: '+7 900 100-00-01',
      email: 'orlova@example.ru',
      children: [{ fullName: 'Орлов Максим Андреевич' }, { fullName: 'Орлова Полина Андреевна' }],
    });
    expect(byName.get('Смирнова Наталья Викторовна')!.children.map((c) => c.fullName)).toEqual([
      'Смирнов Алексей Сергеевич',
      'Смирнова Дарья Сергеевна',
      'Крылов Тимофей Олегович',
    ]);
    expect([...byName.keys()].filter((n) => n.startsWith('Орлова'))).toHaveLength(1);

    const relations = await world.gql(DIRECTOR, `{ students(schoolId: "s001", search: "Крылов") { guardians { relation guardian { fullName } } } }`);
    expect(relations.data!.students).toEqual([{ guardians: [{ relation: 'guardian', guardian: { fullName: 'Смирнова Наталья Викторовна' } }] }]);
    const andreev = await world.gql(DIRECTOR, `{ students(schoolId: "s001", search: "Андреев") { guardians { relation guardian { fullName } } } }`);
    expect(andreev.data!.students).toEqual([{ guardians: [{ relation: 'other', guardian: { fullName: 'Андреева Ирина' } }] }]);
  });

  it('the parent login behind the reused guardian now sees the imported child too', async () => {
    const answer = await world.gql('s001.parent', `{ myChildren { fullName classGroup { name } } }`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.myChildren).toEqual([
      { fullName: 'Крылов Тимофей Олегович', classGroup: { name: '8В' } },
      { fullName: 'Смирнов Алексей Сергеевич', classGroup: { name: '5А' } },
      { fullName: 'Смирнова Дарья Сергеевна', classGroup: { name: '6Б' } },
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

describe('a big roster: started as a run, followed by query', () => {
  const START = `mutation($csv: String!) { startRosterImport(schoolId: "s001", csv: $csv, academicYear: "2026/2027") { ${RUN_FIELDS} } }`;
  const RUN = `query($id: ID!) { rosterImportRun(schoolId: "s001", id: $id) { ${RUN_FIELDS} } }`;
  const RUNS = `query($limit: Int!) { rosterImportRuns(schoolId: "s001", limit: $limit) { id state total } }`;
  const ROWS = 3_000;
  const sql = <T = any>(text: string, params: unknown[] = []) => world.service.em().getConnection().execute<T[]>(text, params);

  /** ROWS students with letter-only generated surnames, in 33 classes; every other one with a mother of their own. */
  function bigRoster(options: { badLine?: number } = {}): { csv: string; classes: Set<string>; guardians: number } {
    const letters = 'АБВГДЕЖЗИКЛМНОПРСТУФХЦЧШЭЮЯ';
    const classes = new Set<string>();
    let guardians = 0;
    const rows = Array.from({ length: ROWS }, (_, i) => {
      const surname = `Ш${letters[i % 27]}${letters[Math.floor(i / 27) % 27]!.toLowerCase()}${letters[Math.floor(i / 729) % 27]!.toLowerCase()}ко`;
      const className = `${1 + (i % 11)}${'АБВ'[i % 3]}`;
      classes.add(className);
      // Line i + 2: the header is line 1.
      const birth = options.badLine === i + 2 ? '31.02.2015' : `${String(1 + (i % 28)).padStart(2, '0')}.0${1 + (i % 9)}.2014`;
      if (i % 2 === 1) return `${className};${surname};Иван;;${birth};;;;;;`;
      guardians++;
      return `${className};${surname};Иван;;${birth};${surname};Мария;;+7 901 ${String(i).padStart(7, '0')};;мать`;
    });
    return { csv: excel(RU_HEADER, ...rows), classes, guardians };
  }

  async function finished(id: string): Promise<Run> {
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
      const answer = await world.gql(DIRECTOR, RUN, { id });
      expect(answer.errors).toBeUndefined();
      const run = answer.data!.rosterImportRun as Run;
      if (!['QUEUED', 'RUNNING'].includes(run.state)) return run;
    }
    throw new Error(`import ${id} did not finish`);
  }

  it('importRoster refuses a file over 500 rows at once with BAD_USER_INPUT naming startRosterImport, not a timeout; nothing written', async () => {
    const answer = await refusedImport(DIRECTOR, 'BAD_USER_INPUT', bigRoster().csv);
    expect(answer.errors![0]!.message).toContain('startRosterImport');
    expect(answer.errors![0]!.message).toContain(String(ROWS));
  });

  it('one bad row in 3,000: the run answers at once, then FAILED with that line; nothing written', async () => {
    const before = await world.counts();
    const answer = await world.gql(DIRECTOR, START, { csv: bigRoster({ badLine: 2501 }).csv });
    expect(answer.errors).toBeUndefined();
    const started = answer.data!.startRosterImport as Run;
    expect(started).toMatchObject({
      state: 'RUNNING',
      requestedBy: DIRECTOR,
      academicYear: '2026/2027',
      startDate: '2026-09-01',
      total: ROWS,
      processed: 0,
      finishedAt: null,
      result: null,
      problems: [],
    });
    const run = await finished(started.id);
    expect(run).toMatchObject({ id: started.id, state: 'FAILED', errorCode: 'BAD_USER_INPUT', total: ROWS, processed: 0, result: null });
    expect(run.error).toContain('строки 2501');
    expect(run.problems).toEqual([{ line: 2501, field: 'birthDate', message: expect.stringContaining('31.02.2015') }]);
    expect(await world.counts()).toEqual(before);
  });

  it('a good file of 3,000 rows: the run answers at once, then SUCCEEDED with the counts, every row written', async () => {
    const before = await world.counts();
    const { csv, classes, guardians } = bigRoster();
    const existingClasses = (await sql<{ name: string }>(`select name from people.class_group where academic_year = '2026/2027'`)).map((r) => r.name);
    const asked = Date.now();
    const answer = await world.gql(DIRECTOR, START, { csv });
    const answeredIn = Date.now() - asked;
    expect(answer.errors).toBeUndefined();
    const started = answer.data!.startRosterImport as Run;
    expect(started).toMatchObject({ state: 'RUNNING', total: ROWS, processed: 0, finishedAt: null, result: null });
    const run = await finished(started.id);
    // The answer did not wait for the rows to be written.
    expect(Date.parse(run.finishedAt!)).toBeGreaterThan(asked + answeredIn);
    const created = { studentsCreated: ROWS, guardiansCreated: guardians, classGroupsCreated: [...classes].filter((c) => !existingClasses.includes(c)).length };
    expect(run).toMatchObject({ state: 'SUCCEEDED', processed: ROWS, total: ROWS, result: created, problems: [], error: null, errorCode: null });
    expect(await world.counts()).toEqual({
      ...before,
      students: before.students + ROWS,
      guardians: before.guardians + guardians,
      guardianships: before.guardianships + guardians,
      classGroups: before.classGroups + created.classGroupsCreated,
      enrollments: before.enrollments + ROWS,
    });

    const { rosterImportRuns } = (await world.gql(DIRECTOR, RUNS, { limit: 2 })).data!;
    expect(rosterImportRuns.map((r: Run) => [r.state, r.total])).toEqual([
      ['SUCCEEDED', ROWS],
      ['FAILED', ROWS],
    ]);
    // The same file again: every row is now a duplicate, the whole file is refused.
    const again = await finished(((await world.gql(DIRECTOR, START, { csv })).data!.startRosterImport as Run).id);
    expect(again).toMatchObject({ state: 'FAILED', errorCode: 'BAD_USER_INPUT' });
    expect(again.problems).toHaveLength(ROWS);
  });

  it('refuses without a run: other roles, a broken file; a run of another school or a malformed id', async () => {
    const runs = async () => (await sql<{ n: number }>(`select count(*)::int as n from people.roster_import_run`))[0]!.n;
    const count = await runs();
    const [{ id: local }] = await sql<{ id: number }>(`select id from people.roster_import_run order by id limit 1`);
    const cases: [string, string, Record<string, unknown>, string][] = [
      ['s001.teacher', START, { csv: GOOD_RU }, 'FORBIDDEN'],
      ['s001.parent', START, { csv: GOOD_RU }, 'FORBIDDEN'],
      [DIRECTOR, START, { csv: 'Класс;Фамилия;Имя\n5А;Иванов;Иван\n' }, 'BAD_USER_INPUT'],
      ['s001.teacher', RUN, { id: toGlobalId('RosterImportRun', 's001', local!) }, 'FORBIDDEN'],
      [DIRECTOR, RUN, { id: toGlobalId('RosterImportRun', 's002', local!) }, 'NOT_FOUND'],
      [DIRECTOR, RUN, { id: toGlobalId('RosterImportRun', 's001', 999_999) }, 'NOT_FOUND'],
      [DIRECTOR, RUN, { id: 'nonsense' }, 'BAD_USER_INPUT'],
      [DIRECTOR, RUNS, { limit: 0 }, 'BAD_USER_INPUT'],
    ];
    for (const [user, query, variables, code] of cases) {
      const answer = await world.gql(user, query, variables);
      expect([user, variables, codes(answer)]).toEqual([user, variables, [code]]);
      expect(answer.errors![0]!.message).toMatch(/[А-Яа-яЁё]/);
    }
    expect(await runs()).toBe(count);
  });

  it('an import left RUNNING by a process that was restarted is FAILED (interrupted) when the service starts again', async () => {
    const [{ id: orphan }] = await sql<{ id: number }>(
      `insert into people.roster_import_run (requested_by, owner, state, started_at, total, academic_year, start_date)
       values ('s001.director', ?, 'RUNNING', now(), 3000, '2026/2027', '2026-09-01') returning id`,
      [`${hostname().slice(0, 150)}:${process.pid}:0ld0ld00`],
    );
    const logged: string[] = [];
    const config = {
      schoolId: 's001',
      port: 0,
      databaseUrl: world.service.em().config.get('clientUrl')!,
      production: false,
      auth: authSettings(keycloakUrl(), 'district', 'district-api'),
      poolMax: 2,
    };
    const restarted = await startPeople(config, { log: (m) => logged.push(String(m)) });
    await restarted.close();
    expect(logged).toEqual([`people.roster_import_run: runs ${orphan} were interrupted by a restart; marked FAILED`]);
    const run = (await world.gql(DIRECTOR, RUN, { id: toGlobalId('RosterImportRun', 's001', orphan!) })).data!.rosterImportRun as Run;
    expect(run).toMatchObject({ state: 'FAILED', errorCode: 'INTERRUPTED', result: null, processed: 0 });
    expect(run.error).toMatch(/прервано/);
  });
});
