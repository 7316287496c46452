/**
 * Against the real Keycloak (started or reused by ensureKeycloak): the realm
 * `district` gives the claims the platform relies on, and users cannot change
 * their own school binding.
 */
import {
  ensureKeycloak,
  keycloakConfigFromEnv,
  passwordToken,
  serviceAccountToken,
  KEYCLOAK_REALM,
  type KeycloakHandle,
} from '../src/keycloak';

interface Claims {
  iss: string;
  aud?: string | string[];
  exp: number;
  iat: number;
  azp?: string;
  preferred_username?: string;
  realm_access?: { roles?: string[] };
  school_ids?: string[];
  person_id?: string;
}

function decode(token: string): Claims {
  const parts = token.split('.');
  expect(parts).toHaveLength(3);
  return JSON.parse(Buffer.from(parts[1] as string, 'base64url').toString('utf8')) as Claims;
}

function audiences(c: Claims): string[] {
  if (c.aud === undefined) return [];
  return Array.isArray(c.aud) ? c.aud : [c.aud];
}

jest.setTimeout(60_000);

let kc: KeycloakHandle;

beforeAll(async () => {
  kc = await ensureKeycloak({
    port: keycloakConfigFromEnv().port,
    log: (line) => process.stdout.write(`${line}\n`),
  });
}, 240_000);

afterAll(async () => {
  if (kc?.startedHere) await kc.stop();
}, 30_000);

describe('realm district tokens', () => {
  it('s001.teacher via district-web carries role, school, person and audience', async () => {
    const c = decode(await passwordToken({ url: kc.url, username: 's001.teacher', clientId: 'district-web' }));
    expect(c.realm_access?.roles).toContain('teacher');
    expect(c.school_ids).toEqual(['s001']);
    expect(c.person_id).toBe('00000000-0000-4000-8000-000000000103');
    expect(audiences(c)).toContain('district-api');
    expect(c.iss.endsWith(`/realms/${KEYCLOAK_REALM}`)).toBe(true);
    expect(c.azp).toBe('district-web');
  });

  it('every school demo user has its role, school and person id', async () => {
    const kinds: Array<[string, string, string]> = [
      ['director', 'school-admin', '01'], ['deputy', 'deputy', '02'], ['teacher', 'teacher', '03'],
      ['student', 'student', '04'], ['parent', 'parent', '05'],
    ];
    for (const school of ['s001', 's002', 's003']) {
      for (const [kind, role, code] of kinds) {
        const c = decode(await passwordToken({ url: kc.url, username: `${school}.${kind}` }));
        expect({ user: `${school}.${kind}`, roles: c.realm_access?.roles?.includes(role), schools: c.school_ids, person: c.person_id })
          .toEqual({ user: `${school}.${kind}`, roles: true, schools: [school],
            person: `00000000-0000-4000-8000-0000000${school.slice(1)}${code}` });
      }
    }
  });

  it('parent.multi is bound to s001 and s002', async () => {
    const c = decode(await passwordToken({ url: kc.url, username: 'parent.multi' }));
    expect(c.realm_access?.roles).toContain('parent');
    expect([...(c.school_ids ?? [])].sort()).toEqual(['s001', 's002']);
    expect(c.person_id).toBe('00000000-0000-4000-8000-000000090004');
  });

  it('analyst has district-analyst and no school binding', async () => {
    const c = decode(await passwordToken({ url: kc.url, username: 'analyst' }));
    expect(c.realm_access?.roles).toContain('district-analyst');
    expect(c.school_ids ?? []).toEqual([]);
    expect(c.person_id).toBe('00000000-0000-4000-8000-000000090001');
  });

  it('district.admin and sso.admin have their roles', async () => {
    const admin = decode(await passwordToken({ url: kc.url, username: 'district.admin' }));
    expect(admin.realm_access?.roles).toContain('district-admin');
    expect(admin.person_id).toBe('00000000-0000-4000-8000-000000090002');
    const sso = decode(await passwordToken({ url: kc.url, username: 'sso.admin' }));
    expect(sso.realm_access?.roles).toContain('sso-admin');
    expect(sso.person_id).toBe('00000000-0000-4000-8000-000000090003');
  });

  it('state-portal client credentials give role portal and audience district-api', async () => {
    const c = decode(await serviceAccountToken({
      url: kc.url, clientId: 'state-portal', clientSecret: 'state-portal-secret',
    }));
    expect(c.realm_access?.roles).toContain('portal');
    expect(audiences(c)).toContain('district-api');
    expect(c.azp).toBe('state-portal');
  });

  it('a wrong client secret is rejected', async () => {
    await expect(serviceAccountToken({ url: kc.url, clientId: 'state-portal', clientSecret: 'wrong' }))
      .rejects.toThrow(/unauthorized_client|invalid_client/);
  });

  it('other-app tokens lack the district-api audience', async () => {
    const c = decode(await passwordToken({ url: kc.url, username: 's001.teacher', clientId: 'other-app' }));
    expect(audiences(c)).not.toContain('district-api');
    expect(c.school_ids).toEqual(['s001']);
  });

  it('district-test-expiry tokens live at most 2 seconds', async () => {
    const c = decode(await passwordToken({ url: kc.url, username: 's001.teacher', clientId: 'district-test-expiry' }));
    expect(c.exp - c.iat).toBeLessThanOrEqual(2);
    expect(audiences(c)).toContain('district-api');
  });

  it('a user cannot change their own school_ids through the account API', async () => {
    const token = await passwordToken({ url: kc.url, username: 's001.teacher' });
    const accountUrl = `${kc.url}/realms/${KEYCLOAK_REALM}/account`;
    const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
    const meRes = await fetch(accountUrl, { headers });
    expect(meRes.status).toBe(200);
    const me = (await meRes.json()) as Record<string, unknown>;
    const res = await fetch(accountUrl, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        username: me.username, firstName: me.firstName, lastName: me.lastName, email: me.email,
        attributes: { school_ids: ['s002'] },
      }),
    });
    const body = await res.text();
    process.stdout.write(`account API answered ${res.status}: ${body.slice(0, 200)}\n`);
    const refused = res.status >= 400;
    const fresh = decode(await passwordToken({ url: kc.url, username: 's001.teacher' }));
    expect(fresh.school_ids).toEqual(['s001']);
    // Keycloak 26 refuses outright ("error-user-attribute-read-only"); accepting
    // but ignoring would also keep the claim, which is what matters.
    if (refused) expect(res.status).toBe(400);
  });

  it('sso.admin can read users and their school binding through the admin API; a teacher cannot', async () => {
    const usersUrl = `${kc.url}/admin/realms/${KEYCLOAK_REALM}/users?username=s001.teacher&exact=true`;
    const ssoToken = await passwordToken({ url: kc.url, username: 'sso.admin' });
    const res = await fetch(usersUrl, { headers: { authorization: `Bearer ${ssoToken}`, accept: 'application/json' } });
    expect(res.status).toBe(200);
    const users = (await res.json()) as Array<{ username: string; attributes?: Record<string, string[]> }>;
    expect(users).toHaveLength(1);
    expect(users[0]?.attributes?.school_ids).toEqual(['s001']);
    const teacherToken = await passwordToken({ url: kc.url, username: 's001.teacher' });
    const denied = await fetch(usersUrl, { headers: { authorization: `Bearer ${teacherToken}` } });
    expect(denied.status).toBe(403);
  });

  it('a wrong password is rejected with Keycloak\'s error', async () => {
    await expect(passwordToken({ url: kc.url, username: 's001.teacher', password: 'wrong' }))
      .rejects.toThrow(/invalid_grant/);
  });

  it('the master-realm bootstrap admin can get a (wrong-issuer) token', async () => {
    const c = decode(await passwordToken({
      url: kc.url, realm: 'master', clientId: 'admin-cli', username: 'admin', password: 'admin',
    }));
    expect(c.iss.endsWith('/realms/master')).toBe(true);
  });
});
