import { Migration } from '@mikro-orm/migrations';

/**
 * SNILS keys (kit identity-keys: keyed hashes, never the numbers) on students
 * and guardians, for the state services portal, and the facts the portal's
 * school-side match reads: a child by key or by name and birth date, and the
 * keys of the child's guardians. Not unique: two records with one key are a
 * data error the match reports (AMBIGUOUS_CHILD), not one to refuse a save for.
 */
export class Migration20261208000001_identity_keys extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table people.student add column identity_key char(64)`);
    this.addSql(`alter table people.guardian add column identity_key char(64)`);
    this.addSql(`create index student_identity_key_idx on people.student (identity_key) where identity_key is not null`);
    this.addSql(`create index guardian_identity_key_idx on people.guardian (identity_key) where identity_key is not null`);
    this.addSql(`create index student_birth_date_idx on people.student (birth_date)`);
    this.addSql(`
      create view people.portal_child_facts as
        select id as student_id, identity_key as child_key, last_name, first_name, middle_name, birth_date from people.student`);
    this.addSql(`
      create view people.portal_guardian_facts as
        select gs.student_id, g.identity_key as guardian_key
        from people.guardianship gs join people.guardian g on g.id = gs.guardian_id
        where g.identity_key is not null`);
  }
}
