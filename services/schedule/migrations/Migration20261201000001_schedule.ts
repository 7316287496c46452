import { Migration } from '@mikro-orm/migrations';

/**
 * The schedule service's own tables in schema `schedule` of the school's
 * database. People ids (staff, class groups, students) are plain integers:
 * people owns those rows and publishes them only through its views.
 */
export class Migration20261201000001_schedule extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema if not exists schedule`);
    this.addSql(`
      create table schedule.academic_year (
        id serial primary key,
        name varchar(9) not null unique,
        start_date date not null,
        end_date date not null,
        version int not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        check (end_date > start_date)
      )`);
    this.addSql(`
      create table schedule.term (
        id serial primary key,
        academic_year_id int not null references schedule.academic_year(id),
        name varchar(50) not null,
        kind varchar(10) not null check (kind in ('quarter', 'trimester', 'half_year')),
        number smallint not null check (number between 1 and 4),
        start_date date not null,
        end_date date not null,
        years_from smallint not null default 1 check (years_from between 1 and 11),
        years_to smallint not null default 11 check (years_to between 1 and 11),
        closed_at timestamptz,
        closed_by varchar(100),
        version int not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        check (end_date >= start_date),
        check (years_from <= years_to),
        check ((closed_at is null) = (closed_by is null)),
        unique (academic_year_id, years_from, years_to, kind, number)
      )`);
    this.addSql(`
      create table schedule.holiday (
        id serial primary key,
        academic_year_id int not null references schedule.academic_year(id),
        name varchar(100) not null,
        start_date date not null,
        end_date date not null,
        version int not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        check (end_date >= start_date)
      )`);
    this.addSql(`create index holiday_dates_idx on schedule.holiday (start_date, end_date)`);
    this.addSql(`
      create table schedule.subject (
        id serial primary key,
        name varchar(100) not null,
        short_name varchar(20) not null,
        grading varchar(10) not null check (grading in ('MARKS', 'PASS_FAIL', 'NONE')),
        version int not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    this.addSql(`create unique index subject_name_idx on schedule.subject (lower(name))`);
    this.addSql(`
      create table schedule.teaching_assignment (
        id serial primary key,
        academic_year_id int not null references schedule.academic_year(id),
        class_group_id int not null,
        subject_id int not null references schedule.subject(id),
        teacher_staff_id int not null,
        group_name varchar(50),
        graded boolean,
        version int not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    // One teacher per subject and class (or per group of a split class) in a year.
    this.addSql(
      `create unique index teaching_assignment_unique_idx on schedule.teaching_assignment (academic_year_id, class_group_id, subject_id, coalesce(group_name, ''))`,
    );
    this.addSql(`create index teaching_assignment_teacher_idx on schedule.teaching_assignment (teacher_staff_id)`);
    this.addSql(`create index teaching_assignment_class_group_idx on schedule.teaching_assignment (class_group_id)`);
    this.addSql(`
      create table schedule.assignment_student (
        id serial primary key,
        teaching_assignment_id int not null references schedule.teaching_assignment(id),
        student_id int not null,
        created_at timestamptz not null default now(),
        unique (teaching_assignment_id, student_id)
      )`);
    this.addSql(`create index assignment_student_student_idx on schedule.assignment_student (student_id)`);
    this.addSql(`
      create table schedule.bell_period (
        id serial primary key,
        shift smallint not null default 1 check (shift between 1 and 3),
        number smallint not null check (number between 1 and 8),
        start_time time not null,
        end_time time not null,
        version int not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        check (end_time > start_time),
        unique (shift, number)
      )`);
    this.addSql(`
      create table schedule.timetable_entry (
        id serial primary key,
        teaching_assignment_id int not null references schedule.teaching_assignment(id),
        weekday smallint not null check (weekday between 1 and 6),
        period smallint not null check (period between 1 and 8),
        shift smallint not null default 1 check (shift between 1 and 3),
        room varchar(20),
        valid_from date not null,
        valid_to date,
        version int not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        check (valid_to is null or valid_to >= valid_from)
      )`);
    this.addSql(`create index timetable_entry_assignment_idx on schedule.timetable_entry (teaching_assignment_id)`);
    this.addSql(`
      create table schedule.lesson (
        id serial primary key,
        teaching_assignment_id int not null references schedule.teaching_assignment(id),
        term_id int not null references schedule.term(id),
        date date not null,
        period smallint not null check (period between 1 and 8),
        shift smallint not null default 1,
        start_time time not null,
        end_time time not null,
        room varchar(20),
        status varchar(10) not null default 'SCHEDULED' check (status in ('SCHEDULED', 'CANCELLED')),
        substitute_staff_id int,
        planned_date date not null,
        planned_period smallint not null,
        version int not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        check (end_time > start_time),
        unique (teaching_assignment_id, date, period),
        unique (teaching_assignment_id, planned_date, planned_period)
      )`);
    // (teaching_assignment_id, date) is served by the unique index above, whose leading columns it is.
    this.addSql(`create index lesson_date_idx on schedule.lesson (date)`);
    this.addSql(`create index lesson_substitute_idx on schedule.lesson (substitute_staff_id) where substitute_staff_id is not null`);
    this.addSql(`create index lesson_term_idx on schedule.lesson (term_id)`);
    this.addSql(`
      create table schedule.lesson_change (
        id bigserial primary key,
        lesson_id int not null references schedule.lesson(id),
        kind varchar(12) not null check (kind in ('SUBSTITUTION', 'MOVED', 'CANCELLED', 'ROOM')),
        old jsonb not null,
        new jsonb not null,
        reason varchar(500) not null check (length(trim(reason)) > 0),
        changed_by varchar(100) not null,
        changed_at timestamptz not null default now()
      )`);
    this.addSql(`create index lesson_change_lesson_idx on schedule.lesson_change (lesson_id, id)`);
    // The change log is append-only: the database itself refuses edits and deletions.
    this.addSql(`
      create function schedule.refuse_lesson_change_edit() returns trigger language plpgsql as $$
      begin
        raise exception 'schedule.lesson_change is append-only (% refused)', tg_op;
      end
      $$`);
    this.addSql(`
      create trigger lesson_change_append_only before update or delete on schedule.lesson_change
      for each row execute function schedule.refuse_lesson_change_edit()`);
  }
}
