import { codes } from './support';
import { startIdentityWorld, type IdentityWorld } from './identity-world';

/**
 * Keycloak stopped in the middle of a change (identity's connection to it cut
 * just before a step, the real Keycloak behind a TCP proxy), and the audit of
 * every change with its hash chain.
 */
let w: IdentityWorld;
beforeAll(async () => {
  w = await startIdentityWorld();
});
afterAll(async () => {
  await w?.close();
});

const CREATE = `mutation($person: ID!, $roles: [PlatformRole!]!, $key: String!) {
  createAccount(person: $person, roles: $roles, idempotencyKey: $key) { created temporaryPassword account { id username personId roles schoolIds } } }`;
const STAFF = `query($s: ID!) { staff(schoolId: $s) { id personId } }`;
const AUDIT = `query($id: ID!) { identityAudit(accountId: $id) { id action actor old new } }`;
const VERIFY = `{ verifyIdentityAudit { ok rowsChecked firstBrokenId problem } }`;

async function newcomer(): Promise<string> {
  const staff = (await w.gql('s001.director', STAFF, { s: 's001' })).data!.staff as { id: string; personId: string | null }[];
  return staff.filter((s) => s.personId === null).at(-1)!.id;
}

describe('Keycloak stopped in the middle of creating an account', () => {
  it('answers IDENTITY_UNAVAILABLE, leaves the change resumable, and the same key finishes it exactly once', async () => {
    const person = await newcomer();
    const key = w.key();
    w.cutKeycloakBefore('grant roles');
    const first = await w.gql('s001.director', CREATE, { person, roles: ['TEACHER'], key });
    expect(codes(first)).toEqual(['IDENTITY_UNAVAILABLE']);
    expect(first.errors![0]!.extensions).toMatchObject({ retryable: true });
    expect(first.errors![0]!.message).toMatch(/недоступна.*тем же ключом/);
    // Half done in Keycloak: the user exists, without its role; the change waits for its key.
    const [change] = await w.sql<{ state: string; plan: { username: string; personId: string } }>(`select state, plan from identity.change where key = ?`, [
      key,
    ]);
    expect(change!.state).toBe('PENDING');
    const { json: half } = await w.admin<{ id: string }[]>('GET', `/users?username=${change!.plan.username}&exact=true`);
    expect(half).toHaveLength(1);
    w.forget(half[0]!.id);
    const roles = async () => (await w.admin<{ name: string }[]>('GET', `/users/${half[0]!.id}/role-mappings/realm`)).json.map((r) => r.name);
    expect(await roles()).not.toContain('teacher');

    // While Keycloak stays away, reading an account fails clearly too.
    const reading = await w.gql('s001.director', `query($id: ID!) { account(id: $id) { id } }`, { id: half[0]!.id });
    expect(codes(reading)).toEqual(['IDENTITY_UNAVAILABLE']);

    await w.proxy.restore();
    const retry = await w.gql('s001.director', CREATE, { person, roles: ['TEACHER'], key });
    expect(retry.errors).toBeUndefined();
    expect(retry.data!.createAccount).toMatchObject({
      created: true,
      account: { id: half[0]!.id, username: change!.plan.username, roles: ['TEACHER'], schoolIds: ['s001'] },
    });
    expect(await roles()).toContain('teacher');
    const { json: same } = await w.admin<unknown[]>('GET', `/users?q=person_id:${change!.plan.personId}`);
    expect(same).toHaveLength(1);
    const [done] = await w.sql<{ state: string; attempts: number }>(`select state, attempts from identity.change where key = ?`, [key]);
    expect(done).toEqual({ state: 'DONE', attempts: 2 });
    const audit = (await w.gql('s001.director', AUDIT, { id: half[0]!.id })).data!.identityAudit as { action: string }[];
    expect(audit.map((a) => a.action)).toEqual(['CREATE']);
    // A third call is a replay: the same answer, the same temporary password.
    const replay = await w.gql('s001.director', CREATE, { person, roles: ['TEACHER'], key });
    expect(replay.data).toEqual(retry.data);
  });
});

describe('the identity audit', () => {
  it('records each change with who, before and after; a director reads only their school’s accounts’', async () => {
    const person = await newcomer();
    const made = (await w.gql('s001.director', CREATE, { person, roles: ['TEACHER'], key: w.key() })).data!.createAccount;
    w.forget(made.account.id);
    const grant = `mutation($id: ID!, $key: String!) { grantRole(accountId: $id, role: DEPUTY, reason: "назначен завучем", idempotencyKey: $key) { roles } }`;
    expect((await w.gql('s001.director', grant, { id: made.account.id, key: w.key() })).errors).toBeUndefined();
    const audit = (await w.gql('s001.director', AUDIT, { id: made.account.id })).data!.identityAudit as {
      action: string;
      actor: string;
      old: string | null;
      new: string;
    }[];
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ['CREATE', 's001.director'],
      ['GRANT_ROLE', 's001.director'],
    ]);
    expect(JSON.parse(audit[1]!.old!)).toMatchObject({ roles: ['teacher'], schoolIds: ['s001'] });
    expect(JSON.parse(audit[1]!.new)).toMatchObject({ roles: ['deputy', 'teacher'] });
    expect(JSON.stringify(audit)).not.toContain(made.temporaryPassword);
    const s002Teacher = await w.userId('s002.teacher');
    expect(codes(await w.gql('s001.director', AUDIT, { id: s002Teacher }))).toEqual(['FORBIDDEN']);
  });

  it('verifies the chain, and names the row changed behind the platform’s back', async () => {
    expect(codes(await w.gql('s001.director', VERIFY))).toEqual(['FORBIDDEN']);
    const intact = (await w.gql('sso.admin', VERIFY)).data!.verifyIdentityAudit;
    expect(intact).toMatchObject({ ok: true, firstBrokenId: null });
    expect(intact.rowsChecked).toBeGreaterThanOrEqual(3);
    // The table refuses UPDATE itself; a tamperer with the database owner's rights turns that off first.
    await expect(w.sql(`update identity.audit set reason = 'x'`)).rejects.toThrow(/append-only/);
    const [row] = await w.sql<{ id: string }>(`select id::text as id from identity.audit order by id limit 1 offset 1`);
    await w.sql(`alter table identity.audit disable trigger audit_no_update`);
    await w.sql(`update identity.audit set reason = 'переписано' where id = ?`, [row!.id]);
    await w.sql(`alter table identity.audit enable trigger audit_no_update`);
    const broken = (await w.gql('sso.admin', VERIFY)).data!.verifyIdentityAudit;
    expect(broken).toMatchObject({ ok: false, firstBrokenId: row!.id });
    expect(broken.problem).toMatch(/altered/);
  });
});

describe('the account copy', () => {
  it('takes a username Keycloak gave to a new user after deleting the old one (the old row goes)', async () => {
    const { AccountStore } = await import('../src/accounts/account-store');
    const store = new AccountStore(w.district.identity.em());
    const account = (id: string) => ({
      id,
      username: 'reused.name',
      firstName: 'Имя',
      lastName: 'Фамилия',
      email: null,
      enabled: true,
      createdAt: new Date(),
      personId: null,
      schoolIds: ['s001'],
      roles: [],
    });
    await store.save([account('00000000-0000-4000-8000-00000000e001')]);
    await store.save([account('00000000-0000-4000-8000-00000000e002')]);
    const rows = await w.sql<{ id: string }>(`select id from identity.account where username = 'reused.name'`);
    expect(rows.map((r) => r.id)).toEqual(['00000000-0000-4000-8000-00000000e002']);
  });

  it('a full read whose pages shifted (a user twice, a user missed) keeps each account once and drops only the ones Keycloak no longer has', async () => {
    const { AccountStore } = await import('../src/accounts/account-store');
    const { AccountSync } = await import('../src/accounts/account-sync');
    const store = new AccountStore(w.district.identity.em());
    const account = (n: number) => ({
      id: `00000000-0000-4000-8000-00000000f00${n}`,
      username: `shifted.${n}`,
      firstName: 'Имя',
      lastName: 'Сдвинутый',
      email: null,
      enabled: true,
      createdAt: new Date(),
      personId: null,
      schoolIds: ['s001'],
      roles: [],
    });
    await store.save([account(1), account(2), account(3)]);
    const asked: string[] = [];
    // Keycloak as a paged read saw it while another admin created and deleted users:
    // 1 came on two pages, 2 was skipped though it still exists, 3 was deleted.
    const keycloak = {
      everyAccount: async () => [account(1), account(1)],
      findById: async (id: string) => (asked.push(id), id === account(2).id ? account(2) : undefined),
      loginsSince: async () => new Map<string, Date>(),
    };
    const sync = new AccountSync(
      keycloak as never,
      () => w.district.identity.em(),
      () => undefined,
    );
    const ours = (await sync.run()).accounts;
    expect(ours).toBe(2);
    expect(asked).toEqual(expect.arrayContaining([account(2).id, account(3).id]));
    const rows = await w.sql<{ username: string }>(`select username from identity.account where last_name = 'Сдвинутый' order by username`);
    expect(rows.map((r) => r.username)).toEqual(['shifted.1', 'shifted.2']);
    // The fake Keycloak holds none of the realm's real users: the next real read puts them back.
    await w.district.identity.sync.run();
  });
});
