import { Migration } from '@mikro-orm/migrations';
import { runTableSql } from '@district/kit';

/**
 * Provisioning and drift-fixing runs of a school's accounts (kit's run table):
 * a run answers at once and works through the school's people in the
 * background; its `result` is the report per person, and for a day the
 * temporary passwords of the accounts it created (then dropped).
 */
export class Migration20261207000002_provisioning_runs extends Migration {
  override async up(): Promise<void> {
    for (const sql of runTableSql('identity.provisioning_run', [
      `school_id varchar(20) not null`,
      `mode varchar(10) not null check (mode in ('PROVISION', 'FIX'))`,
      `requested_by_id uuid not null`,
      `idempotency_key varchar(100) not null`,
    ])) {
      this.addSql(sql);
    }
    this.addSql(`create index provisioning_run_school_idx on identity.provisioning_run (school_id, id desc)`);
    this.addSql(`create unique index provisioning_run_key_idx on identity.provisioning_run (requested_by_id, idempotency_key)`);
    this.addSql(`create unique index provisioning_run_one_active_idx on identity.provisioning_run (school_id) where state in ('QUEUED', 'RUNNING')`);
  }
}
