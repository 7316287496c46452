import { randomUUID } from 'node:crypto';
import { AuditLog, serviceAccountTokens, tokenUrlOf } from '@district/kit';
import { codes, gqlAt, keycloakUrl, tokenFor, type GraphQLAnswer } from '@district/kit/testing';
import { demoSnils, ROLE_CODES, startDistrict, type District } from '@district/demo';

/**
 * The portal subgraph against a running district (two schools, a year of
 * journal history, the real Keycloak and PostgreSQL), asked directly as the
 * state portal's service account would be behind the gateway: answers equal
 * what the parent sees, refusals name nothing, every answer and refusal is in
 * the access log, and a school that is down makes "not found" unsayable.
 * (The gateway's safelist and the CLI: gateway/test/portal-safelist.test.ts,
 * clients/portal/test.)
 */
let district: District;
const portalToken = serviceAccountTokens(tokenUrlOf(keycloakUrl()), 'state-portal', 'state-portal-secret');

beforeAll(async () => {
  district = await startDistrict({
    schools: ['s001', 's002'],
    databasePrefix: `t_portal_${randomUUID().slice(0, 8)}`,
    keycloakUrl: keycloakUrl(),
    studentsPerClass: 2,
    timetable: true,
    journalHistory: true,
  });
}, 300_000);
afterAll(async () => {
  await district?.close({ dropDatabases: true });
});

const PROGRESS = `query($applicant: PortalApplicantInput!, $child: PortalChildInput!, $from: String!, $to: String!) {
  portalProgress(applicant: $applicant, child: $child, from: $from, to: $to) {
    requestId child { schoolId schoolName fullName classGroup } from to
    subjects { subject marksCount average marks { date value controlForm weight comment } }
    attendance { lessons absent sick excused late } termGrades { term subject grade } } }`;
const DIARY = `query($applicant: PortalApplicantInput!, $child: PortalChildInput!, $weekStart: String!) {
  portalDiary(applicant: $applicant, child: $child, weekStart: $weekStart) {
    requestId child { schoolId fullName } weekStart days { date lessons { subject marks { value controlForm weight } attendance } } } }`;
const ACCESS_LOG = `query($studentId: ID, $requestId: String) {
  portalAccessLog(studentId: $studentId, requestId: $requestId) { operation outcome requestId client applicantKey asked returned } }`;

/** The portal subgraph, asked as the state portal, with its own request reference. */
async function ask(query: string, variables: Record<string, unknown>, requestId = `portal-${randomUUID()}`): Promise<GraphQLAnswer & { requestId: string }> {
  const response = await fetch(district.portal.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await portalToken()}`, 'x-request-id': requestId },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, requestId, ...((await response.json()) as object) };
}

const parentOf = (school: number) => demoSnils(school, ROLE_CODES.parent);
const childOf = (school: number) => demoSnils(school, ROLE_CODES.student);
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(new Date());
const daysAgo = (n: number) => new Date(Date.parse(`${today()}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

async function studentIdOf(schoolId: string, username: string): Promise<string> {
  const answer = await gqlAt(district.gateway.url, await tokenFor(username), `{ myStudentRecord { id } myChildren { id school { id } } }`);
  return (answer.data!.myStudentRecord?.id ??
    (answer.data!.myChildren as { id: string; school: { id: string } }[]).find((c) => c.school.id === schoolId)!.id) as string;
}

describe('a guardian’s question', () => {
  it('s001.parent gets the child’s progress for 60 days, equal to what the parent reads in the journal', async () => {
    const from = daysAgo(60);
    const to = today();
    const answer = await ask(PROGRESS, { applicant: { snils: parentOf(1) }, child: { snils: childOf(1) }, from, to });
    expect(answer.errors).toBeUndefined();
    const got = answer.data!.portalProgress;
    expect(got.requestId).toBe(answer.requestId);
    expect(got.child).toMatchObject({ schoolId: 's001', classGroup: '5А' });
    const studentId = await studentIdOf('s001', 's001.student');
    const seen = await gqlAt(
      district.gateway.url,
      await tokenFor('s001.parent'),
      `query($s: ID!, $from: String!, $to: String!) { studentProgress(studentId: $s, from: $from, to: $to) {
        subjects { subject marksCount average marks { date value controlForm weight comment } }
        attendance { lessons absent sick excused late } termGrades { term subject grade } } }`,
      { s: studentId, from, to },
    );
    expect(seen.errors).toBeUndefined();
    expect({ subjects: got.subjects, attendance: got.attendance, termGrades: got.termGrades }).toEqual(seen.data!.studentProgress);
    // The history has marks: the comparison is not of two empty answers.
    expect(got.subjects.reduce((n: number, s: { marksCount: number }) => n + s.marksCount, 0)).toBeGreaterThan(0);
    expect(got.attendance.lessons).toBeGreaterThan(0);
  });

  it('by surname, name and birth date (case and Ё do not matter) the same child is found', async () => {
    const record = await gqlAt(district.gateway.url, await tokenFor('s001.student'), `{ myStudentRecord { lastName firstName birthDate } }`);
    const { lastName, firstName, birthDate } = record.data!.myStudentRecord as { lastName: string; firstName: string; birthDate: string };
    const answer = await ask(DIARY, {
      applicant: { snils: parentOf(1) },
      child: { lastName: lastName.toUpperCase(), firstName: ` ${firstName.replace(/е/g, 'ё')} `, birthDate },
      weekStart: daysAgo(7),
    });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.portalDiary.child.schoolId).toBe('s001');
    const seen = await gqlAt(
      district.gateway.url,
      await tokenFor('s001.parent'),
      `query($s: ID!, $w: String!) { diary(studentId: $s, weekStart: $w) { weekStart days { date lessons { subject marks { value controlForm weight } attendance } } } }`,
      { s: await studentIdOf('s001', 's001.student'), w: daysAgo(7) },
    );
    expect({ weekStart: answer.data!.portalDiary.weekStart, days: answer.data!.portalDiary.days }).toEqual(seen.data!.diary);
    expect(answer.data!.portalDiary.days.length).toBeGreaterThanOrEqual(5);
  });

  it('parent.multi gets each child from its own school', async () => {
    for (const [n, school] of [
      [1, 's001'],
      [2, 's002'],
    ] as const) {
      const answer = await ask(DIARY, {
        applicant: { snils: demoSnils(900, ROLE_CODES.parent) },
        child: { snils: demoSnils(900, ROLE_CODES.student, n) },
        weekStart: today(),
      });
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.portalDiary.child.schoolId).toBe(school);
    }
  });
});

describe('refusals', () => {
  it('another parent’s SNILS: NOT_A_GUARDIAN, without the child’s name or school, and logged with the child', async () => {
    const answer = await ask(PROGRESS, { applicant: { snils: parentOf(2) }, child: { snils: childOf(1) }, from: daysAgo(30), to: today() });
    expect(codes(answer)).toEqual(['NOT_A_GUARDIAN']);
    expect(answer.data ?? null).toBeNull();
    expect(JSON.stringify(answer.errors)).not.toMatch(/s001|5А/);
    const log = await gqlAt(district.gateway.url, await tokenFor('district.admin'), ACCESS_LOG, { requestId: answer.requestId });
    expect(log.data!.portalAccessLog).toEqual([
      expect.objectContaining({ operation: 'PROGRESS', outcome: 'NOT_A_GUARDIAN', requestId: answer.requestId, returned: null }),
    ]);
  });

  it('a child nobody has: CHILD_NOT_FOUND; malformed SNILS: BAD_USER_INPUT naming both fields, the numbers not echoed', async () => {
    const unknown = await ask(PROGRESS, {
      applicant: { snils: parentOf(1) },
      child: { snils: demoSnils(777, ROLE_CODES.student) },
      from: daysAgo(30),
      to: today(),
    });
    expect(codes(unknown)).toEqual(['CHILD_NOT_FOUND']);
    const bad = await ask(PROGRESS, { applicant: { snils: '123-456-789 00' }, child: { snils: '12345' }, from: daysAgo(30), to: today() });
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    const problems = bad.errors![0]!.extensions!.problems as { field: string }[];
    expect(problems.map((p) => p.field).sort()).toEqual(['applicant.snils', 'child.snils']);
    expect(JSON.stringify(bad.errors)).not.toContain('123-456-789');
    const period = await ask(PROGRESS, { applicant: { snils: parentOf(1) }, child: { snils: childOf(1) }, from: today(), to: daysAgo(400) });
    expect((period.errors![0]!.extensions!.problems as { field: string }[]).map((p) => p.field)).toEqual(['to']);
  });

  it('two children with one name and birth date: AMBIGUOUS_CHILD, and the SNILS still finds the right one', async () => {
    const people = district.schools.get('s001')!.people.em().getConnection();
    const [child] = await people.execute<{ id: number; last_name: string; first_name: string; birth_date: string; class_group_id: number }[]>(
      `select s.id, s.last_name, s.first_name, to_char(s.birth_date, 'YYYY-MM-DD') as birth_date, e.class_group_id
         from people.student s join people.enrollment e on e.student_id = s.id and e.end_date is null
        where s.person_id = '00000000-0000-4000-8000-000000000104'`,
    );
    const [twin] = await people.execute<{ id: number }[]>(`insert into people.student (last_name, first_name, birth_date) values (?, ?, ?) returning id`, [
      child!.last_name,
      child!.first_name,
      child!.birth_date,
    ]);
    await people.execute(`insert into people.enrollment (student_id, class_group_id, start_date) values (?, ?, current_date - 1)`, [
      twin!.id,
      child!.class_group_id,
    ]);
    const byName = await ask(DIARY, {
      applicant: { snils: parentOf(1) },
      child: { lastName: child!.last_name, firstName: child!.first_name, birthDate: child!.birth_date },
      weekStart: today(),
    });
    expect(codes(byName)).toEqual(['AMBIGUOUS_CHILD']);
    const bySnils = await ask(DIARY, { applicant: { snils: parentOf(1) }, child: { snils: childOf(1) }, weekStart: today() });
    expect(bySnils.errors).toBeUndefined();
  });
});

describe('who may ask', () => {
  it('a parent’s own token cannot ask the portal’s questions; the state portal cannot ask a school’s side directly', async () => {
    const asParent = await gqlAt(district.portal.url, await tokenFor('s001.parent'), PROGRESS, {
      applicant: { snils: parentOf(1) },
      child: { snils: childOf(1) },
      from: daysAgo(7),
      to: today(),
    });
    expect(codes(asParent)).toEqual(['FORBIDDEN']);
    const journal = district.schools.get('s001')!.journal.url;
    const direct = await gqlAt(
      journal,
      await portalToken(),
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on School { portalDiary(match: { applicantKey: "${'a'.repeat(64)}", childKey: "${'b'.repeat(64)}" }, weekStart: "2026-12-01") { outcome } } } }`,
      { r: [{ __typename: 'School', id: 's001' }] },
    );
    expect(codes(direct)).toEqual(['FORBIDDEN']);
  });

  it('the access log: district admins only; it holds keys, never SNILS numbers, and its chain verifies', async () => {
    const studentId = await studentIdOf('s001', 's001.student');
    const asAdmin = await gqlAt(district.gateway.url, await tokenFor('district.admin'), ACCESS_LOG, { studentId });
    const rows = asAdmin.data!.portalAccessLog as { operation: string; outcome: string; client: string; applicantKey: string; returned: string | null }[];
    expect(rows.map((r) => `${r.operation} ${r.outcome}`)).toEqual(expect.arrayContaining(['PROGRESS OK', 'DIARY OK', 'PROGRESS NOT_A_GUARDIAN']));
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.applicantKey) && r.client === 'service-account-state-portal')).toBe(true);
    expect(JSON.parse(rows.find((r) => r.outcome === 'OK' && r.operation === 'PROGRESS')!.returned!)).toMatchObject({ subjects: expect.any(Number) });
    for (const user of ['analyst', 's001.director', 's001.parent']) {
      expect(codes(await gqlAt(district.gateway.url, await tokenFor(user), ACCESS_LOG, { studentId }))).toEqual(['FORBIDDEN']);
    }
    const em = district.portal.em();
    const all = await em.getConnection().execute<Record<string, unknown>[]>(`select * from portal.audit`);
    const digits = [parentOf(1), childOf(1), parentOf(2)].map((s) => s.replace(/\D/g, ''));
    for (const number of digits) expect(JSON.stringify(all)).not.toContain(number);
    expect(await new AuditLog('portal').verify(em)).toMatchObject({ ok: true, rowsChecked: all.length });
  });
});

describe('a school that is down', () => {
  it('a child of a school that answered is answered; a child who may be in the silent school gets SCHOOL_UNAVAILABLE, retryable', async () => {
    await district.stopSchool('s002');
    try {
      const inS001 = await ask(DIARY, {
        applicant: { snils: demoSnils(900, ROLE_CODES.parent) },
        child: { snils: demoSnils(900, ROLE_CODES.student, 1) },
        weekStart: today(),
      });
      expect(inS001.errors).toBeUndefined();
      const inS002 = await ask(DIARY, {
        applicant: { snils: demoSnils(900, ROLE_CODES.parent) },
        child: { snils: demoSnils(900, ROLE_CODES.student, 2) },
        weekStart: today(),
      });
      expect(codes(inS002)).toEqual(['SCHOOL_UNAVAILABLE']);
      expect(inS002.errors![0]!.extensions).toMatchObject({ retryable: true, schools: ['s002'] });
    } finally {
      await district.startSchool('s002');
    }
  }, 120_000);
});
