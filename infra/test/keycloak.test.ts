/**
 * The realm `district`: the committed production realm file
 * (infra/keycloak/realm-district.json) checked as JSON, and the demo realm
 * (production + infra/keycloak/realm-district.demo.json) against the real
 * Keycloak (started or reused by ensureKeycloak): the claims the platform
 * relies on, users cannot change their own school binding, brute-force
 * lockout, password policy, short access tokens and refresh-token rotation,
 * and what the identity subgraph's service account (district-identity) may and
 * may not do through the admin REST API.
 */
import {
  composeRealm,
  ensureKeycloak,
  keycloakConfigFromEnv,
  passwordToken,
  runningRealmIsCurrent,
  serviceAccountToken,
  KEYCLOAK_REALM,
  type KeycloakHandle,
  type RealmRepresentation,
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

const production: RealmRepresentation = composeRealm('production');
const demo: RealmRepresentation = composeRealm('demo', { hashPasswords: false });
const demoForImport: RealmRepresentation = composeRealm('demo');

const PRODUCTION_CLIENTS = ['district-api', 'district-web', 'state-portal', 'district-gateway', 'district-monitoring', 'district-identity', 'district-portal'];
/** The realm-management roles of district-identity's service account, and nothing more (infra/keycloak/README.md says why each). */
const IDENTITY_ADMIN_ROLES = ['manage-users', 'view-users', 'query-users', 'view-realm', 'view-events'];
const TEST_CLIENTS = ['district-test-expiry', 'other-app'];
/** Settings the demo overlay must not relax: the demo realm shows production behaviour. */
const SECURITY_SETTINGS = [
  'bruteForceProtected',
  'permanentLockout',
  'maxTemporaryLockouts',
  'bruteForceStrategy',
  'failureFactor',
  'waitIncrementSeconds',
  'maxFailureWaitSeconds',
  'maxDeltaTimeSeconds',
  'passwordPolicy',
  'accessTokenLifespan',
  'revokeRefreshToken',
  'refreshTokenMaxReuse',
  'ssoSessionIdleTimeout',
  'ssoSessionMaxLifespan',
  'eventsEnabled',
  'eventsExpiration',
  'enabledEventTypes',
];

function client(realm: RealmRepresentation, clientId: string) {
  const c = realm.clients?.find((x) => x.clientId === clientId);
  if (!c) throw new Error(`client ${clientId} missing from realm`);
  return c;
}

/** Every [path, value] of a JSON value whose key is one of `keys`. */
function findKeys(value: unknown, keys: string[], at = '$'): Array<[string, unknown]> {
  if (Array.isArray(value)) return value.flatMap((v, i) => findKeys(v, keys, `${at}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => [
    ...(keys.includes(k) ? [[`${at}.${k}`, v] as [string, unknown]] : []),
    ...findKeys(v, keys, `${at}.${k}`),
  ]);
}

describe('production realm file (infra/keycloak/realm-district.json; no Keycloak needed)', () => {
  it('holds no demo users: only the service accounts of its confidential clients, without credentials', () => {
    const users = production.users ?? [];
    expect(users.filter((u) => !u.serviceAccountClientId).map((u) => u.username)).toEqual([]);
    expect(users.map((u) => u.serviceAccountClientId).sort()).toEqual([
      'district-gateway',
      'district-identity',
      'district-monitoring',
      'district-portal',
      'state-portal',
    ]);
    expect(findKeys(production, ['credentials', 'secretData', 'credentialData'])).toEqual([]);
  });

  it('has exactly the platform clients: no test clients, none with direct access grants or implicit flow', () => {
    expect((production.clients ?? []).map((c) => c.clientId).sort()).toEqual([...PRODUCTION_CLIENTS].sort());
    for (const c of production.clients ?? []) {
      expect({ clientId: c.clientId, direct: c.directAccessGrantsEnabled, implicit: c.implicitFlowEnabled }).toEqual({
        clientId: c.clientId,
        direct: false,
        implicit: false,
      });
    }
  });

  it('district-web is a public code-flow client with PKCE S256 and redirect URIs / web origins of one placeholder origin', () => {
    const web = client(production, 'district-web');
    expect(web.publicClient).toBe(true);
    expect(web.standardFlowEnabled).toBe(true);
    expect(web.directAccessGrantsEnabled).toBe(false);
    expect(web.attributes?.['pkce.code.challenge.method']).toBe('S256');
    expect(web.redirectUris).toEqual(['${DISTRICT_WEB_ORIGIN}/*']);
    expect(web.webOrigins).toEqual(['${DISTRICT_WEB_ORIGIN}']);
    expect(JSON.stringify(web)).not.toMatch(/localhost|127\.0\.0\.1/);
  });

  it('commits no client secrets: Keycloak generates them at import', () => {
    expect(findKeys(production, ['secret'])).toEqual([]);
    const text = JSON.stringify(production);
    for (const c of demo.clients ?? []) {
      if (typeof c.secret === 'string') expect(text).not.toContain(c.secret);
    }
    for (const c of production.clients ?? []) {
      if (!c.publicClient) expect({ clientId: c.clientId, auth: c.clientAuthenticatorType }).toEqual({ clientId: c.clientId, auth: 'client-secret' });
    }
  });

  it('district-identity is a service-accounts-only confidential client whose account has exactly its realm-management roles and sso-admin (for the nightly fix)', () => {
    const identity = client(production, 'district-identity');
    expect(identity).toMatchObject({
      publicClient: false,
      clientAuthenticatorType: 'client-secret',
      serviceAccountsEnabled: true,
      standardFlowEnabled: false,
      directAccessGrantsEnabled: false,
      implicitFlowEnabled: false,
    });
    // the same mappers as the other service accounts: district-api in aud
    expect(identity.protocolMappers).toEqual(client(production, 'district-monitoring').protocolMappers);
    const account = (production.users ?? []).find((u) => u.serviceAccountClientId === 'district-identity');
    expect(account?.username).toBe('service-account-district-identity');
    // sso-admin lets the nightly fix read each school's people through the gateway, as district IT would; manage-users is the stronger right already.
    expect(account?.realmRoles ?? []).toEqual(['sso-admin']);
    const clientRoles = (account?.clientRoles ?? {}) as Record<string, string[]>;
    expect(Object.keys(clientRoles)).toEqual(['realm-management']);
    expect([...(clientRoles['realm-management'] ?? [])].sort()).toEqual([...IDENTITY_ADMIN_ROLES].sort());
  });

  it('stores login events for 90 days (the identity subgraph shows the last login), no admin events', () => {
    expect(production).toMatchObject({ eventsEnabled: true, eventsExpiration: 90 * 24 * 3600, eventsListeners: ['jboss-logging'], adminEventsEnabled: false });
    expect(production.enabledEventTypes).toEqual(expect.arrayContaining(['LOGIN', 'LOGIN_ERROR', 'LOGOUT', 'CODE_TO_TOKEN', 'REFRESH_TOKEN']));
  });

  it("client descriptions fit Keycloak's 255-character column", () => {
    // A longer one makes the whole import fail with "Database operation failed" and nothing else.
    for (const c of [...(production.clients ?? []), ...(demo.clients ?? [])]) {
      expect({ clientId: c.clientId, fits: String(c.description ?? '').length <= 255 }).toEqual({ clientId: c.clientId, fits: true });
    }
  });

  it('locks accounts temporarily after 10 failures (60 s more per 10, at most 15 min), never permanently', () => {
    expect(production).toMatchObject({
      bruteForceProtected: true,
      permanentLockout: false,
      maxTemporaryLockouts: 0,
      bruteForceStrategy: 'MULTIPLE',
      failureFactor: 10,
      waitIncrementSeconds: 60,
      maxFailureWaitSeconds: 900,
      quickLoginCheckMilliSeconds: 1000,
      minimumQuickLoginWaitSeconds: 60,
    });
  });

  it('has a password policy', () => {
    expect(production.passwordPolicy).toBe(
      'length(12) and maxLength(128) and upperCase(1) and lowerCase(1) and digits(1) and notUsername and notEmail and passwordHistory(5)',
    );
  });

  it('issues 5-minute access tokens and rotates refresh tokens; sessions end after 30 min idle, 10 h at most', () => {
    expect(production).toMatchObject({
      accessTokenLifespan: 300,
      revokeRefreshToken: true,
      refreshTokenMaxReuse: 0,
      ssoSessionIdleTimeout: 1800,
      ssoSessionMaxLifespan: 36000,
    });
    expect(production.sslRequired).toBe('external');
  });
});

describe('demo realm = production realm + demo overlay (infra/keycloak/realm-district.demo.json)', () => {
  it('keeps every production security setting', () => {
    for (const key of SECURITY_SETTINGS) expect({ key, value: demo[key] }).toEqual({ key, value: production[key] });
  });

  it('adds direct grants and localhost URIs to district-web (PKCE stays required), demo secrets, test clients and users', () => {
    const web = client(demo, 'district-web');
    expect(web.directAccessGrantsEnabled).toBe(true);
    expect(web.attributes?.['pkce.code.challenge.method']).toBe('S256');
    expect(web.redirectUris).toContain('http://localhost:*');
    expect(client(demo, 'state-portal').secret).toBe('state-portal-secret');
    expect(client(demo, 'district-identity').secret).toBe('district-identity-secret');
    expect((demo.clients ?? []).map((c) => c.clientId).sort()).toEqual([...PRODUCTION_CLIENTS, ...TEST_CLIENTS].sort());
    expect((demo.users ?? []).map((u) => u.username)).toEqual(expect.arrayContaining(['s001.teacher', 'parent.multi', 'sso.admin', 'lockout.probe']));
    // production clients keep their shared settings, e.g. the claim mappers
    expect(client(demo, 'district-web').protocolMappers).toEqual(client(production, 'district-web').protocolMappers);
  });

  it('imports demo passwords pre-hashed (Keycloak would apply the password policy to plain text)', () => {
    const passwords = (demoForImport.users ?? []).flatMap((u) => u.credentials ?? []);
    expect(passwords.length).toBe((demo.users ?? []).filter((u) => !u.serviceAccountClientId).length);
    expect(passwords.length).toBeGreaterThanOrEqual(20);
    for (const c of passwords) {
      expect(c.value).toBeUndefined();
      expect(JSON.parse(c.credentialData ?? '{}')).toMatchObject({ algorithm: 'pbkdf2-sha256' });
    }
  });
});

let kc: KeycloakHandle;

async function masterAdminToken(): Promise<string> {
  return passwordToken({ url: kc.url, realm: 'master', clientId: 'admin-cli', username: 'admin', password: 'admin' });
}

async function admin(token: string, method: string, adminPath: string, body?: unknown): Promise<{ status: number; json: unknown; text: string }> {
  const res = await fetch(`${kc.url}/admin/realms${adminPath}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

async function userId(token: string, username: string): Promise<string> {
  const res = await admin(token, 'GET', `/${KEYCLOAK_REALM}/users?username=${encodeURIComponent(username)}&exact=true`);
  expect(res.status).toBe(200);
  const id = (res.json as Array<{ id: string }>)[0]?.id;
  if (!id) throw new Error(`user ${username} not found`);
  return id;
}

/** The token endpoint's raw answer (status and JSON body). */
async function tokenEndpoint(form: Record<string, string>, realm = KEYCLOAK_REALM): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${kc.url}/realms/${realm}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(form).toString(),
    signal: AbortSignal.timeout(15_000),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

let starting: Promise<KeycloakHandle> | undefined;
/** For the describes that need the running Keycloak (the JSON checks above do not). */
async function startKeycloak(): Promise<void> {
  starting ??= ensureKeycloak({
    port: keycloakConfigFromEnv().port,
    log: (line) => process.stdout.write(`${line}\n`),
  });
  kc = await starting;
}

afterAll(async () => {
  if (kc?.startedHere) await kc.stop();
}, 30_000);

describe('realm district tokens', () => {
  beforeAll(startKeycloak, 240_000);

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
      ['director', 'school-admin', '01'],
      ['deputy', 'deputy', '02'],
      ['teacher', 'teacher', '03'],
      ['student', 'student', '04'],
      ['parent', 'parent', '05'],
    ];
    for (const school of ['s001', 's002', 's003']) {
      for (const [kind, role, code] of kinds) {
        const c = decode(await passwordToken({ url: kc.url, username: `${school}.${kind}` }));
        expect({ user: `${school}.${kind}`, roles: c.realm_access?.roles?.includes(role), schools: c.school_ids, person: c.person_id }).toEqual({
          user: `${school}.${kind}`,
          roles: true,
          schools: [school],
          person: `00000000-0000-4000-8000-0000000${school.slice(1)}${code}`,
        });
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
    const c = decode(
      await serviceAccountToken({
        url: kc.url,
        clientId: 'state-portal',
        clientSecret: 'state-portal-secret',
      }),
    );
    expect(c.realm_access?.roles).toContain('portal');
    expect(audiences(c)).toContain('district-api');
    expect(c.azp).toBe('state-portal');
  });

  it('a wrong client secret is rejected', async () => {
    await expect(serviceAccountToken({ url: kc.url, clientId: 'state-portal', clientSecret: 'wrong' })).rejects.toThrow(/unauthorized_client|invalid_client/);
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
        username: me.username,
        firstName: me.firstName,
        lastName: me.lastName,
        email: me.email,
        attributes: { school_ids: ['s002'] },
      }),
    });
    // Keycloak 26 refuses outright: the attribute is read-only for the user (the realm's user profile).
    expect({ status: res.status, body: await res.text() }).toEqual({ status: 400, body: expect.stringContaining('error-user-attribute-read-only') });
    const fresh = decode(await passwordToken({ url: kc.url, username: 's001.teacher' }));
    expect(fresh.school_ids).toEqual(['s001']);
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

  it("a wrong password is rejected with Keycloak's error", async () => {
    await expect(passwordToken({ url: kc.url, username: 's001.teacher', password: 'wrong' })).rejects.toThrow(/invalid_grant/);
  });

  it('the master-realm bootstrap admin can get a (wrong-issuer) token', async () => {
    const c = decode(
      await passwordToken({
        url: kc.url,
        realm: 'master',
        clientId: 'admin-cli',
        username: 'admin',
        password: 'admin',
      }),
    );
    expect(c.iss.endsWith('/realms/master')).toBe(true);
  });
});

describe('demo realm security settings on the running Keycloak', () => {
  beforeAll(startKeycloak, 240_000);

  it('the running realm is the demo realm the committed files compose now', async () => {
    // 'stale': a Keycloak started from older realm files is being reused; stop it and run again.
    expect(await runningRealmIsCurrent(kc.url)).toBe('current');
  });

  it('access tokens live exactly accessTokenLifespan (300 s); refresh tokens the SSO idle time', async () => {
    const { status, body } = await tokenEndpoint({ grant_type: 'password', client_id: 'district-web', username: 's002.teacher', password: 'demo' });
    expect(status).toBe(200);
    const c = decode(body.access_token as string);
    expect(c.exp - c.iat).toBe(production.accessTokenLifespan);
    expect(c.exp - c.iat).toBe(300);
    expect(body.expires_in).toBe(300);
    expect(body.refresh_expires_in).toBe(production.ssoSessionIdleTimeout);
  });

  it('a refresh token works once: the rotated one replaces it and a second use is refused', async () => {
    const login = await tokenEndpoint({ grant_type: 'password', client_id: 'district-web', username: 's002.student', password: 'demo' });
    expect(login.status).toBe(200);
    const first = login.body.refresh_token as string;
    const refreshed = await tokenEndpoint({ grant_type: 'refresh_token', client_id: 'district-web', refresh_token: first });
    expect(refreshed.status).toBe(200);
    expect(typeof refreshed.body.access_token).toBe('string');
    expect(refreshed.body.refresh_token).not.toBe(first);
    const reused = await tokenEndpoint({ grant_type: 'refresh_token', client_id: 'district-web', refresh_token: first });
    expect(reused.status).toBe(400);
    expect(reused.body.error).toBe('invalid_grant');
  });

  it('after failureFactor wrong passwords a user is locked for a while (even the right password fails); sso.admin unlocks', async () => {
    const probe = 'lockout.probe'; // exists only in the demo overlay: no demo user is ever locked
    const master = await masterAdminToken();
    const id = await userId(master, probe);
    const lockPath = `/${KEYCLOAK_REALM}/attack-detection/brute-force/users/${id}`;
    const status = async () => (await admin(master, 'GET', lockPath)).json as { disabled: boolean; numFailures: number; failedLoginNotBefore: number };
    const failureFactor = production.failureFactor as number;
    const wrong = () => expect(passwordToken({ url: kc.url, username: probe, password: 'not-the-password' })).rejects.toThrow(/invalid_grant/);
    expect((await admin(master, 'DELETE', lockPath)).status).toBe(204);
    try {
      for (let i = 1; i < failureFactor; i++) await wrong();
      expect(await status()).toMatchObject({ disabled: false, numFailures: failureFactor - 1 });
      await wrong();
      const locked = await status();
      expect(locked).toMatchObject({ disabled: true, numFailures: failureFactor });
      // temporary: it ends after waitIncrementSeconds, and the account itself stays enabled
      const waitSeconds = locked.failedLoginNotBefore - Math.floor(Date.now() / 1000);
      expect(waitSeconds).toBeGreaterThan(0);
      expect(waitSeconds).toBeLessThanOrEqual(production.waitIncrementSeconds as number);
      expect(((await admin(master, 'GET', `/${KEYCLOAK_REALM}/users/${id}`)).json as { enabled: boolean }).enabled).toBe(true);
      await expect(passwordToken({ url: kc.url, username: probe })).rejects.toThrow(/invalid_grant/);
      // district IT lifts the lock (sso-admin manages users)
      const sso = await passwordToken({ url: kc.url, username: 'sso.admin' });
      expect((await admin(sso, 'DELETE', lockPath)).status).toBe(204);
      expect(decode(await passwordToken({ url: kc.url, username: probe })).preferred_username).toBe(probe);
    } finally {
      await admin(master, 'DELETE', lockPath);
    }
  });

  it('the realm has the production password policy and refuses weak passwords', async () => {
    const master = await masterAdminToken();
    const realm = (await admin(master, 'GET', `/${KEYCLOAK_REALM}`)).json as RealmRepresentation;
    expect(realm.passwordPolicy).toBe(production.passwordPolicy);
    expect(realm).toMatchObject({ bruteForceProtected: true, permanentLockout: false, revokeRefreshToken: true, refreshTokenMaxReuse: 0 });
    const id = await userId(master, 'lockout.probe');
    for (const weak of ['demo', 'longbutonlylowercase', 'NoDigitsButLongEnough']) {
      const res = await admin(master, 'PUT', `/${KEYCLOAK_REALM}/users/${id}/reset-password`, { type: 'password', value: weak, temporary: false });
      expect({ weak, status: res.status }).toEqual({ weak, status: 400 });
      expect(res.text).toMatch(/invalidPassword/);
    }
  });

  it('the production realm file imports as it is: generated client secrets, no direct grants on district-web', async () => {
    const master = await masterAdminToken();
    const name = `district-production-check-${process.pid}-${Date.now()}`;
    // What an import with DISTRICT_WEB_ORIGIN set does (unresolved, the placeholder is not a valid URI and the import fails).
    const origin = 'https://journal.district.example';
    const resolved = JSON.parse(JSON.stringify(production).split('${DISTRICT_WEB_ORIGIN}').join(origin)) as RealmRepresentation;
    const created = await admin(master, 'POST', '', { ...resolved, realm: name });
    expect(created.status).toBe(201);
    try {
      const clients = (await admin(master, 'GET', `/${name}/clients`)).json as Array<{
        id: string;
        clientId: string;
        publicClient: boolean;
        directAccessGrantsEnabled: boolean;
      }>;
      for (const clientId of PRODUCTION_CLIENTS) {
        const c = clients.find((x) => x.clientId === clientId)!;
        expect({ clientId, direct: c?.directAccessGrantsEnabled }).toEqual({ clientId, direct: false });
        if (!c.publicClient) {
          const secret = ((await admin(master, 'GET', `/${name}/clients/${c.id}/client-secret`)).json as { value?: string }).value ?? '';
          expect({ clientId, generated: secret.length >= 32 && !secret.includes('$') }).toEqual({ clientId, generated: true });
        }
      }
      const refused = await tokenEndpoint({ grant_type: 'password', client_id: 'district-web', username: 's001.teacher', password: 'demo' }, name);
      expect(refused.status).toBeGreaterThanOrEqual(400);
      expect(refused.body.error).toBe('unauthorized_client');
      const web = (await admin(master, 'GET', `/${name}/clients?clientId=district-web`)).json as Array<{ redirectUris: string[]; webOrigins: string[] }>;
      expect(web[0]).toMatchObject({ redirectUris: [`${origin}/*`], webOrigins: [origin] });
      const realm = (await admin(master, 'GET', `/${name}`)).json as RealmRepresentation;
      expect(realm).toMatchObject({ bruteForceProtected: true, passwordPolicy: production.passwordPolicy, accessTokenLifespan: 300 });
    } finally {
      await admin(master, 'DELETE', `/${name}`);
    }
  });
});

interface AdminUser {
  id: string;
  username: string;
  enabled: boolean;
  attributes?: Record<string, string[]>;
}

interface LoginEvent {
  time: number;
  type: string;
  clientId?: string;
  userId?: string;
  details?: Record<string, string>;
}

describe('district-identity on the running Keycloak: the admin REST API with least privilege', () => {
  beforeAll(startKeycloak, 240_000);

  const realmPath = `/${KEYCLOAK_REALM}`;

  async function identityToken(): Promise<string> {
    return serviceAccountToken({ url: kc.url, clientId: 'district-identity', clientSecret: client(demo, 'district-identity').secret as string });
  }

  async function clientUuid(token: string, clientId: string): Promise<string> {
    const res = await admin(token, 'GET', `${realmPath}/clients?clientId=${encodeURIComponent(clientId)}`);
    expect(res.status).toBe(200);
    const id = (res.json as Array<{ id: string }>)[0]?.id;
    if (!id) throw new Error(`client ${clientId} not found`);
    return id;
  }

  async function identityAccountId(master: string): Promise<string> {
    const res = await admin(master, 'GET', `${realmPath}/clients/${await clientUuid(master, 'district-identity')}/service-account-user`);
    expect(res.status).toBe(200);
    return (res.json as AdminUser).id;
  }

  it('its client-credentials token carries aud district-api and the realm role sso-admin only; the account holds exactly its realm-management roles', async () => {
    const c = decode(await identityToken());
    expect(audiences(c)).toContain('district-api');
    expect(c.azp).toBe('district-identity');
    expect(c.realm_access?.roles ?? []).toEqual(['sso-admin']);
    const master = await masterAdminToken();
    const res = await admin(master, 'GET', `${realmPath}/users/${await identityAccountId(master)}/role-mappings`);
    expect(res.status).toBe(200);
    const mappings = res.json as { realmMappings?: Array<{ name: string }>; clientMappings?: Record<string, { mappings: Array<{ name: string }> }> };
    expect((mappings.realmMappings ?? []).map((r) => r.name)).toEqual(['sso-admin']);
    expect(Object.keys(mappings.clientMappings ?? {})).toEqual(['realm-management']);
    expect(mappings.clientMappings?.['realm-management']?.mappings.map((r) => r.name).sort()).toEqual([...IDENTITY_ADMIN_ROLES].sort());
  });

  it('searches users by school, creates one with person_id and school_ids, binds teacher, reads both back and deletes it', async () => {
    const token = await identityToken();
    const found = await admin(token, 'GET', `${realmPath}/users?q=school_ids:s001&max=2000`);
    expect(found.status).toBe(200);
    const users = found.json as AdminUser[];
    expect(users.map((u) => u.username)).toEqual(
      expect.arrayContaining(['s001.director', 's001.deputy', 's001.teacher', 's001.student', 's001.parent', 'parent.multi']),
    );
    for (const u of users) expect({ user: u.username, s001: u.attributes?.school_ids?.includes('s001') }).toEqual({ user: u.username, s001: true });

    const username = `identity.probe.${process.pid}.${Date.now()}`;
    const personId = '00000000-0000-4000-8000-000000099001';
    const created = await admin(token, 'POST', `${realmPath}/users`, {
      username,
      enabled: true,
      firstName: 'Проба',
      lastName: 'Учётки',
      attributes: { person_id: [personId], school_ids: ['s001'] },
    });
    expect({ status: created.status, body: created.text }).toEqual({ status: 201, body: '' });
    const id = await userId(token, username);
    try {
      // a role mapping takes the role's representation, which needs view-realm
      const teacher = await admin(token, 'GET', `${realmPath}/roles/teacher`);
      expect(teacher.status).toBe(200);
      expect((await admin(token, 'POST', `${realmPath}/users/${id}/role-mappings/realm`, [teacher.json])).status).toBe(204);

      const read = await admin(token, 'GET', `${realmPath}/users/${id}`);
      expect(read.status).toBe(200);
      expect(read.json).toMatchObject({ id, username, enabled: true, attributes: { person_id: [personId], school_ids: ['s001'] } });
      const roles = await admin(token, 'GET', `${realmPath}/users/${id}/role-mappings/realm`);
      expect(roles.status).toBe(200);
      expect((roles.json as Array<{ name: string }>).map((r) => r.name).sort()).toEqual([`default-roles-${KEYCLOAK_REALM}`, 'teacher']);

      expect((await admin(token, 'DELETE', `${realmPath}/users/${id}`)).status).toBe(204);
      expect((await admin(token, 'GET', `${realmPath}/users/${id}`)).status).toBe(404);
    } finally {
      await admin(await masterAdminToken(), 'DELETE', `${realmPath}/users/${id}`);
    }
  });

  it('reads login events: the latest LOGIN of a user who just logged in names the user and the client', async () => {
    const since = Date.now() - 5_000;
    await passwordToken({ url: kc.url, username: 's003.deputy' });
    const token = await identityToken();
    const recent = await admin(token, 'GET', `${realmPath}/events?type=LOGIN&max=5`);
    expect(recent.status).toBe(200);
    const events = recent.json as LoginEvent[];
    expect(events.length).toBeGreaterThanOrEqual(1);
    expect(events.length).toBeLessThanOrEqual(5);
    expect([...new Set(events.map((e) => e.type))]).toEqual(['LOGIN']);

    const deputy = await userId(token, 's003.deputy');
    const own = await admin(token, 'GET', `${realmPath}/events?type=LOGIN&user=${deputy}&max=1`);
    expect(own.status).toBe(200);
    const [last] = own.json as LoginEvent[];
    expect(last).toMatchObject({ type: 'LOGIN', userId: deputy, clientId: 'district-web', details: { username: 's003.deputy', grant_type: 'password' } });
    expect(last?.time ?? 0).toBeGreaterThanOrEqual(since);
  });

  it('is refused (403) for managing clients, changing the realm and granting itself an admin role it lacks', async () => {
    const token = await identityToken();
    const master = await masterAdminToken();

    const probeClient = `identity-must-not-create-${process.pid}`;
    try {
      expect((await admin(token, 'POST', `${realmPath}/clients`, { clientId: probeClient, publicClient: true })).status).toBe(403);
    } finally {
      const stray = (await admin(master, 'GET', `${realmPath}/clients?clientId=${probeClient}`)).json as Array<{ id: string }>;
      for (const c of stray) await admin(master, 'DELETE', `${realmPath}/clients/${c.id}`);
    }

    // the realm's own display name: harmless even if it were accepted
    expect((await admin(token, 'PUT', realmPath, { displayName: production.displayName })).status).toBe(403);

    const realmManagement = await clientUuid(master, 'realm-management');
    const manageClients = (await admin(master, 'GET', `${realmPath}/clients/${realmManagement}/roles/manage-clients`)).json;
    const mappingPath = `${realmPath}/users/${await identityAccountId(master)}/role-mappings/clients/${realmManagement}`;
    try {
      expect((await admin(token, 'POST', mappingPath, [manageClients])).status).toBe(403);
    } finally {
      await admin(master, 'DELETE', mappingPath, [manageClients]);
    }
    const held = (await admin(master, 'GET', mappingPath)).json as Array<{ name: string }>;
    expect(held.map((r) => r.name).sort()).toEqual([...IDENTITY_ADMIN_ROLES].sort());
  });
});
