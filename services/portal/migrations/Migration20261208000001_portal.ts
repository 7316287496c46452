import { Migration } from '@mikro-orm/migrations';
import { auditTableSql } from '@district/kit';

/**
 * The portal schema in the district database: `audit` is the access log of
 * every answer the state portal got (the kit's hash-chained, append-only
 * table: the database refuses UPDATE, DELETE and TRUNCATE).
 */
export class Migration20261208000001_portal extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema if not exists portal`);
    for (const sql of auditTableSql('portal')) this.addSql(sql);
    // "Who looked at this child": by the child's person, whichever school they are in now.
    this.addSql(`create index audit_request_idx on portal.audit (request_id)`);
  }
}
