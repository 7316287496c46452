import type { EntityManager } from '@mikro-orm/postgresql';
import {
  checkIdempotencyKey,
  DomainError,
  RunState,
  SCHOOL_ROLES,
  toRunRecord,
  type RunExecutor,
  type RunHandle,
  type RunOutcome,
  type RunRecord,
  type Viewer,
} from '@district/kit';
import { AccountRules } from '../accounts/account-rules';
import { AccountStore, type StoredAccount } from '../accounts/account-store';
import type { AccountSync } from '../accounts/account-sync';
import { freeUsername, temporaryPassword } from '../accounts/credentials';
import { identityAudit } from '../changes/change-runner';
import { IdentityError } from '../identity.errors';
import { auditSnapshot, type KeycloakAccount, type KeycloakAdmin } from '../keycloak/keycloak-admin';
import type { GatewayClient, SchoolPerson } from '../gateway-client';
import { driftOf, type DriftItem } from './school-plan';

export type RunMode = 'PROVISION' | 'FIX';

/** What a run did for one person or account. */
export type LineOutcome = 'CREATED' | 'EXISTING' | 'BOUND' | 'ROLES_GRANTED' | 'ROLES_REVOKED' | 'UNBOUND' | 'DISABLED' | 'SKIPPED' | 'FAILED';

export interface RunLine {
  person: string | null;
  kind: string | null;
  fullName: string;
  username: string | null;
  outcome: LineOutcome;
  reason: string | null;
}

export interface Credential {
  username: string;
  fullName: string;
  kind: string;
  classGroupName: string | null;
  temporaryPassword: string;
}

export interface RunReport {
  lines: RunLine[];
  /** The temporary passwords of the accounts the run created; dropped a day after the run. */
  credentials?: Credential[];
}

export interface ProvisioningDeps {
  keycloak: KeycloakAdmin;
  people: GatewayClient;
  sync: AccountSync;
  runs: RunExecutor;
}

const RUN_COLUMNS = `id, state, requested_by, requested_at, started_at, finished_at, total, processed, error_code, error, result, school_id, mode`;

/**
 * A school's accounts against its people: the drift (what differs), and runs
 * that close it — provisioning creates the missing accounts (and binds and
 * grants what is missing), fixing also takes back what the school no longer
 * gives (a person who left loses the school; an account left with no school
 * and no district role is blocked). Idempotent by the person id: a second
 * run finds every account and changes nothing.
 */
export class ProvisioningService {
  private readonly rules: AccountRules;

  constructor(
    private readonly request: { viewer: Viewer; em: EntityManager; requestId: string; client: string },
    private readonly deps: ProvisioningDeps,
  ) {
    this.rules = new AccountRules(request.viewer);
  }

  /** The drift of the school now (Keycloak read afresh). */
  async drift(schoolId: string): Promise<DriftItem[]> {
    this.rules.school(schoolId);
    const persons = await this.deps.people.persons(this.caller(), schoolId);
    await this.deps.sync.run();
    return this.compare(this.request.em, schoolId, persons);
  }

  /**
   * Starts a run for the school (one at a time per school: a second request
   * while one works answers that one). The people are read and missing person
   * ids given now, with the caller's token; the run then works with identity's
   * own Keycloak account.
   */
  async start(schoolId: string, mode: RunMode, key: string): Promise<RunRecord<RunReport>> {
    this.rules.school(schoolId);
    checkIdempotencyKey(key);
    const [known] = await this.request.em.execute<Record<string, unknown>[]>(
      `select ${RUN_COLUMNS} from identity.provisioning_run where requested_by_id = ? and idempotency_key = ?`,
      [this.request.viewer.subject, key],
    );
    if (known) {
      if (known.school_id !== schoolId || known.mode !== mode) throw DomainError.conflict('Этот ключ идемпотентности уже использован для другого запроса');
      return toRunRecord<RunReport>(known);
    }
    const [active] = await this.request.em.execute<Record<string, unknown>[]>(
      `select ${RUN_COLUMNS} from identity.provisioning_run where school_id = ? and state in ('QUEUED', 'RUNNING')`,
      [schoolId],
    );
    if (active) return toRunRecord<RunReport>(active);
    let persons = await this.deps.people.persons(this.caller(), schoolId);
    const withoutId = persons.filter((p) => p.active && !p.personId).map((p) => p.id);
    for (let i = 0; i < withoutId.length; i += 2000) {
      const assigned = new Map((await this.deps.people.assignPersonIds(this.caller(), schoolId, withoutId.slice(i, i + 2000))).map((p) => [p.id, p]));
      persons = persons.map((p) => assigned.get(p.id) ?? p);
    }
    await this.deps.sync.run();
    const { viewer, requestId, client } = this.request;
    const actor = { actor: viewer.subject, actorName: viewer.username, requestId, client };
    const { run } = await this.deps.runs.submit<RunReport>(
      this.request.em,
      (tx) => this.deps.runs.insert(tx, viewer.username, { school_id: schoolId, mode, requested_by_id: viewer.subject, idempotency_key: key }, persons.length),
      (handle) => this.work(handle, schoolId, mode, persons, actor),
    );
    return run as RunRecord<RunReport>;
  }

  async run(id: number): Promise<RunRecord<RunReport> | null> {
    const [row] = await this.request.em.execute<Record<string, unknown>[]>(`select ${RUN_COLUMNS} from identity.provisioning_run where id = ?`, [id]);
    if (!row) return null;
    this.rules.school(String(row.school_id));
    return toRunRecord<RunReport>(row);
  }

  async runs(schoolId: string): Promise<RunRecord<RunReport>[]> {
    this.rules.school(schoolId);
    await this.deps.runs.sweep();
    const rows = await this.request.em.execute<Record<string, unknown>[]>(
      `select ${RUN_COLUMNS} from identity.provisioning_run where school_id = ? order by id desc limit 20`,
      [schoolId],
    );
    return rows.map((r) => toRunRecord<RunReport>(r));
  }

  private caller() {
    return { token: this.request.viewer.token, requestId: this.request.requestId };
  }

  private async compare(em: EntityManager, schoolId: string, persons: readonly SchoolPerson[]): Promise<DriftItem[]> {
    const ids = [...new Set(persons.map((p) => p.personId).filter((id): id is string => id !== null))];
    return driftOf(schoolId, persons, await new AccountStore(em).ofSchool(schoolId, ids));
  }

  private async work(
    run: RunHandle,
    schoolId: string,
    mode: RunMode,
    persons: SchoolPerson[],
    actor: { actor: string; actorName: string; requestId: string; client: string },
  ): Promise<RunOutcome<RunReport>> {
    const drift = await this.compare(run.em, schoolId, persons);
    const lines: RunLine[] = [];
    const credentials: Credential[] = [];
    const touched = new Set(drift.map((d) => d.person?.id).filter(Boolean));
    // Everyone current with nothing to do is "already there".
    for (const p of persons) if (p.active && !touched.has(p.id)) lines.push(line(p, null, 'EXISTING', null));
    let done = 0;
    let failed = 0;
    for (const item of drift) {
      try {
        const outcome = await this.close(run.em, schoolId, mode, item, actor, credentials);
        lines.push(outcome);
        if (outcome.outcome === 'FAILED') failed++;
      } catch (error) {
        // Keycloak gone: stop here; what was done is recorded, a new run carries on from it.
        if (error instanceof IdentityError && error.code === 'IDENTITY_UNAVAILABLE') {
          lines.push(line(item.person, item.account, 'FAILED', error.message));
          return finish(RunState.PARTIAL, lines, credentials, done);
        }
        failed++;
        lines.push(line(item.person, item.account, 'FAILED', error instanceof DomainError ? error.message : 'Внутренняя ошибка'));
      }
      run.progress(++done + (persons.length - drift.length), persons.length);
    }
    return finish(failed ? RunState.PARTIAL : RunState.SUCCEEDED, lines, credentials, persons.length);
  }

  /** Closes one difference in Keycloak, audited; answers its report line. */
  private async close(
    em: EntityManager,
    schoolId: string,
    mode: RunMode,
    item: DriftItem,
    actor: { actor: string; actorName: string; requestId: string; client: string },
    credentials: Credential[],
  ): Promise<RunLine> {
    const kc = this.deps.keycloak;
    const store = new AccountStore(em);
    const record = async (accountId: string, action: string, before: KeycloakAccount | null, reason: string) => {
      const after = await kc.findById(accountId);
      if (!after) throw DomainError.notFound('Учётная запись', accountId);
      await em.transactional(async (tx) => {
        await identityAudit.append(tx, {
          ...actor,
          entity: 'ACCOUNT',
          entityId: accountId,
          action,
          old: before && auditSnapshot(before),
          new: auditSnapshot(after),
          reason,
        });
      });
      await store.save([after]);
      return after;
    };
    const reason = mode === 'PROVISION' ? `выдача учётных записей школы ${schoolId}` : `исправление расхождений школы ${schoolId}`;
    switch (item.kind) {
      case 'PERSON_WITHOUT_ACCOUNT': {
        const person = item.person!;
        if (!person.personId) return line(person, null, 'SKIPPED', 'Нет идентификатора человека в районе');
        // A run stopped midway, or the person got an account since the drift was read: found by the person id, not made twice.
        const [existing] = await kc.findByPersonId(person.personId);
        if (existing) {
          if (!existing.schoolIds.includes(schoolId)) await kc.setSchools(existing.id, [...existing.schoolIds, schoolId]);
          await kc.grantRoles(
            existing.id,
            item.roles.filter((r) => !existing.roles.includes(r)),
          );
          const after = await record(existing.id, 'BIND_PERSON', existing, reason);
          return line(person, after, 'BOUND', null);
        }
        const username = await freeUsername(person, (u) => this.deps.keycloak.usernameTaken(u));
        const password = temporaryPassword();
        const id = await kc.create({
          username,
          firstName: person.firstName,
          lastName: person.lastName,
          email: person.email,
          personId: person.personId,
          schoolIds: [schoolId],
          temporaryPassword: password,
        });
        await kc.grantRoles(id, item.roles);
        const after = await record(id, 'CREATE', null, reason);
        credentials.push({ username, fullName: person.fullName, kind: person.kind, classGroupName: person.classGroupName, temporaryPassword: password });
        return line(person, after, 'CREATED', null);
      }
      case 'SCHOOL_MISSING': {
        const before = item.account!;
        if (!before.enabled) return line(item.person, before, 'SKIPPED', 'Учётная запись заблокирована: разблокировать её решает администратор');
        await kc.setSchools(before.id, [...before.schoolIds, schoolId]);
        return line(item.person, await record(before.id, 'BIND_SCHOOL', before, reason), 'BOUND', null);
      }
      case 'ROLES_MISSING': {
        const before = item.account!;
        await kc.grantRoles(before.id, item.roles);
        return line(item.person, await record(before.id, 'GRANT_ROLE', before, reason), 'ROLES_GRANTED', item.roles.join(', '));
      }
      case 'ROLES_EXTRA': {
        const before = item.account!;
        if (mode === 'PROVISION') return line(item.person, before, 'SKIPPED', `Лишние роли (${item.roles.join(', ')}) снимает исправление расхождений`);
        await kc.revokeRoles(before.id, item.roles);
        return line(item.person, await record(before.id, 'REVOKE_ROLE', before, reason), 'ROLES_REVOKED', item.roles.join(', '));
      }
      case 'NO_CURRENT_PERSON': {
        const before = item.account!;
        if (mode === 'PROVISION') return line(null, before, 'SKIPPED', 'Нет среди людей школы: школу снимает исправление расхождений');
        if (before.id === this.request.viewer.subject) return line(null, before, 'SKIPPED', 'Свою учётную запись меняет другой администратор');
        const schools = before.schoolIds.filter((s) => s !== schoolId);
        await kc.setSchools(before.id, schools);
        // Ending the person's place in the school blocks the account, unless it still serves another school or the district.
        const keep = schools.length > 0 || before.roles.some((r) => !SCHOOL_ROLES.includes(r));
        if (!keep) {
          await kc.setEnabled(before.id, false);
          await kc.endSessions(before.id);
        }
        const after = await record(before.id, keep ? 'UNBIND_SCHOOL' : 'DISABLE', before, reason);
        return line(null, after, keep ? 'UNBOUND' : 'DISABLED', keep ? null : 'Больше ни к одной школе не относится');
      }
    }
  }
}

function line(
  person: SchoolPerson | null,
  account: Pick<StoredAccount, 'username' | 'lastName' | 'firstName'> | null,
  outcome: LineOutcome,
  reason: string | null,
): RunLine {
  return {
    person: person?.id ?? null,
    kind: person?.kind ?? null,
    fullName: person?.fullName ?? (account ? `${account.lastName} ${account.firstName}`.trim() : ''),
    username: account?.username ?? null,
    outcome,
    reason,
  };
}

function finish(state: RunState.SUCCEEDED | RunState.PARTIAL, lines: RunLine[], credentials: Credential[], processed: number): RunOutcome<RunReport> {
  return { state, processed, result: { lines, credentials } };
}
