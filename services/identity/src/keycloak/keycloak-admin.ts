import type { default as KeycloakAdminClient } from '@keycloak/keycloak-admin-client' with { 'resolution-mode': 'import' };
import { ErrorCode, platformRole, serviceAccountTokens, type Role } from '@district/kit';
import type { KeycloakAdminConfig } from '../config';
import { IdentityError, identityUnavailable } from '../identity.errors';

/** A Keycloak user as the platform sees it: the attributes it sets and the platform's roles only. */
export interface KeycloakAccount {
  id: string;
  username: string;
  firstName: string;
  lastName: string;
  email: string | null;
  enabled: boolean;
  createdAt: Date | null;
  personId: string | null;
  schoolIds: string[];
  roles: Role[];
}

/** What the audit records of an account before and after a change (never a password). */
export function auditSnapshot(a: KeycloakAccount): Record<string, unknown> {
  return { username: a.username, enabled: a.enabled, roles: a.roles, schoolIds: a.schoolIds, personId: a.personId };
}

export interface NewKeycloakUser {
  username: string;
  firstName: string;
  lastName: string;
  email: string | null;
  personId: string;
  schoolIds: string[];
  /** A temporary password: the person sets their own at the first login. */
  temporaryPassword: string;
}

export interface KeycloakSession {
  id: string;
  ipAddress: string | null;
  start: Date;
  lastAccess: Date;
  clients: string[];
}

const PAGE = 500;

interface UserRepresentation {
  id?: string;
  username?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  enabled?: boolean;
  createdTimestamp?: number;
  attributes?: Record<string, unknown>;
}

function attributeValues(user: UserRepresentation, name: string): string[] {
  const value = user.attributes?.[name];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function accountOf(user: UserRepresentation, roles: Role[]): KeycloakAccount {
  return {
    id: user.id!,
    username: user.username ?? '',
    firstName: user.firstName ?? '',
    lastName: user.lastName ?? '',
    email: user.email ?? null,
    enabled: user.enabled !== false,
    createdAt: user.createdTimestamp ? new Date(user.createdTimestamp) : null,
    personId: attributeValues(user, 'person_id')[0] ?? null,
    schoolIds: [...new Set(attributeValues(user, 'school_ids'))].sort(),
    roles: [...new Set(roles)].sort(),
  };
}

/** Why a call got no HTTP answer (a timeout, no connection, the service account's token not given), or undefined for an error of this code. */
function unansweredReason(error: unknown): string | undefined {
  // By name, not instanceof: fetch's errors may come from another realm (a test runner's sandbox).
  // The cause chain too: the admin client and undici wrap what went wrong.
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { name, message } = e as { name?: unknown; message?: unknown };
    if (typeof message !== 'string') continue;
    if (name === 'TimeoutError' || name === 'AbortError') return 'timeout';
    if (name === 'TypeError' && message === 'fetch failed') return 'no connection';
    // A body cut off mid-way (the deadline struck while it was read, the connection reset): not an answer.
    if (name === 'SyntaxError' && /JSON/.test(message)) return 'incomplete answer';
    if (message.startsWith('service account token refused')) return message.slice(0, 120);
  }
  return undefined;
}

/** The HTTP status of an Admin API refusal, or undefined when Keycloak did not answer at all. */
function statusOf(error: unknown): number | undefined {
  const response = (error as { response?: { status?: unknown } } | null)?.response;
  return typeof response?.status === 'number' ? response.status : undefined;
}

/**
 * The platform's one way into Keycloak's Admin API (through the maintained
 * @keycloak/keycloak-admin-client, as the `district-identity` service
 * account). Every call has a deadline; no answer, a timeout or a 5xx becomes
 * IDENTITY_UNAVAILABLE, so callers retry with the same idempotency key.
 */
export class KeycloakAdmin {
  private client?: Promise<KeycloakAdminClient>;
  private readonly roleIds = new Map<Role, string>();

  private readonly config: KeycloakAdminConfig;

  constructor(
    config: KeycloakAdminConfig,
    /** Told before every Admin API call, by name (the service counts them in its metrics; a fault-injection test cuts Keycloak there). */
    private readonly beforeCall: (call: string) => void | Promise<void> = () => undefined,
  ) {
    this.config = { ...config, url: config.url.replace(/\/+$/, '') };
  }

  private connect(): Promise<KeycloakAdminClient> {
    // The client is an ES module; this package is CommonJS, so it is loaded with import() once.
    this.client ??= import('@keycloak/keycloak-admin-client').then(({ default: Client }) => {
      const client = new Client({ baseUrl: this.config.url, realmName: this.config.realm, timeout: this.config.timeoutMs });
      const tokens = serviceAccountTokens(
        `${this.config.url}/realms/${this.config.realm}/protocol/openid-connect/token`,
        this.config.clientId,
        this.config.clientSecret,
      );
      client.registerTokenProvider({ getAccessToken: tokens });
      return client;
    });
    return this.client;
  }

  /** Runs one Admin API call; Keycloak's silence becomes IDENTITY_UNAVAILABLE, a 409 DUPLICATE, a 404 undefined when asked. */
  private async call<T>(what: string, run: (client: KeycloakAdminClient) => Promise<T>): Promise<T> {
    const client = await this.connect();
    await this.beforeCall(what);
    try {
      return await run(client);
    } catch (error) {
      const status = statusOf(error);
      if (status === 409) throw new IdentityError(ErrorCode.Duplicate, 'Такая учётная запись в Keycloak уже есть');
      if (status === undefined) {
        const reason = unansweredReason(error);
        if (reason) throw identityUnavailable(`${what}: ${reason}`);
        throw error;
      }
      if (status >= 500 || status === 429) throw identityUnavailable(`${what}: status ${status}`);
      throw new Error(`Keycloak refused ${what} (status ${status})`, { cause: error });
    }
  }

  private async roleId(role: Role): Promise<string> {
    const known = this.roleIds.get(role);
    if (known) return known;
    const found = await this.call('read role', (c) => c.roles.findOneByName({ name: role }));
    if (!found?.id) throw new Error(`realm role ${role} is missing in Keycloak`);
    this.roleIds.set(role, found.id);
    return found.id;
  }

  private async rolesOf(client: KeycloakAdminClient, id: string): Promise<Role[]> {
    const mappings = await client.users.listRealmRoleMappings({ id });
    return mappings.map((r) => platformRole(r.name ?? '')).filter((r): r is Role => r !== undefined);
  }

  async findById(id: string): Promise<KeycloakAccount | undefined> {
    return this.call('read user', async (c) => {
      const user = await c.users.findOne({ id }, { catchNotFound: true });
      return user?.id ? accountOf(user, await this.rolesOf(c, user.id)) : undefined;
    });
  }

  async findByUsername(username: string): Promise<KeycloakAccount | undefined> {
    return this.call('find user', async (c) => {
      const [user] = await c.users.find({ username, exact: true, briefRepresentation: false });
      return user?.id ? accountOf(user, await this.rolesOf(c, user.id)) : undefined;
    });
  }

  async findByPersonId(personId: string): Promise<KeycloakAccount[]> {
    return this.call('find user', async (c) => {
      const users = await c.users.find({ q: `person_id:${personId}`, briefRepresentation: false, max: 10 });
      const exact = users.filter((u) => u.id && attributeValues(u, 'person_id').includes(personId));
      return Promise.all(exact.map(async (u) => accountOf(u, await this.rolesOf(c, u.id!))));
    });
  }

  async usernameTaken(username: string): Promise<boolean> {
    return this.call('find user', async (c) => (await c.users.find({ username, exact: true, max: 1 })).length > 0);
  }

  /** Creates the user with its attributes and a temporary password in one Admin API call; returns its id. */
  async create(user: NewKeycloakUser): Promise<string> {
    return this.call('create user', async (c) => {
      const { id } = await c.users.create({
        username: user.username,
        firstName: user.firstName,
        lastName: user.lastName,
        ...(user.email ? { email: user.email } : {}),
        enabled: true,
        attributes: { person_id: [user.personId], school_ids: user.schoolIds },
        credentials: [{ type: 'password', value: user.temporaryPassword, temporary: true }],
      });
      return id;
    });
  }

  /** Sets the user's `school_ids` (the whole list; other attributes and fields kept). */
  async setSchools(id: string, schoolIds: string[]): Promise<void> {
    await this.call('update user', async (c) => {
      const user = await c.users.findOne({ id });
      if (!user) throw new IdentityError(ErrorCode.NotFound, 'Учётная запись не найдена в Keycloak');
      await c.users.update({ id }, { ...user, attributes: { ...(user.attributes ?? {}), school_ids: [...new Set(schoolIds)].sort() } });
    });
  }

  async setEnabled(id: string, enabled: boolean): Promise<void> {
    await this.call('update user', async (c) => {
      const user = await c.users.findOne({ id });
      if (!user) throw new IdentityError(ErrorCode.NotFound, 'Учётная запись не найдена в Keycloak');
      await c.users.update({ id }, { ...user, enabled });
    });
  }

  /** Adds the roles the user lacks (a role already held is left as it is). */
  async grantRoles(id: string, roles: readonly Role[]): Promise<void> {
    if (roles.length === 0) return;
    const mapped = await Promise.all(roles.map(async (name) => ({ id: await this.roleId(name), name })));
    await this.call('grant roles', (c) => c.users.addRealmRoleMappings({ id, roles: mapped }));
  }

  async revokeRoles(id: string, roles: readonly Role[]): Promise<void> {
    if (roles.length === 0) return;
    const mapped = await Promise.all(roles.map(async (name) => ({ id: await this.roleId(name), name })));
    await this.call('revoke roles', (c) => c.users.delRealmRoleMappings({ id, roles: mapped }));
  }

  async setTemporaryPassword(id: string, password: string): Promise<void> {
    await this.call('reset password', (c) => c.users.resetPassword({ id, credential: { type: 'password', value: password, temporary: true } }));
  }

  async sessions(id: string): Promise<KeycloakSession[]> {
    return this.call('list sessions', async (c) =>
      (await c.users.listSessions({ id })).map((s) => ({
        id: s.id ?? '',
        ipAddress: s.ipAddress ?? null,
        start: new Date(s.start ?? 0),
        lastAccess: new Date(s.lastAccess ?? 0),
        clients: Object.values(s.clients ?? {}).sort(),
      })),
    );
  }

  /** Ends every session of the user (their refresh tokens stop working; access tokens run out within minutes). */
  async endSessions(id: string): Promise<void> {
    await this.call('end sessions', (c) => c.users.logout({ id }));
  }

  /** Enabled people holding a role (to refuse taking away the last sso-admin): service accounts, identity's own among them, are not people. */
  async enabledHolders(role: Role): Promise<string[]> {
    return this.call('read role holders', async (c) => {
      const users = await c.roles.findUsersWithRole({ name: role, briefRepresentation: true, first: 0, max: PAGE });
      return users.filter((u) => u.enabled !== false && u.id && !u.username?.startsWith('service-account-')).map((u) => u.id!);
    });
  }

  /**
   * Every account, read page by page. Pages are offsets into a list that other
   * admins may change meanwhile: a user created or deleted during the read shifts
   * the pages, so one user may come twice (kept once here) or be missed (the
   * caller confirms a missing account with findById before dropping it).
   */
  async everyAccount(): Promise<KeycloakAccount[]> {
    return this.call('read users', async (c) => {
      const roles = new Map<string, Set<Role>>();
      for (const role of await this.platformRolesInRealm(c)) {
        for (let first = 0; ; first += PAGE) {
          const holders = await c.roles.findUsersWithRole({ name: role, briefRepresentation: true, first, max: PAGE });
          for (const h of holders) if (h.id) roles.set(h.id, (roles.get(h.id) ?? new Set()).add(role));
          if (holders.length < PAGE) break;
        }
      }
      const accounts = new Map<string, KeycloakAccount>();
      for (let first = 0; ; first += PAGE) {
        const users = await c.users.find({ first, max: PAGE, briefRepresentation: false });
        for (const u of users) {
          if (u.id && !u.username?.startsWith('service-account-')) accounts.set(u.id, accountOf(u, [...(roles.get(u.id) ?? [])]));
        }
        if (users.length < PAGE) break;
      }
      return [...accounts.values()];
    });
  }

  private async platformRolesInRealm(c: KeycloakAdminClient): Promise<Role[]> {
    return (await c.roles.find()).map((r) => platformRole(r.name ?? '')).filter((r): r is Role => r !== undefined);
  }

  /** The latest login of each user since `since` (Keycloak's stored LOGIN events). */
  async loginsSince(since: Date): Promise<Map<string, Date>> {
    return this.call('read login events', async (c) => {
      const latest = new Map<string, Date>();
      const dateFrom = since.toISOString().slice(0, 10);
      for (let first = 0; ; first += PAGE) {
        const events = await c.realms.findEvents({ realm: this.config.realm, type: 'LOGIN', dateFrom, first, max: PAGE });
        for (const e of events) {
          if (!e.userId || !e.time) continue;
          const at = new Date(e.time);
          if (!(latest.get(e.userId)! > at)) latest.set(e.userId, at);
        }
        if (events.length < PAGE) break;
      }
      return latest;
    });
  }
}
