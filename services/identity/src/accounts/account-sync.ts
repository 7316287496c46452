import type { EntityManager } from '@mikro-orm/postgresql';
import type { KeycloakAdmin } from '../keycloak/keycloak-admin';
import { AccountStore } from './account-store';

/** Keycloak keeps login events 90 days (the realm's eventsExpiration): a first read goes back that far. */
const LOGIN_HISTORY_DAYS = 90;
/** Temporary passwords are kept with their change (a retry answers the same one) for a day, then dropped. */
const KEEP_PASSWORDS = '1 day';

const reasonOf = (error: unknown) => {
  const reason = (error as { details?: { reason?: unknown } }).details?.reason;
  return typeof reason === 'string' ? ` (${reason})` : '';
};

/**
 * Reads every account from Keycloak into identity's copy: at start, every few
 * minutes and on demand. Accounts changed in Keycloak's own console show up
 * here within one period; the last logins come from Keycloak's LOGIN events.
 */
export class AccountSync {
  private timer?: NodeJS.Timeout;
  private running?: Promise<{ accounts: number; removed: number }>;

  constructor(
    private readonly keycloak: KeycloakAdmin,
    private readonly em: () => EntityManager,
    private readonly log: (message: string) => void,
  ) {}

  /** One full read (a second call while one runs joins it). */
  run(): Promise<{ accounts: number; removed: number }> {
    // A change saving a new user under a username this read still saw on a deleted one collides once (23505); read again.
    this.running ??= this.read()
      .catch((error: unknown) => ((error as { code?: unknown }).code === '23505' ? this.read() : Promise.reject(error)))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async read(): Promise<{ accounts: number; removed: number }> {
    const em = this.em();
    const connection = em.getConnection();
    const startedAt = new Date();
    const store = new AccountStore(em);
    const listed = await this.keycloak.everyAccount();
    // An account the paged read missed (another admin's change shifted the pages) is asked for by id before it is dropped.
    const seen = new Set(listed.map((a) => a.id));
    const unseen = (await store.idsSyncedBefore(startedAt)).filter((id) => !seen.has(id));
    const accounts = [...listed];
    for (const id of unseen) {
      const account = await this.keycloak.findById(id);
      if (account) accounts.push(account);
    }
    const { saved, removed } = await store.replaceAll(accounts, startedAt);
    const [state] = await connection.execute<{ logins_read_until: Date | string | null }[]>(`select logins_read_until from identity.sync_state where id = 1`);
    const since = state?.logins_read_until ? new Date(state.logins_read_until) : new Date(startedAt.getTime() - LOGIN_HISTORY_DAYS * 86_400_000);
    await store.setLastLogins(await this.keycloak.loginsSince(since));
    await connection.execute(`update identity.sync_state set synced_at = ?, logins_read_until = ? where id = 1`, [startedAt, startedAt]);
    await connection.execute(
      `update identity.change set plan = plan - 'temporaryPassword', response = response - 'temporaryPassword'
       where finished_at < now() - interval '${KEEP_PASSWORDS}' and (plan ? 'temporaryPassword' or response ? 'temporaryPassword')`,
    );
    await connection.execute(
      `update identity.provisioning_run set result = result - 'credentials'
       where finished_at < now() - interval '${KEEP_PASSWORDS}' and result ? 'credentials'`,
    );
    return { accounts: saved, removed };
  }

  /** Runs now (a failure is logged: the copy stays as it was) and then every `minutes` (0: never again). */
  start(minutes: number): void {
    const once = () =>
      this.run().catch((error: unknown) => this.log(`account sync failed: ${error instanceof Error ? error.message : String(error)}${reasonOf(error)}`));
    void once();
    if (minutes > 0) this.timer = setInterval(() => void once(), minutes * 60_000).unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }
}
