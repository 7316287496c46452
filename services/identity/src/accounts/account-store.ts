import type { EntityManager } from '@mikro-orm/postgresql';
import { platformRole, type Role } from '@district/kit';
import type { KeycloakAccount } from '../keycloak/keycloak-admin';

/** An account as identity's copy holds it. */
export interface StoredAccount extends KeycloakAccount {
  lastLoginAt: Date | null;
  syncedAt: Date;
}

export interface AccountSearch {
  /** Only accounts bound to one of these schools (a director's); undefined: every account. */
  withinSchools?: readonly string[];
  schoolId?: string;
  role?: Role;
  enabled?: boolean;
  /** Part of the username or of the surname / name, any case. */
  text?: string;
  first: number;
  offset: number;
}

interface Row {
  id: string;
  username: string;
  first_name: string;
  last_name: string;
  email: string | null;
  enabled: boolean;
  person_id: string | null;
  school_ids: string[];
  roles: string[];
  created_at: Date | string | null;
  last_login_at: Date | string | null;
  synced_at: Date | string;
}

const COLUMNS = 'id, username, first_name, last_name, email, enabled, person_id, school_ids, roles, created_at, last_login_at, synced_at';

function fromRow(r: Row): StoredAccount {
  return {
    id: r.id,
    username: r.username,
    firstName: r.first_name,
    lastName: r.last_name,
    email: r.email,
    enabled: r.enabled,
    personId: r.person_id,
    schoolIds: r.school_ids,
    roles: r.roles.map(platformRole).filter((x): x is Role => x !== undefined),
    // The driver may answer timestamps as text (the kit's connection settings): read them as dates either way.
    createdAt: r.created_at === null ? null : new Date(r.created_at),
    lastLoginAt: r.last_login_at === null ? null : new Date(r.last_login_at),
    syncedAt: new Date(r.synced_at),
  };
}

/** identity.account: the platform's copy of Keycloak's accounts, written after each change and by the sync. */
export class AccountStore {
  constructor(private readonly em: EntityManager) {}

  private sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
    return this.em.getConnection().execute<T[]>(text, params, 'all', this.em.getTransactionContext());
  }

  async byIds(ids: readonly string[]): Promise<StoredAccount[]> {
    if (ids.length === 0) return [];
    return (await this.sql<Row>(`select ${COLUMNS} from identity.account where id in (?)`, [ids])).map(fromRow);
  }

  async byPersonIds(personIds: readonly string[]): Promise<StoredAccount[]> {
    if (personIds.length === 0) return [];
    return (await this.sql<Row>(`select ${COLUMNS} from identity.account where person_id in (?) order by id`, [personIds])).map(fromRow);
  }

  /** Accounts bound to the school, and those carrying one of the person ids (whatever their schools). */
  async ofSchool(schoolId: string, personIds: readonly string[]): Promise<StoredAccount[]> {
    const byPerson = personIds.length ? ` or person_id in (?)` : '';
    return (
      await this.sql<Row>(`select ${COLUMNS} from identity.account where school_ids @> array[?]::text[]${byPerson} order by id`, [
        schoolId,
        ...(personIds.length ? [personIds] : []),
      ])
    ).map(fromRow);
  }

  async search(q: AccountSearch): Promise<{ items: StoredAccount[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.withinSchools) {
      if (q.withinSchools.length === 0) return { items: [], total: 0 };
      // knex spreads an array parameter into one parameter per element, hence array[?].
      where.push(`school_ids && array[?]::text[]`);
      params.push(q.withinSchools);
    }
    if (q.schoolId) {
      where.push(`school_ids @> array[?]::text[]`);
      params.push(q.schoolId);
    }
    if (q.role) {
      where.push(`roles @> array[?]::text[]`);
      params.push(q.role);
    }
    if (q.enabled !== undefined) {
      where.push(`enabled = ?`);
      params.push(q.enabled);
    }
    if (q.text) {
      const like = `%${q.text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push(`(lower(username) like ? or lower(last_name || ' ' || first_name) like ?)`);
      params.push(like, like);
    }
    const filter = where.length ? `where ${where.join(' and ')}` : '';
    const rows = await this.sql<Row & { total: string }>(
      `select ${COLUMNS}, count(*) over () as total from identity.account ${filter}
       order by lower(last_name), lower(first_name), username limit ? offset ?`,
      [...params, q.first, q.offset],
    );
    const total = rows[0]
      ? Number(rows[0].total)
      : (await this.sql<{ n: string }>(`select count(*) as n from identity.account ${filter}`, params)).map((r) => Number(r.n))[0]!;
    return { items: rows.map(fromRow), total };
  }

  /** Writes accounts as Keycloak has them now (their last logins kept): one statement per thousand accounts. */
  async save(given: readonly KeycloakAccount[], at = new Date()): Promise<number> {
    // One row per id (the last one given): a statement may not write the same row twice. One per username too:
    // a paged read during a delete and re-create may see the old and the new user of a name; the newer one is Keycloak's now.
    const byId = [...new Map(given.map((a) => [a.id, a])).values()];
    const newest = new Map<string, KeycloakAccount>();
    for (const a of byId) {
      const other = newest.get(a.username);
      if (!other || (a.createdAt?.getTime() ?? 0) >= (other.createdAt?.getTime() ?? 0)) newest.set(a.username, a);
    }
    const accounts = [...newest.values()];
    for (let i = 0; i < accounts.length; i += 1000) {
      const chunk = accounts.slice(i, i + 1000).map((a) => ({
        id: a.id,
        username: a.username,
        first_name: a.firstName,
        last_name: a.lastName,
        email: a.email,
        enabled: a.enabled,
        person_id: a.personId,
        school_ids: a.schoolIds,
        roles: a.roles,
        created_at: a.createdAt?.toISOString() ?? null,
      }));
      // Keycloak's usernames are unique now; a row of ours with one of them under another id is a user deleted since (its name reused).
      await this.sql(
        `delete from identity.account a using jsonb_to_recordset(?::jsonb) as x(id uuid, username text)
         where a.username = x.username and a.id <> x.id`,
        [JSON.stringify(chunk.map(({ id, username }) => ({ id, username })))],
      );
      await this.sql(
        `insert into identity.account (id, username, first_name, last_name, email, enabled, person_id, school_ids, roles, created_at, synced_at)
         select x.id, x.username, x.first_name, x.last_name, x.email, x.enabled, x.person_id, x.school_ids, x.roles, x.created_at, ?
         from jsonb_to_recordset(?::jsonb) as x(id uuid, username text, first_name text, last_name text, email text, enabled boolean,
                                                person_id uuid, school_ids text[], roles text[], created_at timestamptz)
         on conflict (id) do update set username = excluded.username, first_name = excluded.first_name, last_name = excluded.last_name,
           email = excluded.email, enabled = excluded.enabled, person_id = excluded.person_id, school_ids = excluded.school_ids,
           roles = excluded.roles, created_at = excluded.created_at, synced_at = excluded.synced_at
         where identity.account.synced_at <= excluded.synced_at`,
        [at, JSON.stringify(chunk)],
      );
    }
    return accounts.length;
  }

  /**
   * The whole list as Keycloak had it at `readAt` (when the read began): accounts
   * written since by a change are newer and kept; the ones Keycloak no longer has removed.
   */
  async replaceAll(accounts: readonly KeycloakAccount[], at: Date): Promise<{ saved: number; removed: number }> {
    const saved = await this.save(accounts, at);
    const removed = await this.sql<{ id: string }>(`delete from identity.account where synced_at < ? returning id`, [at]);
    return { saved, removed: removed.length };
  }

  /** The ids of the accounts not written since `at`: the ones a full read must find again or drop. */
  async idsSyncedBefore(at: Date): Promise<string[]> {
    return (await this.sql<{ id: string }>(`select id from identity.account where synced_at < ?`, [at])).map((r) => r.id);
  }

  async setLastLogins(logins: ReadonlyMap<string, Date>): Promise<void> {
    if (logins.size === 0) return;
    await this.sql(
      `update identity.account a set last_login_at = greatest(a.last_login_at, l.at)
       from jsonb_to_recordset(?::jsonb) as l(id uuid, at timestamptz) where a.id = l.id`,
      [JSON.stringify([...logins].map(([id, at]) => ({ id, at: at.toISOString() })))],
    );
  }
}
