import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, ROLES_OF_PERSON, tryParseGlobalId, type Role, type Viewer } from '@district/kit';
import { ChangeRunner, type ChangeOutcome } from '../changes/change-runner';
import { IdentityError } from '../identity.errors';
import { auditSnapshot, type KeycloakAccount, type KeycloakAdmin } from '../keycloak/keycloak-admin';
import type { GatewayClient } from '../gateway-client';
import { AccountRules, notYours } from './account-rules';
import { AccountStore, type StoredAccount } from './account-store';
import { AccountSessionType, AccountType, CreatedAccountType, PasswordResetType } from './account.type';
import { freeUsername, temporaryPassword } from './credentials';

export interface AccountFilter {
  schoolId?: string | null;
  role?: Role | null;
  status?: 'ACTIVE' | 'DISABLED' | null;
  text?: string | null;
}

/** What a request brings: the caller, its database session, and the request's id for the audit and the people calls. */
export interface AccountRequest {
  viewer: Viewer;
  em: EntityManager;
  requestId: string;
  client: string;
}

/** Where identity's changes go: Keycloak, the schools' people (through the gateway), the district database. */
export interface AccountDeps {
  keycloak: KeycloakAdmin;
  people: GatewayClient;
}

const PERSON_TYPES = { Staff: 'STAFF', Student: 'STUDENT', Guardian: 'GUARDIAN' } as const;

/** What a new account is made of, decided at the first attempt and kept for its retries. */
interface CreationPlan {
  schoolId: string;
  personId: string;
  existingId: string | null;
  username: string | null;
  temporaryPassword: string | null;
  firstName: string;
  lastName: string;
  email: string | null;
}

/**
 * Account administration: every change asks the rules (AccountRules) first,
 * runs through the ChangeRunner (idempotency key, resumable after a Keycloak
 * failure, audited), and leaves identity's copy of the account as Keycloak has it.
 */
export class AccountService {
  private readonly rules: AccountRules;
  private readonly store: AccountStore;
  private readonly runner = new ChangeRunner();

  constructor(
    private readonly request: AccountRequest,
    private readonly deps: AccountDeps,
  ) {
    this.rules = new AccountRules(request.viewer);
    this.store = new AccountStore(request.em);
  }

  async search(filter: AccountFilter, first: number, offset: number): Promise<{ items: AccountType[]; total: number }> {
    if (first < 1 || first > 500 || offset < 0) throw DomainError.invalid('first: 1–500, offset: от 0');
    if (filter.schoolId) this.rules.school(filter.schoolId);
    const found = await this.store.search({
      withinSchools: this.rules.visibleSchools,
      schoolId: filter.schoolId ?? undefined,
      role: filter.role ?? undefined,
      enabled: filter.status ? filter.status === 'ACTIVE' : undefined,
      text: filter.text?.trim() || undefined,
      first,
      offset,
    });
    return { items: found.items.map(AccountType.from), total: found.total };
  }

  /** The account as Keycloak has it now (the copy refreshed), if the caller may see it. */
  async get(id: string): Promise<AccountType | null> {
    const account = await this.fresh(id);
    return account && this.rules.canSee(account) ? AccountType.from(account) : null;
  }

  async sessions(id: string): Promise<AccountSessionType[]> {
    const account = await this.visible(id);
    return (await this.deps.keycloak.sessions(account.id)).map((s) =>
      Object.assign(new AccountSessionType(), {
        id: s.id,
        ipAddress: s.ipAddress,
        startedAt: s.start.toISOString(),
        lastAccessAt: s.lastAccess.toISOString(),
        clients: s.clients,
      }),
    );
  }

  /**
   * An account for a person of a school (`person`: their Staff, Student or
   * Guardian id), with roles that fit what they are there. A person who already
   * has an account (the same district person id, e.g. a parent with a child
   * in another school) gets that account bound to the school instead.
   */
  async create(person: string, roles: readonly Role[], key: string): Promise<CreatedAccountType> {
    const parsed = tryParseGlobalId(person);
    const kind = parsed ? PERSON_TYPES[parsed.type as keyof typeof PERSON_TYPES] : undefined;
    if (!parsed || !kind) throw DomainError.invalid(`Не сотрудник, обучающийся или родитель школы: ${person}`, [{ field: 'person', message: 'unknown id' }]);
    this.rules.school(parsed.schoolId);
    for (const role of roles) this.rules.grantable(role);
    const fitting = ROLES_OF_PERSON[kind];
    if (roles.length === 0 || roles.some((r) => !fitting.includes(r))) {
      throw DomainError.invalid(`Роли для этого человека: ${fitting.join(', ')}`, [{ field: 'roles', message: 'roles do not fit the person' }]);
    }
    const { result } = await this.runner.run<CreatedAccountType, CreationPlan>(
      this.request.em,
      {
        ...this.changeScope(key, 'createAccount', { person, roles: [...roles].sort() }),
        plan: () => this.planCreation(parsed.schoolId, person),
      },
      async (_tx, plan) => this.carryOutCreation(plan, roles),
    );
    return result;
  }

  private async planCreation(schoolId: string, person: string): Promise<CreationPlan> {
    const caller = { token: this.request.viewer.token, requestId: this.request.requestId };
    let [found] = await this.deps.people.persons(caller, schoolId, [person]);
    if (!found) throw DomainError.notFound('Человек школы', person);
    if (!found.personId) [found] = await this.deps.people.assignPersonIds(caller, schoolId, [person]);
    const personId = found!.personId!;
    const [existing] = await this.deps.keycloak.findByPersonId(personId);
    const base = { schoolId, personId, firstName: found!.firstName, lastName: found!.lastName, email: found!.email };
    if (existing) return { ...base, existingId: existing.id, username: null, temporaryPassword: null };
    return {
      ...base,
      existingId: null,
      username: await freeUsername(found!, (u) => this.deps.keycloak.usernameTaken(u)),
      temporaryPassword: temporaryPassword(),
    };
  }

  private async carryOutCreation(plan: CreationPlan, roles: readonly Role[]): Promise<ChangeOutcome<CreatedAccountType>> {
    const kc = this.deps.keycloak;
    let before: KeycloakAccount | undefined;
    let id: string;
    if (plan.existingId) {
      before = await kc.findById(plan.existingId);
      if (!before) throw DomainError.notFound('Учётная запись', plan.existingId);
      id = before.id;
      // The account may serve another school too: a director adds their school and the school's roles only.
      await kc.setSchools(id, [...before.schoolIds, plan.schoolId]);
    } else {
      // A retry after Keycloak failed midway finds the user it created.
      const earlier = await kc.findByUsername(plan.username!);
      if (earlier && earlier.personId !== plan.personId) throw DomainError.duplicate(`Имя входа ${plan.username} уже занято`);
      id =
        earlier?.id ??
        (await kc.create({
          username: plan.username!,
          firstName: plan.firstName,
          lastName: plan.lastName,
          email: plan.email,
          personId: plan.personId,
          schoolIds: [plan.schoolId],
          temporaryPassword: plan.temporaryPassword!,
        }));
    }
    await kc.grantRoles(id, roles);
    const after = await this.saved(id);
    const result = Object.assign(new CreatedAccountType(), {
      account: AccountType.from(after),
      created: !plan.existingId,
      temporaryPassword: plan.temporaryPassword,
    });
    return {
      result,
      audit: [
        {
          entity: 'ACCOUNT',
          entityId: id,
          action: plan.existingId ? 'BIND_PERSON' : 'CREATE',
          old: before ? auditSnapshot(before) : null,
          new: auditSnapshot(after),
        },
      ],
    };
  }

  async grantRole(id: string, role: Role, reason: string | null, key: string): Promise<AccountType> {
    this.rules.notOwn(id);
    this.rules.grantable(role);
    return this.change(
      id,
      key,
      'grantRole',
      { role, reason },
      {
        authorize: (account) => this.rules.whole(account),
        act: async () => {
          await this.deps.keycloak.grantRoles(id, [role]);
          return { action: 'GRANT_ROLE', reason };
        },
      },
    );
  }

  async revokeRole(id: string, role: Role, reason: string | null, key: string): Promise<AccountType> {
    this.rules.notOwn(id);
    this.rules.grantable(role);
    return this.change(
      id,
      key,
      'revokeRole',
      { role, reason },
      {
        authorize: (account) => this.rules.whole(account),
        act: async (account) => {
          if (account.roles.includes(role)) await this.keepAnSsoAdmin(account, role);
          await this.deps.keycloak.revokeRoles(id, [role]);
          return { action: 'REVOKE_ROLE', reason };
        },
      },
    );
  }

  async bindSchool(id: string, schoolId: string, reason: string | null, key: string): Promise<AccountType> {
    this.rules.notOwn(id);
    this.rules.school(schoolId);
    return this.change(
      id,
      key,
      'bindAccountToSchool',
      { schoolId, reason },
      {
        authorize: (account) => this.rules.binding(account, schoolId),
        act: async (account) => {
          await this.deps.keycloak.setSchools(id, [...account.schoolIds, schoolId]);
          return { action: 'BIND_SCHOOL', reason };
        },
      },
    );
  }

  async unbindSchool(id: string, schoolId: string, reason: string | null, key: string): Promise<AccountType> {
    this.rules.notOwn(id);
    this.rules.school(schoolId);
    return this.change(
      id,
      key,
      'unbindAccountFromSchool',
      { schoolId, reason },
      {
        authorize: (account) => this.rules.binding(account, schoolId),
        act: async (account) => {
          await this.deps.keycloak.setSchools(
            id,
            account.schoolIds.filter((s) => s !== schoolId),
          );
          return { action: 'UNBIND_SCHOOL', reason };
        },
      },
    );
  }

  async setEnabled(id: string, enabled: boolean, reason: string | null, key: string): Promise<AccountType> {
    this.rules.notOwn(id);
    return this.change(
      id,
      key,
      'setAccountEnabled',
      { enabled, reason },
      {
        authorize: (account) => this.rules.whole(account),
        act: async (account) => {
          if (!enabled) for (const role of account.roles) await this.keepAnSsoAdmin(account, role);
          await this.deps.keycloak.setEnabled(id, enabled);
          // A blocked account's sessions end at once (its refresh tokens stop working).
          if (!enabled) await this.deps.keycloak.endSessions(id);
          return { action: enabled ? 'ENABLE' : 'DISABLE', reason };
        },
      },
    );
  }

  async endSessions(id: string, key: string): Promise<AccountType> {
    return this.change(
      id,
      key,
      'endAccountSessions',
      {},
      {
        authorize: (account) => this.rules.whole(account),
        act: async () => {
          await this.deps.keycloak.endSessions(id);
          return { action: 'END_SESSIONS', reason: null };
        },
      },
    );
  }

  async resetPassword(id: string, key: string): Promise<PasswordResetType> {
    this.rules.notOwn(id);
    this.rules.whole(await this.current(id));
    const { result } = await this.runner.run<PasswordResetType, { temporaryPassword: string }>(
      this.request.em,
      { ...this.changeScope(key, 'resetAccountPassword', { id }), plan: async () => ({ temporaryPassword: temporaryPassword() }) },
      async (_tx, plan) => {
        await this.deps.keycloak.setTemporaryPassword(id, plan.temporaryPassword);
        const after = await this.saved(id);
        return {
          result: Object.assign(new PasswordResetType(), { account: AccountType.from(after), temporaryPassword: plan.temporaryPassword }),
          // The audit says that a password was set, never which.
          audit: [{ entity: 'ACCOUNT', entityId: id, action: 'RESET_PASSWORD', old: null, new: { temporary: true } }],
        };
      },
    );
    return result;
  }

  /**
   * One change of an existing account: who may is decided on the account as
   * Keycloak has it now (before the key or anything else is looked at), then
   * the change runs by its key and is audited with before and after.
   */
  private async change(
    id: string,
    key: string,
    operation: string,
    request: Record<string, unknown>,
    step: { authorize(account: KeycloakAccount): void; act(account: KeycloakAccount): Promise<{ action: string; reason: string | null }> },
  ): Promise<AccountType> {
    step.authorize(await this.current(id));
    const { result } = await this.runner.run<AccountType>(this.request.em, this.changeScope(key, operation, { id, ...request }), async () => {
      const before = await this.current(id);
      const { action, reason } = await step.act(before);
      const after = await this.saved(id);
      return {
        result: AccountType.from(after),
        audit: [{ entity: 'ACCOUNT', entityId: id, action, old: auditSnapshot(before), new: auditSnapshot(after), reason }],
      };
    });
    return result;
  }

  /** The account as Keycloak has it; a missing one is refused like one of another school (no oracle of ids). */
  private async current(id: string): Promise<KeycloakAccount> {
    const account = await this.deps.keycloak.findById(id);
    if (!account) {
      if (this.rules.everyAccount) throw DomainError.notFound('Учётная запись', id);
      throw notYours();
    }
    return account;
  }

  /** Refuses taking `role` away from the account when it is sso-admin and no other enabled account holds it. */
  private async keepAnSsoAdmin(account: KeycloakAccount, role: Role): Promise<void> {
    if (role !== 'sso-admin' || !account.enabled) return;
    const others = (await this.deps.keycloak.enabledHolders('sso-admin')).filter((holder) => holder !== account.id);
    if (others.length === 0) throw new IdentityError('LAST_SSO_ADMIN', 'Это последний администратор единого входа района: сначала назначьте другого');
  }

  private changeScope(key: string, operation: string, request: unknown) {
    const { viewer, requestId, client } = this.request;
    return { actor: viewer.subject, actorName: viewer.username, key, operation, request, requestId, client };
  }

  /** Reads the account from Keycloak and writes identity's copy (keeping its last login); undefined if Keycloak has none. */
  private async fresh(id: string): Promise<StoredAccount | undefined> {
    const account = await this.deps.keycloak.findById(id);
    if (!account) return undefined;
    await this.store.save([account]);
    return (await this.store.byIds([id]))[0];
  }

  private async saved(id: string): Promise<StoredAccount> {
    const account = await this.fresh(id);
    if (!account) throw DomainError.notFound('Учётная запись', id);
    return account;
  }

  private async visible(id: string): Promise<StoredAccount> {
    const account = await this.fresh(id);
    if (!account && this.rules.everyAccount) throw DomainError.notFound('Учётная запись', id);
    if (!account || !this.rules.canSee(account)) throw notYours();
    return account;
  }
}
