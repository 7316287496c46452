import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { keycloakUrl, tokenFor } from '@district/kit/testing';
import { demoSnils, ROLE_CODES, type District } from '@district/demo';
import { codes, gql, testDistrict } from '../../../gateway/test/district';
import { PERSISTED_OPERATIONS } from '../src/generated/persisted-operations';

/**
 * The state portal's CLI as the portal runs it: a child process of the
 * built CLI against a demo district's gateway, with the real Keycloak's
 * client-credentials token of `state-portal`. What it answers must be what
 * the child's parent sees in the diary; refusals exit 2 with their code; the
 * district's access log names both.
 */

const CLI = join(__dirname, '..', 'dist', 'cli.js');

let district: District;
/** s001.parent's child (s001.student) as the parent reads them, and the child's current term. */
let s001Child: Child;
let term: { name: string; startDate: string; endDate: string };
beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npx turbo run build --filter=@district/portal-client)`);
  district = await testDistrict({ schools: ['s001', 's002'], timetable: true, journalHistory: true });
  [s001Child] = (await childrenOf('s001.parent')) as [Child];
  term = await currentTerm(s001Child);
});
afterAll(async () => {
  await district?.close({ dropDatabases: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI as a separate process, configured by its environment only. */
function cli(...args: string[]): Promise<Run> {
  const env = {
    PATH: process.env.PATH ?? '',
    PORTAL_GATEWAY_URL: district.gateway.url,
    PORTAL_TOKEN_URL: `${keycloakUrl()}/realms/district/protocol/openid-connect/token`,
    PORTAL_CLIENT_ID: 'state-portal',
    PORTAL_CLIENT_SECRET: 'state-portal-secret',
  };
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

/** The --json answer of a run that succeeded. */
function answerOf(run: Run): any {
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(run.stdout);
}

const requestId = (what: string) => `${what}-${randomBytes(4).toString('hex')}`;

/** A date in the district's time zone (Moscow), YYYY-MM-DD. */
const districtToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(new Date());
function mondayOf(iso: string): string {
  const day = new Date(`${iso}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}

const S001_PARENT = demoSnils(1, ROLE_CODES.parent);
const S002_PARENT = demoSnils(2, ROLE_CODES.parent);
const S001_CHILD = demoSnils(1, ROLE_CODES.student);

interface Child {
  id: string;
  fullName: string;
  lastName: string;
  firstName: string;
  birthDate: string;
  school: { id: string; shortName: string };
  classGroup: { name: string; yearOfStudy: number };
}

async function childrenOf(username: string): Promise<Child[]> {
  const answer = await gql(
    district.gateway.url,
    await tokenFor(username),
    `{ myChildren { id fullName lastName firstName birthDate school { id shortName } classGroup { name yearOfStudy } } }`,
  );
  expect(answer.errors).toBeUndefined();
  return answer.data!.myChildren as Child[];
}

/** The current term of the child's year of study, as the school's deputy reads it from the schedule. */
async function currentTerm(child: Child): Promise<{ name: string; startDate: string; endDate: string }> {
  const answer = await gql(
    district.gateway.url,
    await tokenFor('s001.deputy'),
    `query($s: ID!) { terms(schoolId: $s) { name startDate endDate yearsFrom yearsTo } }`,
    { s: child.school.id },
  );
  expect(answer.errors).toBeUndefined();
  const today = districtToday();
  const year = child.classGroup.yearOfStudy;
  const terms = (answer.data!.terms as { name: string; startDate: string; endDate: string; yearsFrom: number; yearsTo: number }[]).filter(
    (t) => t.yearsFrom <= year && year <= t.yearsTo && t.startDate <= today,
  );
  // In the holidays between terms: the last term that began.
  const term = terms.find((t) => t.endDate >= today) ?? terms.at(-1);
  if (!term) throw new Error(`no term of year ${year} has begun in ${child.school.id}`);
  return term;
}

const okProgressId = requestId('portal-ok');
const notGuardianId = requestId('portal-nag');

describe('s001.parent asks the portal about their child', () => {
  it('progress for the current term: what the parent sees through the journal’s studentProgress', async () => {
    const portal = answerOf(
      await cli(
        'progress',
        '--applicant-snils',
        S001_PARENT,
        '--child-snils',
        S001_CHILD,
        '--from',
        term.startDate,
        '--to',
        term.endDate,
        '--request-id',
        okProgressId,
        '--json',
      ),
    );
    const parent = await gql(
      district.gateway.url,
      await tokenFor('s001.parent'),
      `query($id: ID!, $from: String!, $to: String!) { studentProgress(studentId: $id, from: $from, to: $to) {
        from to subjects { subject marks { date value controlForm weight comment } marksCount average }
        attendance { lessons absent sick excused late } termGrades { term subject grade } } }`,
      { id: s001Child.id, from: term.startDate, to: term.endDate },
    );
    expect(parent.errors).toBeUndefined();
    expect(portal).toEqual({
      requestId: okProgressId,
      child: { schoolId: 's001', schoolName: s001Child.school.shortName, fullName: s001Child.fullName, classGroup: s001Child.classGroup.name },
      ...parent.data!.studentProgress,
    });
    // The seeded journal history: the comparison is of real marks and lessons, not of two empty lists.
    expect(portal.subjects.reduce((n: number, s: { marks: unknown[] }) => n + s.marks.length, 0)).toBeGreaterThan(0);
    expect(portal.subjects.some((s: { average: number | null }) => s.average !== null)).toBe(true);
    expect(portal.attendance.lessons).toBeGreaterThan(0);
  });

  it('the same child by surname, name and birth date gets the same answer', async () => {
    const bySnils = answerOf(
      await cli('progress', '--applicant-snils', S001_PARENT, '--child-snils', S001_CHILD, '--from', term.startDate, '--to', term.endDate, '--json'),
    );
    const byName = answerOf(
      await cli(
        'progress',
        '--applicant-snils',
        S001_PARENT,
        '--child-last-name',
        s001Child.lastName,
        '--child-first-name',
        s001Child.firstName,
        '--child-birth-date',
        s001Child.birthDate,
        '--from',
        term.startDate,
        '--to',
        term.endDate,
        '--json',
      ),
    );
    expect(byName.requestId).not.toBe(bySnils.requestId);
    expect({ ...byName, requestId: null }).toEqual({ ...bySnils, requestId: null });
  });

  it('this week’s diary: what the parent sees in the journal’s diary', async () => {
    const weekStart = mondayOf(districtToday());
    const id = requestId('portal-diary');
    const portal = answerOf(
      await cli('diary', '--applicant-snils', S001_PARENT, '--child-snils', S001_CHILD, '--week', weekStart, '--request-id', id, '--json'),
    );
    const parent = await gql(
      district.gateway.url,
      await tokenFor('s001.parent'),
      `query($id: ID!, $w: String!) { diary(studentId: $id, weekStart: $w) {
        weekStart term days { date weekday lessons { period startTime endTime subject cancelled topic homework marks { value controlForm weight comment } attendance } }
        subjects { subject average marksCount } } }`,
      { id: s001Child.id, w: weekStart },
    );
    expect(parent.errors).toBeUndefined();
    const week = parent.data!.diary as { days: { date: string; lessons: { marks: object[] }[] }[] };
    expect(portal).toEqual({
      requestId: id,
      child: { schoolId: 's001', schoolName: s001Child.school.shortName, fullName: s001Child.fullName, classGroup: s001Child.classGroup.name },
      ...week,
      // The portal's marks carry their lesson's date.
      days: week.days.map((d) => ({ ...d, lessons: d.lessons.map((l) => ({ ...l, marks: l.marks.map((m) => ({ date: d.date, ...m })) })) })),
    });
    expect(portal.weekStart).toBe(weekStart);
    expect(portal.days.length).toBeGreaterThanOrEqual(5);
    expect(portal.days.reduce((n: number, d: { lessons: unknown[] }) => n + d.lessons.length, 0)).toBeGreaterThan(0);
  });

  it('without --json: a readable summary of the child, school, class, marks, attendance and term grades', async () => {
    const run = await cli('progress', '--applicant-snils', S001_PARENT, '--child-snils', S001_CHILD, '--from', term.startDate, '--to', term.endDate);
    expect(run.code).toBe(0);
    const [day, month, yearPart] = [term.startDate.slice(8), term.startDate.slice(5, 7), term.startDate.slice(0, 4)];
    expect(run.stdout).toContain(
      `Успеваемость: ${s001Child.fullName}\nШкола: ${s001Child.school.shortName}, класс ${s001Child.classGroup.name}\nПериод: ${day}.${month}.${yearPart} – `,
    );
    expect(run.stdout).toMatch(/средний балл \d,\d\d \(\d+ отмет(ка|ки|ок)\)/);
    expect(run.stdout).toMatch(/Посещаемость: проведено уроков [1-9]\d*; Н \d+, Б \d+, УП \d+, ОП \d+/);
    expect(run.stdout).toContain('Отметки за учебные периоды');
  });
});

describe('refusals', () => {
  it('another school’s parent asking about s001’s child: exit 2, NOT_A_GUARDIAN', async () => {
    const run = await cli(
      'progress',
      '--applicant-snils',
      S002_PARENT,
      '--child-snils',
      S001_CHILD,
      '--from',
      '2026-09-01',
      '--to',
      '2026-10-25',
      '--request-id',
      notGuardianId,
    );
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `Отказ: NOT_A_GUARDIAN: Заявитель не указан в школе как родитель или законный представитель этого ребёнка\nНомер запроса: ${notGuardianId}\n`,
    );
  });

  it('a child no school of the district holds: exit 2, CHILD_NOT_FOUND', async () => {
    const run = await cli(
      'progress',
      '--applicant-snils',
      S001_PARENT,
      '--child-snils',
      demoSnils(777, ROLE_CODES.student, 5),
      '--from',
      '2026-09-01',
      '--to',
      '2026-10-25',
      '--json',
    );
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).error).toMatchObject({ code: 'CHILD_NOT_FOUND', retryable: false, problems: [] });
    expect(run.stderr).toMatch(/^Отказ: CHILD_NOT_FOUND: /);
  });

  it('a malformed SNILS: exit 2, BAD_USER_INPUT naming the field', async () => {
    const run = await cli('progress', '--applicant-snils', '123-456', '--child-snils', S001_CHILD, '--from', '2026-09-01', '--to', '2026-10-25', '--json');
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).error).toMatchObject({ code: 'BAD_USER_INPUT', retryable: false, problems: ['applicant.snils'] });
    expect(run.stderr).toContain('Поля с ошибками: applicant.snils');
  });
});

describe('parent.multi', () => {
  it('gets each of their two children, in two schools', async () => {
    const children = await childrenOf('parent.multi');
    const applicant = demoSnils(900, ROLE_CODES.parent);
    const answers = [];
    for (const [child, school] of [
      [1, 's001'],
      [2, 's002'],
    ] as const) {
      const answer = answerOf(
        await cli(
          'progress',
          '--applicant-snils',
          applicant,
          '--child-snils',
          demoSnils(900, ROLE_CODES.student, child),
          '--from',
          '2026-09-01',
          '--to',
          districtToday(),
          '--json',
        ),
      );
      const known = children.find((c) => c.school.id === school)!;
      expect(answer.child).toEqual({ schoolId: school, schoolName: known.school.shortName, fullName: known.fullName, classGroup: known.classGroup.name });
      answers.push(answer.child.fullName);
    }
    expect(answers.sort()).toEqual(children.map((c) => c.fullName).sort());
    expect(new Set(answers).size).toBe(2);
  });
});

describe('the district’s record of the portal', () => {
  it('the access log names the answer and the refusal about s001’s child, with the portal’s request ids', async () => {
    const answer = await gql(
      district.gateway.url,
      await tokenFor('district.admin'),
      `query($id: ID!) { portalAccessLog(studentId: $id) { operation outcome requestId client asked returned } }`,
      { id: s001Child.id },
    );
    expect(answer.errors).toBeUndefined();
    const rows = answer.data!.portalAccessLog as {
      operation: string;
      outcome: string;
      requestId: string;
      client: string;
      asked: string;
      returned: string | null;
    }[];
    const ok = rows.find((r) => r.requestId === okProgressId);
    const refused = rows.find((r) => r.requestId === notGuardianId);
    expect(ok).toMatchObject({ operation: 'PROGRESS', outcome: 'OK', asked: `${term.startDate}..${term.endDate}` });
    expect(JSON.parse(ok!.returned!)).toMatchObject({ subjects: expect.any(Number), marks: expect.any(Number) });
    expect(JSON.parse(ok!.returned!).marks).toBeGreaterThan(0);
    expect(refused).toMatchObject({ operation: 'PROGRESS', outcome: 'NOT_A_GUARDIAN', asked: '2026-09-01..2026-10-25', returned: null });
    expect(ok!.client).toBe(refused!.client);
  });
});

describe('the gateway’s safelist', () => {
  async function asPortal(body: object): Promise<{ status: number; codes: string[] }> {
    const token = await fetch(`${keycloakUrl()}/realms/district/protocol/openid-connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'state-portal', client_secret: 'state-portal-secret' }),
    }).then(async (r) => ((await r.json()) as { access_token: string }).access_token);
    const response = await fetch(district.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    return { status: response.status, codes: codes({ status: response.status, ...((await response.json()) as object) }) };
  }

  it('refuses the portal’s token an ad-hoc query, even of a field the portal may ask', async () => {
    const adHoc = `query($id: ID!) { portalAccessLog(studentId: $id) { requestId } }`;
    expect(await asPortal({ query: adHoc, variables: { id: s001Child.id } })).toEqual({ status: 400, codes: ['PERSISTED_QUERY_NOT_ALLOWED'] });
    const edited = PERSISTED_OPERATIONS.PortalProgress.body.replace('requestId', 'requestId __typename');
    expect(await asPortal({ query: edited, variables: {} })).toEqual({ status: 400, codes: ['PERSISTED_QUERY_NOT_ALLOWED'] });
  });

  it('refuses a hash the manifest does not hold', async () => {
    expect(await asPortal({ extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } } })).toEqual({
      status: 400,
      codes: ['PERSISTED_QUERY_NOT_ALLOWED'],
    });
  });
});
