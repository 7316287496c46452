import { codes, completeFirstLogin, decodeClaims, toGlobalIdForTest, tokenFor } from './support';
import { startIdentityWorld, type IdentityWorld } from './identity-world';

/**
 * Account administration against the real Keycloak: a director gives a new
 * teacher of their school an account, who logs in with the role, the school
 * and their person id; what the director may not do is refused and leaves
 * Keycloak as it was (checked through Keycloak's Admin API directly).
 */
let w: IdentityWorld;
beforeAll(async () => {
  w = await startIdentityWorld();
});
afterAll(async () => {
  await w?.close();
});

const ACCOUNT = 'id username personId status roles schoolIds lastName firstName';
const CREATE = `mutation($person: ID!, $roles: [PlatformRole!]!, $key: String!) {
  createAccount(person: $person, roles: $roles, idempotencyKey: $key) { created temporaryPassword account { ${ACCOUNT} } } }`;
const GRANT = `mutation($id: ID!, $role: PlatformRole!, $key: String!) { grantRole(accountId: $id, role: $role, idempotencyKey: $key) { ${ACCOUNT} } }`;
const REVOKE = `mutation($id: ID!, $role: PlatformRole!, $key: String!) { revokeRole(accountId: $id, role: $role, idempotencyKey: $key) { ${ACCOUNT} } }`;
const ENABLE = `mutation($id: ID!, $enabled: Boolean!, $key: String!) { setAccountEnabled(accountId: $id, enabled: $enabled, reason: "тест", idempotencyKey: $key) { ${ACCOUNT} } }`;
const BIND = `mutation($id: ID!, $school: ID!, $key: String!) { bindAccountToSchool(accountId: $id, schoolId: $school, idempotencyKey: $key) { ${ACCOUNT} } }`;
const UNBIND = `mutation($id: ID!, $school: ID!, $key: String!) { unbindAccountFromSchool(accountId: $id, schoolId: $school, idempotencyKey: $key) { ${ACCOUNT} } }`;
const RESET = `mutation($id: ID!, $key: String!) { resetAccountPassword(accountId: $id, idempotencyKey: $key) { temporaryPassword account { id } } }`;
const STAFF = `query($s: ID!) { staff(schoolId: $s) { id fullName personId account { username status roles schoolIds } } }`;

const NEW_PASSWORD = 'Lichnyi-Parol-2026';

/** Staff of s001 without a person id yet (generated teachers of the demo roster). */
async function newcomers(): Promise<{ id: string; fullName: string }[]> {
  const answer = await w.gql('s001.director', STAFF, { s: 's001' });
  expect(answer.errors).toBeUndefined();
  return (answer.data!.staff as { id: string; fullName: string; personId: string | null }[]).filter((s) => s.personId === null);
}

interface Created {
  created: boolean;
  temporaryPassword: string | null;
  account: { id: string; username: string; personId: string; status: string; roles: string[]; schoolIds: string[] };
}

describe('a director gives a new teacher of the school an account', () => {
  let teacher: { id: string; fullName: string };
  let made: Created;
  const key = `k-create-teacher-${Date.now()}`;

  beforeAll(async () => {
    [teacher] = await newcomers();
    const answer = await w.gql('s001.director', CREATE, { person: teacher!.id, roles: ['TEACHER'], key });
    expect(answer.errors).toBeUndefined();
    made = answer.data!.createAccount as Created;
    w.forget(made.account.id);
  });

  it('creates the Keycloak user with the role, the school, the person id people now hold, and a temporary password', async () => {
    expect(made.created).toBe(true);
    expect(made.temporaryPassword).toMatch(/^(?=.*[A-Z])(?=.*[a-z])(?=.*\d)[A-Za-z\d]{14}$/);
    expect(made.account).toMatchObject({ status: 'ACTIVE', roles: ['TEACHER'], schoolIds: ['s001'] });
    expect(made.account.username).toMatch(/^[a-z]+\.[a-z]{1,2}\d*$/);
    const staff = (await w.gql('s001.director', STAFF, { s: 's001' })).data!.staff as { id: string; personId: string | null; account: unknown }[];
    const row = staff.find((s) => s.id === teacher.id)!;
    expect(row.personId).toBe(made.account.personId);
    expect(row.account).toEqual({ username: made.account.username, status: 'ACTIVE', roles: ['TEACHER'], schoolIds: ['s001'] });
    // Keycloak itself, read around identity:
    const { json: user } = await w.admin<{ attributes: Record<string, string[]>; requiredActions: string[] }>('GET', `/users/${made.account.id}`);
    expect(user.attributes).toMatchObject({ person_id: [made.account.personId], school_ids: ['s001'] });
    const { json: roles } = await w.admin<{ name: string }[]>('GET', `/users/${made.account.id}/role-mappings/realm`);
    expect(roles.map((r) => r.name).filter((n) => !n.startsWith('default-roles'))).toEqual(['teacher']);
  });

  it('the teacher sets their own password at the first login, and their token carries the role, the school and the person id', async () => {
    await expect(tokenFor(made.account.username, { password: made.temporaryPassword!, fresh: true })).rejects.toThrow(
      /not fully set up|invalid_grant|Account/i,
    );
    await completeFirstLogin(made.account.username, made.temporaryPassword!, NEW_PASSWORD);
    const claims = decodeClaims(await tokenFor(made.account.username, { password: NEW_PASSWORD, fresh: true }));
    expect((claims.realm_access as { roles: string[] }).roles).toContain('teacher');
    expect(claims.school_ids).toEqual(['s001']);
    expect(claims.person_id).toBe(made.account.personId);
  });

  it('a retry with the same key answers the same and creates nothing more', async () => {
    const again = await w.gql('s001.director', CREATE, { person: teacher.id, roles: ['TEACHER'], key });
    expect(again.data!.createAccount).toEqual(made);
    const { json } = await w.admin<unknown[]>('GET', `/users?q=person_id:${made.account.personId}`);
    expect(json).toHaveLength(1);
    const [audit] = await w.sql<{ n: string }>(`select count(*) as n from identity.audit where entity_id = ? and action = 'CREATE'`, [made.account.id]);
    expect(Number(audit!.n)).toBe(1);
  });

  it('the same key with another request is a CONFLICT', async () => {
    const other = await w.gql('s001.director', CREATE, { person: teacher.id, roles: ['DEPUTY'], key });
    expect(codes(other)).toEqual(['CONFLICT']);
  });

  it('refuses another school, a district role, a role that does not fit the person, and an account of another school — Keycloak unchanged', async () => {
    const otherSchoolStaff = toGlobalIdForTest('Staff', 's002', 5);
    expect(codes(await w.gql('s001.director', CREATE, { person: otherSchoolStaff, roles: ['TEACHER'], key: w.key() }))).toEqual(['FORBIDDEN']);
    const [second] = (await newcomers()).filter((s) => s.id !== teacher.id);
    expect(codes(await w.gql('s001.director', CREATE, { person: second!.id, roles: ['DISTRICT_ANALYST'], key: w.key() }))).toEqual(['ROLE_NOT_GRANTABLE']);
    expect(codes(await w.gql('s001.director', CREATE, { person: second!.id, roles: ['PARENT'], key: w.key() }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await w.gql('s001.director', GRANT, { id: made.account.id, role: 'DISTRICT_ANALYST', key: w.key() }))).toEqual(['ROLE_NOT_GRANTABLE']);
    expect(codes(await w.gql('s001.director', GRANT, { id: made.account.id, role: 'SCHOOL_ADMIN', key: w.key() }))).toEqual(['ROLE_NOT_GRANTABLE']);
    const s002Teacher = await w.userId('s002.teacher');
    const refused = await w.gql('s001.director', GRANT, { id: s002Teacher, role: 'DEPUTY', key: w.key() });
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(refused.errors)).not.toMatch(/s002\.teacher|Петров|deputy/i);
    expect(codes(await w.gql('s001.director', BIND, { id: made.account.id, school: 's002', key: w.key() }))).toEqual(['FORBIDDEN']);
    // Refused before anything was planned: the newcomer got no person id and no account (other test files change Keycloak's user count).
    const after = (await w.gql('s001.director', STAFF, { s: 's001' })).data!.staff as { id: string; personId: string | null; account: unknown }[];
    expect(after.find((s) => s.id === second!.id)).toMatchObject({ personId: null, account: null });
    const { json: roles } = await w.admin<{ name: string }[]>('GET', `/users/${s002Teacher}/role-mappings/realm`);
    expect(roles.map((r) => r.name)).not.toContain('deputy');
    const { json: mine } = await w.admin<{ name: string }[]>('GET', `/users/${made.account.id}/role-mappings/realm`);
    expect(mine.map((r) => r.name).filter((n) => !n.startsWith('default-roles'))).toEqual(['teacher']);
  });

  it('nobody changes their own account: not a director, not district IT', async () => {
    const director = await w.userId('s001.director');
    expect(codes(await w.gql('s001.director', GRANT, { id: director, role: 'DEPUTY', key: w.key() }))).toEqual(['OWN_ACCOUNT']);
    const sso = await w.userId('sso.admin');
    expect(codes(await w.gql('sso.admin', REVOKE, { id: sso, role: 'SSO_ADMIN', key: w.key() }))).toEqual(['OWN_ACCOUNT']);
    expect(codes(await w.gql('sso.admin', ENABLE, { id: sso, enabled: false, key: w.key() }))).toEqual(['OWN_ACCOUNT']);
  });

  it('a blocked account cannot log in and its sessions end; unblocked, it can again', async () => {
    const blocked = await w.gql('s001.director', ENABLE, { id: made.account.id, enabled: false, key: w.key() });
    expect(blocked.data!.setAccountEnabled).toMatchObject({ status: 'DISABLED' });
    await expect(tokenFor(made.account.username, { password: NEW_PASSWORD, fresh: true })).rejects.toThrow();
    const back = await w.gql('s001.director', ENABLE, { id: made.account.id, enabled: true, key: w.key() });
    expect(back.data!.setAccountEnabled).toMatchObject({ status: 'ACTIVE' });
    expect(decodeClaims(await tokenFor(made.account.username, { password: NEW_PASSWORD, fresh: true })).preferred_username).toBe(made.account.username);
  });

  it('a reset password is temporary: the person sets a new one at the next login', async () => {
    const reset = await w.gql('s001.director', RESET, { id: made.account.id, key: w.key() });
    expect(reset.errors).toBeUndefined();
    const temporary = reset.data!.resetAccountPassword.temporaryPassword as string;
    await completeFirstLogin(made.account.username, temporary, `${NEW_PASSWORD}-2`);
    expect(decodeClaims(await tokenFor(made.account.username, { password: `${NEW_PASSWORD}-2`, fresh: true })).person_id).toBe(made.account.personId);
  });

  it('district IT binds the account to a second school; the director then may unbind only their own school and no longer sees it', async () => {
    const bound = await w.gql('sso.admin', BIND, { id: made.account.id, school: 's002', key: w.key() });
    expect(bound.data!.bindAccountToSchool).toMatchObject({ schoolIds: ['s001', 's002'] });
    // Roles hold in every school of the account: a shared account's roles are district IT's.
    expect(codes(await w.gql('s001.director', GRANT, { id: made.account.id, role: 'DEPUTY', key: w.key() }))).toEqual(['FORBIDDEN']);
    const unbound = await w.gql('s001.director', UNBIND, { id: made.account.id, school: 's001', key: w.key() });
    expect(unbound.data!.unbindAccountFromSchool).toMatchObject({ schoolIds: ['s002'] });
    expect((await w.gql('s001.director', `query($id: ID!) { account(id: $id) { id } }`, { id: made.account.id })).data!.account).toBeNull();
    const { json } = await w.admin<{ attributes: Record<string, string[]> }>('GET', `/users/${made.account.id}`);
    expect(json.attributes.school_ids).toEqual(['s002']);
    const back = await w.gql('sso.admin', BIND, { id: made.account.id, school: 's001', key: w.key() });
    expect(back.data!.bindAccountToSchool).toMatchObject({ schoolIds: ['s001', 's002'] });
  });

  it('lists accounts: a director only those of their school; district IT by school and role', async () => {
    // Other test files share this Keycloak and bind accounts of their own to s001 and s002: the checks name accounts, not totals.
    const ACCOUNTS = `query($f: AccountFilter) { accounts(filter: $f, first: 500) { total items { username schoolIds roles } } }`;
    const director = (await w.gql('s001.director', ACCOUNTS, {})).data!.accounts as { total: number; items: { username: string; schoolIds: string[] }[] };
    expect(director.items.length).toBe(Math.min(director.total, 500));
    expect(director.items.every((a) => a.schoolIds.includes('s001'))).toBe(true);
    const names = director.items.map((a) => a.username);
    expect(names).toEqual(expect.arrayContaining(['s001.director', 's001.teacher', 's001.parent', 'parent.multi', made.account.username]));
    expect(names).not.toContain('s002.teacher');
    const teachers = (await w.gql('sso.admin', ACCOUNTS, { f: { schoolId: 's002', role: 'TEACHER' } })).data!.accounts as {
      items: { username: string; roles: string[]; schoolIds: string[] }[];
    };
    expect(teachers.items.map((a) => a.username)).toEqual(expect.arrayContaining([made.account.username, 's002.teacher']));
    expect(teachers.items.every((a) => a.roles.includes('TEACHER') && a.schoolIds.includes('s002'))).toBe(true);
    expect(teachers.items.map((a) => a.username)).not.toContain('s001.teacher');
    expect(codes(await w.gql('s001.director', ACCOUNTS, { f: { schoolId: 's002' } }))).toEqual(['FORBIDDEN']);
    expect(codes(await w.gql('s001.teacher', ACCOUNTS, {}))).toEqual(['FORBIDDEN']);
  });
});

describe('the demo logins, checked by the reconciliation', () => {
  it('their accounts match their persons in s001 and s002: roles by position, schools, person ids — no drift', async () => {
    const DRIFT = `query($s: ID!) { accountDrift(schoolId: $s) { kind fullName account { username } } }`;
    for (const school of ['s001', 's002']) {
      const drift = (await w.gql('sso.admin', DRIFT, { s: school })).data!.accountDrift as {
        kind: string;
        fullName: string;
        account: { username: string } | null;
      }[];
      // The generated people of the demo roster have no accounts here (a test district is not provisioned): that is the only drift.
      const demo = drift.filter((d) => /^(s00\d\.|parent\.multi)/.test(d.account?.username ?? ''));
      expect({ school, demo }).toEqual({ school, demo: [] });
      expect(drift.filter((d) => d.kind !== 'PERSON_WITHOUT_ACCOUNT' && d.kind !== 'NO_CURRENT_PERSON')).toEqual([]);
    }
    const staff = (await w.gql('s001.director', STAFF, { s: 's001' })).data!.staff as {
      fullName: string;
      account: { username: string; roles: string[] } | null;
    }[];
    const accounts = Object.fromEntries(
      staff.filter((s) => s.account && /^s001\./.test(s.account.username)).map((s) => [s.account!.username, s.account!.roles]),
    );
    expect(accounts).toEqual({ 's001.director': ['SCHOOL_ADMIN'], 's001.deputy': ['DEPUTY'], 's001.teacher': ['TEACHER'] });
  });
});
