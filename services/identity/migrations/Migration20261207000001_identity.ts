import { Migration } from '@mikro-orm/migrations';
import { auditTableSql } from '@district/kit';

/**
 * The identity schema in the district database:
 * - `account`: the list of Keycloak's accounts as the platform reads them
 *   (Keycloak stays the source; this copy is refreshed by every change made
 *   here and by a full read at start and every few minutes), so searches and
 *   the `account` of a list of persons are one indexed query;
 * - `change`: each change asked for, by the caller's idempotency key; a change
 *   Keycloak did not finish stays PENDING and the same key resumes it;
 * - `audit`: the hash-chained, append-only audit (the kit's, as the journal's).
 */
export class Migration20261207000001_identity extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema if not exists identity`);
    this.addSql(`create table identity.account (
      id uuid primary key,
      username varchar(255) not null unique,
      first_name varchar(255) not null,
      last_name varchar(255) not null,
      email varchar(255),
      enabled boolean not null,
      person_id uuid,
      school_ids text[] not null default '{}',
      roles text[] not null default '{}',
      created_at timestamptz,
      last_login_at timestamptz,
      synced_at timestamptz not null
    )`);
    this.addSql(`create index account_person_idx on identity.account (person_id)`);
    this.addSql(`create index account_schools_idx on identity.account using gin (school_ids)`);
    this.addSql(`create index account_roles_idx on identity.account using gin (roles)`);
    this.addSql(`create index account_name_idx on identity.account (lower(last_name), lower(first_name), id)`);
    this.addSql(`create table identity.change (
      actor uuid not null,
      key varchar(100) not null,
      operation varchar(60) not null,
      request_hash char(64) not null,
      state varchar(10) not null check (state in ('PENDING', 'DONE')),
      attempts int not null default 1,
      last_error text,
      plan jsonb,
      response jsonb,
      started_at timestamptz not null default now(),
      finished_at timestamptz,
      primary key (actor, key)
    )`);
    this.addSql(`create index change_pending_idx on identity.change (started_at) where state = 'PENDING'`);
    this.addSql(`create table identity.sync_state (
      id int primary key check (id = 1),
      synced_at timestamptz,
      logins_read_until timestamptz
    )`);
    this.addSql(`insert into identity.sync_state (id) values (1)`);
    for (const sql of auditTableSql('identity')) this.addSql(sql);
  }
}
