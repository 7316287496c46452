import { randomUUID } from 'node:crypto';
import { codes } from './support';
import { startIdentityWorld, type IdentityWorld } from './identity-world';

/**
 * The privilege-escalation table, against the real Keycloak: every platform
 * role (as its s001 demo login or district login) tries to grant every role
 * to an account of its own school (s001) and of another (s002). District IT
 * may grant anything anywhere; a director the school roles but school-admin
 * in their own school; everyone else nothing. After each attempt Keycloak
 * itself is read: a refused grant left no role behind; an allowed one is
 * taken back (revokeRole) by the same caller.
 */
const CALLERS = {
  teacher: 's001.teacher',
  deputy: 's001.deputy',
  director: 's001.director',
  student: 's001.student',
  parent: 's001.parent',
  analyst: 'analyst',
  districtAdmin: 'district.admin',
  ssoAdmin: 'sso.admin',
} as const;
const ROLES = ['TEACHER', 'DEPUTY', 'SCHOOL_ADMIN', 'STUDENT', 'PARENT', 'DISTRICT_ANALYST', 'DISTRICT_ADMIN', 'PORTAL', 'SSO_ADMIN', 'GATEWAY'] as const;
const DIRECTOR_GRANTS = new Set(['TEACHER', 'DEPUTY', 'STUDENT', 'PARENT']);
type Caller = keyof typeof CALLERS;
type Target = 'own' | 'other';

/** What the table expects: 'granted', or the refusal's code. */
function expected(caller: Caller, role: string, target: Target): string {
  if (caller === 'ssoAdmin') return 'granted';
  if (caller !== 'director') return 'FORBIDDEN';
  if (!DIRECTOR_GRANTS.has(role)) return 'ROLE_NOT_GRANTABLE';
  return target === 'own' ? 'granted' : 'FORBIDDEN';
}

const GRANT = `mutation($id: ID!, $role: PlatformRole!, $key: String!) { grantRole(accountId: $id, role: $role, idempotencyKey: $key) { roles } }`;
const REVOKE = `mutation($id: ID!, $role: PlatformRole!, $key: String!) { revokeRole(accountId: $id, role: $role, idempotencyKey: $key) { roles } }`;

let w: IdentityWorld;
const targets = {} as Record<Target, string>;

beforeAll(async () => {
  w = await startIdentityWorld();
  // Two accounts made around identity, straight in Keycloak: one of s001, one of s002.
  for (const [target, school] of [
    ['own', 's001'],
    ['other', 's002'],
  ] as const) {
    const username = `escalation.${target}.${randomUUID().slice(0, 8)}`;
    const created = await w.admin('POST', '/users', {
      username,
      firstName: 'Проверка',
      lastName: 'Эскалации',
      enabled: true,
      attributes: { person_id: [randomUUID()], school_ids: [school] },
    });
    expect(created.status).toBe(201);
    targets[target] = await w.userId(username);
    w.forget(targets[target]);
  }
});
afterAll(async () => {
  await w?.close();
});

const realmRoles = async (id: string) =>
  (await w.admin<{ name: string }[]>('GET', `/users/${id}/role-mappings/realm`)).json.map((r) => r.name).filter((n) => !n.startsWith('default-roles'));

describe('who may grant which role to whom', () => {
  const cases = (Object.keys(CALLERS) as Caller[]).flatMap((caller) =>
    ROLES.flatMap((role) => (['own', 'other'] as Target[]).map((target) => [caller, role, target, expected(caller, role, target)] as const)),
  );

  it('has every role × every grantable role × own and other school', () => {
    expect(cases).toHaveLength(8 * 10 * 2);
    expect(cases.filter((c) => c[3] === 'granted')).toHaveLength(10 * 2 + 4);
  });

  it.each(cases)('%s grants %s on an account of the %s school: %s', async (caller, role, target, outcome) => {
    const id = targets[target];
    const roleName = role.toLowerCase().replace('_', '-');
    const answer = await w.gql(CALLERS[caller], GRANT, { id, role, key: w.key() });
    if (outcome === 'granted') {
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.grantRole.roles).toEqual([role]);
      expect(await realmRoles(id)).toEqual([roleName]);
      const back = await w.gql(CALLERS[caller], REVOKE, { id, role, key: w.key() });
      expect(back.errors).toBeUndefined();
      expect(back.data!.revokeRole.roles).toEqual([]);
    } else {
      expect(codes(answer)).toEqual([outcome]);
      expect(answer.data?.grantRole ?? null).toBeNull();
    }
    expect(await realmRoles(id)).toEqual([]);
  });
});
