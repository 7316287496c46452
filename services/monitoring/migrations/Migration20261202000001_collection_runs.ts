import { Migration } from '@mikro-orm/migrations';
import { runTableSql } from '@district/kit';

/**
 * Collection runs become runs like every long operation's (kit's run table):
 * a run is recorded when it is asked for and followed while it works, so the
 * admin's request answers at once. The table is rebuilt in that shape, keeping
 * every past run (same ids, which the monthly reports point at); a past run's
 * per-school outcomes and report version move into its `result`. At most one
 * unfinished run per month: a second request joins it.
 */
export class Migration20261202000001_collection_runs extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table monitoring.collection_run rename to collection_run_v1`);
    this.addSql(`alter index monitoring.collection_run_pkey rename to collection_run_v1_pkey`);
    this.addSql(`alter index monitoring.collection_run_month_idx rename to collection_run_v1_month_idx`);
    this.addSql(`alter sequence monitoring.collection_run_id_seq rename to collection_run_v1_id_seq`);

    for (const sql of runTableSql('monitoring.collection_run', [
      `month char(7) not null check (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$')`,
      `trigger varchar(10) not null check (trigger in ('SCHEDULE', 'MANUAL'))`,
    ])) {
      this.addSql(sql);
    }
    this.addSql(`create index collection_run_month_idx on monitoring.collection_run (month, id)`);
    this.addSql(`create unique index collection_run_one_active_idx on monitoring.collection_run (month) where state in ('QUEUED', 'RUNNING')`);

    this.addSql(`
      insert into monitoring.collection_run
        (id, state, requested_by, requested_at, started_at, finished_at, owner, heartbeat_at, total, processed, result, month, trigger)
      select id,
             case when outcomes @> '[{"state": "STALE"}]'::jsonb then 'PARTIAL' else 'SUCCEEDED' end,
             requested_by, started_at, started_at, finished_at, 'before runs', finished_at,
             jsonb_array_length(outcomes), jsonb_array_length(outcomes),
             jsonb_build_object('schools', outcomes, 'reportVersion', report_version),
             month, trigger
      from monitoring.collection_run_v1`);
    this.addSql(`select setval('monitoring.collection_run_id_seq', (select coalesce(max(id), 0) + 1 from monitoring.collection_run), false)`);
    this.addSql(`alter table monitoring.monthly_report drop constraint monthly_report_run_id_fkey`);
    this.addSql(
      `alter table monitoring.monthly_report add constraint monthly_report_run_id_fkey foreign key (run_id) references monitoring.collection_run(id)`,
    );
    this.addSql(`drop table monitoring.collection_run_v1`);
  }
}
