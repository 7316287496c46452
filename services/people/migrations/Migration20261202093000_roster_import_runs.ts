import { Migration } from '@mikro-orm/migrations';
import { runTableSql } from '@district/kit';

/**
 * Roster imports as runs (kit's run table, in the school's own database): a
 * big file is accepted at once and imported in the background, and the run
 * keeps how it ended — the counts created, or every refused line.
 */
export class Migration20261202093000_roster_import_runs extends Migration {
  override async up(): Promise<void> {
    for (const sql of runTableSql('people.roster_import_run', [
      `academic_year varchar(9) not null check (academic_year ~ '^[0-9]{4}/[0-9]{4}$')`,
      `start_date date not null`,
    ])) {
      this.addSql(sql);
    }
  }
}
