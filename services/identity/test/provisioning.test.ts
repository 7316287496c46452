import { codes, completeFirstLogin, decodeClaims, tokenFor } from './support';
import { startIdentityWorld, type IdentityWorld } from './identity-world';

/**
 * Provisioning a school's accounts from its people, and the drift between
 * people and Keycloak, against the real Keycloak: the first run creates every
 * missing account, the second none; a provisioned student logs in and reads
 * their diary; an ended enrollment blocks the account, and a parent with a
 * child in another school keeps their account with that school only.
 */
let w: IdentityWorld;
// Schools of their own (Keycloak is shared with the other test files, whose accounts are bound to s001 and s002).
const A = `s${700 + Math.floor(Math.random() * 150)}`;
const B = `s${850 + Math.floor(Math.random() * 150)}`;
beforeAll(async () => {
  w = await startIdentityWorld({ schools: [A, B] });
});
afterAll(async () => {
  await w?.close();
});

const RUN = `id state mode created total processed lines { person kind fullName username outcome reason } credentialsCsv`;
const PROVISION = `mutation($s: ID!, $key: String!) { provisionSchoolAccounts(schoolId: $s, idempotencyKey: $key) { ${RUN} } }`;
const FIX = `mutation($s: ID!, $key: String!) { fixAccountDrift(schoolId: $s, idempotencyKey: $key) { ${RUN} } }`;
const RUN_BY_ID = `query($id: ID!) { accountRun(id: $id) { ${RUN} } }`;
const DRIFT = `query($s: ID!) { accountDrift(schoolId: $s) { kind person personKind fullName roles account { id username schoolIds status } } }`;

interface Line {
  person: string | null;
  kind: string | null;
  fullName: string;
  username: string | null;
  outcome: string;
  reason: string | null;
}
interface Run {
  id: string;
  state: string;
  created: number;
  total: number;
  processed: number;
  lines: Line[];
  credentialsCsv: string | null;
}

/** Starts a run and waits for its end (it works in the background). */
async function runToEnd(user: string, mutation: string, schoolId: string): Promise<Run> {
  const started = await w.gql(user, mutation, { s: schoolId, key: w.key() });
  expect(started.errors).toBeUndefined();
  let run = Object.values(started.data!)[0] as Run;
  for (let i = 0; i < 600 && ['QUEUED', 'RUNNING'].includes(run.state); i++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    run = (await w.gql(user, RUN_BY_ID, { id: run.id })).data!.accountRun as Run;
  }
  return run;
}

/** The logins and temporary passwords of a run's CSV; every created account is deleted at the end. */
async function credentialsOf(run: Run): Promise<Map<string, { fullName: string; kind: string; password: string }>> {
  const rows = run
    .credentialsCsv!.replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n')
    .slice(1);
  const out = new Map<string, { fullName: string; kind: string; password: string }>();
  for (const row of rows) {
    const [fullName, kind, , username, password] = row.split(';').map((c) => c.replace(/^"|"$/g, ''));
    out.set(username!, { fullName: fullName!, kind: kind!, password: password! });
    w.forget(await w.userId(username!));
  }
  return out;
}

const drift = async (user: string, schoolId: string) =>
  (await w.gql(user, DRIFT, { s: schoolId })).data!.accountDrift as {
    kind: string;
    person: string | null;
    personKind: string | null;
    fullName: string;
    account: { id: string; username: string; schoolIds: string[]; status: string } | null;
  }[];

describe('provisioning a school', () => {
  let first: Run;
  let credentials: Map<string, { fullName: string; kind: string; password: string }>;

  it('lists every current person without an account as drift; only district IT or the school’s director may ask', async () => {
    const before = await drift('sso.admin', A);
    expect(before.length).toBeGreaterThan(40);
    expect(new Set(before.map((d) => d.kind))).toEqual(new Set(['PERSON_WITHOUT_ACCOUNT']));
    expect(new Set(before.map((d) => d.personKind))).toEqual(new Set(['STAFF', 'STUDENT', 'GUARDIAN']));
    expect(codes(await w.gql('s001.director', DRIFT, { s: A }))).toEqual(['FORBIDDEN']);
    expect(codes(await w.gql('s001.teacher', DRIFT, { s: A }))).toEqual(['FORBIDDEN']);
  });

  it('the first run creates every missing account, with a report per person and the temporary passwords as CSV', async () => {
    const missing = (await drift('sso.admin', A)).length;
    first = await runToEnd('sso.admin', PROVISION, A);
    expect(first.state).toBe('SUCCEEDED');
    expect(first.created).toBe(missing);
    expect(first.lines.filter((l) => l.outcome === 'CREATED')).toHaveLength(missing);
    expect(first.lines.every((l) => l.outcome === 'CREATED')).toBe(true);
    expect(first.lines).toHaveLength(first.total);
    credentials = await credentialsOf(first);
    expect(credentials.size).toBe(missing);
    expect(first.credentialsCsv!.split('\r\n')[0]).toBe('\uFEFFФИО;Кто;Класс;Логин;Временный пароль');
    expect(await drift('sso.admin', A)).toEqual([]);
  });

  it('the second run creates nothing', async () => {
    const second = await runToEnd('sso.admin', PROVISION, A);
    expect(second.state).toBe('SUCCEEDED');
    expect(second.created).toBe(0);
    expect(new Set(second.lines.map((l) => l.outcome))).toEqual(new Set(['EXISTING']));
    expect(second.lines).toHaveLength(first.lines.length);
    const [{ n }] = await w.sql<{ n: string }>(`select count(*) as n from identity.audit where action = 'CREATE'`);
    expect(Number(n)).toBe(first.created);
  });

  it('a provisioned student sets their password, logs in, and reads their own diary', async () => {
    const [username, student] = [...credentials].find(([, c]) => c.kind === 'обучающийся')!;
    await completeFirstLogin(username, student.password, 'Uchenik-Parol-2026');
    const claims = decodeClaims(await tokenFor(username, { password: 'Uchenik-Parol-2026', fresh: true }));
    expect((claims.realm_access as { roles: string[] }).roles).toContain('student');
    expect(claims.school_ids).toEqual([A]);
    const me = await w.gql(username, `{ myStudentRecord { id fullName } }`, {}, 'Uchenik-Parol-2026');
    expect(me.data!.myStudentRecord.fullName).toBe(student.fullName);
    const diary = await w.gql(
      username,
      `query($id: ID!) { diary(studentId: $id, weekStart: "2026-11-30") { weekStart } }`,
      { id: me.data!.myStudentRecord.id },
      'Uchenik-Parol-2026',
    );
    expect(diary.errors).toBeUndefined();
    expect(diary.data!.diary.weekStart).toBe('2026-11-30');
  });
});

describe('people leaving a school', () => {
  it('an ended enrollment blocks the student’s account; a parent with a child in another school keeps the account with that school only', async () => {
    const s1 = w.district.schools.get(A)!.em().getConnection();
    const s2 = w.district.schools.get(B)!.em().getConnection();
    // A family of school A whose mother also has a child in school B: the same person there (the same district person id).
    const [family] = await s1.execute<{ student_id: number; student_person: string; guardian_person: string; enrollment_id: number }[]>(
      `select s.id as student_id, s.person_id as student_person, g.person_id as guardian_person, e.id as enrollment_id
         from people.student s join people.enrollment e on e.student_id = s.id and e.end_date is null
         join people.guardianship gs on gs.student_id = s.id join people.guardian g on g.id = gs.guardian_id
        where s.person_id is not null and g.person_id is not null
          and (select count(*) from people.guardianship x where x.guardian_id = g.id) = 1
        order by s.id limit 1`,
    );
    const [s002Guardian] = await s2.execute<{ id: number }[]>(
      `select g.id from people.guardian g join people.guardianship gs on gs.guardian_id = g.id
         join people.enrollment e on e.student_id = gs.student_id and e.end_date is null where g.person_id is null order by g.id limit 1`,
    );
    await s2.execute(`update people.guardian set person_id = ? where id = ?`, [family!.guardian_person, s002Guardian!.id]);
    const s002 = await runToEnd('sso.admin', PROVISION, B);
    expect(s002.state).toBe('SUCCEEDED');
    await credentialsOf(s002);
    expect(s002.lines.filter((l) => l.outcome === 'BOUND')).toHaveLength(1);
    const { json: mothers } = await w.admin<{ id: string; attributes: Record<string, string[]> }[]>('GET', `/users?q=person_id:${family!.guardian_person}`);
    expect(mothers[0]!.attributes.school_ids).toEqual([A, B].sort());

    // The student leaves school A.
    await s1.execute(`update people.enrollment set end_date = current_date where id = ?`, [family!.enrollment_id]);
    const after = await drift('sso.admin', A);
    expect(after.map((d) => [d.kind, d.account?.username ? 'account' : null]).sort()).toEqual([
      ['NO_CURRENT_PERSON', 'account'],
      ['NO_CURRENT_PERSON', 'account'],
    ]);
    const fix = await runToEnd('sso.admin', FIX, A);
    expect(fix.state).toBe('SUCCEEDED');
    expect(
      fix.lines
        .filter((l) => l.outcome !== 'EXISTING')
        .map((l) => l.outcome)
        .sort(),
    ).toEqual(['DISABLED', 'UNBOUND']);
    const { json: students } = await w.admin<{ enabled: boolean; attributes: Record<string, string[]> }[]>(
      'GET',
      `/users?q=person_id:${family!.student_person}`,
    );
    expect(students[0]).toMatchObject({ enabled: false });
    expect(students[0]!.attributes.school_ids ?? []).toEqual([]);
    const { json: mother } = await w.admin<{ enabled: boolean; attributes: Record<string, string[]> }[]>(
      'GET',
      `/users?q=person_id:${family!.guardian_person}`,
    );
    expect(mother[0]).toMatchObject({ enabled: true, attributes: expect.objectContaining({ school_ids: [B] }) });
    expect(await drift('sso.admin', A)).toEqual([]);
  });
});

describe('the nightly account fix', () => {
  it('blocks the account of a teacher whose position ended in the day, as identity’s own service account, once a night', async () => {
    const people = w.district.schools.get(A)!.em().getConnection();
    const [teacher] = await people.execute<{ id: number; person_id: string }[]>(
      `select id, person_id from people.staff where active and position ilike 'учитель%' and person_id is not null order by id desc limit 1`,
    );
    const account = async () =>
      (await w.admin<{ id: string; enabled: boolean; attributes: Record<string, string[]> }[]>('GET', `/users?q=person_id:${teacher!.person_id}`)).json[0]!;
    expect(await account()).toMatchObject({ enabled: true, attributes: expect.objectContaining({ school_ids: [A] }) });
    await people.execute(`update people.staff set active = false where id = ?`, [teacher!.id]);

    const night = '2026-12-08';
    const outcomes = await w.district.identity.nightlyFix.run(night);
    expect(outcomes.map((o) => [o.schoolId, o.state]).sort()).toEqual([
      [A, 'SUCCEEDED'],
      [B, 'SUCCEEDED'],
    ]);
    const left = await account();
    expect(left.enabled).toBe(false);
    expect(left.attributes.school_ids ?? []).toEqual([]);
    expect(await drift('sso.admin', A)).toEqual([]);

    // Recorded as identity's own work: the run, and the audit of the blocked account.
    const ofA = outcomes.find((o) => o.schoolId === A)!;
    const [run] = await w.sql<{ requested_by: string; idempotency_key: string; mode: string }>(
      `select requested_by, idempotency_key, mode from identity.provisioning_run where id = ?`,
      [ofA.runId],
    );
    expect(run).toEqual({ requested_by: 'service-account-district-identity', idempotency_key: `nightly-${night}-${A}`, mode: 'FIX' });
    const audit = await w.sql<{ action: string; actor_name: string; request_id: string }>(
      `select action, actor_name, request_id from identity.audit where entity_id = ? order by id`,
      [left.id],
    );
    expect(audit.at(-1)).toMatchObject({ actor_name: 'service-account-district-identity', request_id: `nightly-account-fix-${night}` });

    // A second replica (or a restart) the same night joins the same runs: nothing is run twice.
    const again = await w.district.identity.nightlyFix.run(night);
    expect(again.map((o) => o.runId).sort()).toEqual(outcomes.map((o) => o.runId).sort());
    const [{ n }] = await w.sql<{ n: string }>(`select count(*) as n from identity.provisioning_run where idempotency_key like ?`, [`nightly-${night}-%`]);
    expect(Number(n)).toBe(2);
  });
});
