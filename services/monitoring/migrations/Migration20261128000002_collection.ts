import { Migration } from '@mikro-orm/migrations';

/**
 * What the district collects from the schools: the latest figures per school
 * and month (kept when a school is down, marked stale), the collection runs,
 * the closed monthly reports (append-only versions), and diary opens recorded
 * by the gateway (a pseudonymous person id per month, nothing else).
 */
export class Migration20261128000002_collection extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table monitoring.school_month (
        school_id varchar(10) not null references monitoring.school(id),
        month char(7) not null check (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        figures jsonb,
        collected_at timestamptz,
        state varchar(10) not null check (state in ('CURRENT', 'STALE')),
        last_attempt_at timestamptz not null,
        last_error text,
        primary key (school_id, month),
        check ((figures is null) = (collected_at is null)),
        check (state = 'STALE' or (figures is not null and last_error is null))
      )`);
    this.addSql(`create index school_month_month_idx on monitoring.school_month (month)`);

    this.addSql(`
      create table monitoring.collection_run (
        id serial primary key,
        month char(7) not null,
        trigger varchar(10) not null check (trigger in ('SCHEDULE', 'MANUAL')),
        requested_by varchar(100) not null,
        started_at timestamptz not null,
        finished_at timestamptz not null,
        outcomes jsonb not null,
        report_version int
      )`);
    this.addSql(`create index collection_run_month_idx on monitoring.collection_run (month, id)`);

    this.addSql(`
      create table monitoring.monthly_report (
        month char(7) not null,
        version int not null check (version >= 1),
        closed_at timestamptz not null,
        run_id int not null references monitoring.collection_run(id),
        content jsonb not null,
        changes jsonb not null,
        primary key (month, version)
      )`);
    // A closed report is never silently changed: a re-collection adds a version.
    this.addSql(`
      create function monitoring.refuse_report_change() returns trigger language plpgsql as $$
      begin
        raise exception 'monitoring.monthly_report is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
      end $$`);
    this.addSql(
      `create trigger monthly_report_append_only before update or delete on monitoring.monthly_report for each row execute function monitoring.refuse_report_change()`,
    );
    this.addSql(`create trigger monthly_report_no_truncate before truncate on monitoring.monthly_report execute function monitoring.refuse_report_change()`);

    this.addSql(`
      create table monitoring.diary_open (
        month char(7) not null,
        school_id varchar(10) not null,
        role varchar(10) not null check (role in ('student', 'parent')),
        person_id uuid not null,
        first_opened_at timestamptz not null,
        primary key (month, school_id, role, person_id)
      )`);
  }
}
