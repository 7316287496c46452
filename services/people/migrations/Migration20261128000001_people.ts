import { Migration } from '@mikro-orm/migrations';

export class Migration20261128000001_people extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema if not exists people`);
    this.addSql(`
      create table people.staff (
        id serial primary key,
        person_id uuid unique,
        last_name varchar(100) not null,
        first_name varchar(100) not null,
        middle_name varchar(100),
        position varchar(200) not null,
        email varchar(200),
        active boolean not null default true,
        version int not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    this.addSql(`
      create table people.class_group (
        id serial primary key,
        name varchar(10) not null,
        year_of_study smallint not null check (year_of_study between 1 and 11),
        academic_year varchar(9) not null,
        class_teacher_id int references people.staff(id),
        version int not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        unique (academic_year, name)
      )`);
    this.addSql(`
      create table people.student (
        id serial primary key,
        person_id uuid unique,
        last_name varchar(100) not null,
        first_name varchar(100) not null,
        middle_name varchar(100),
        birth_date date not null,
        version int not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    this.addSql(`create index student_name_idx on people.student (last_name, first_name)`);
    this.addSql(`
      create table people.guardian (
        id serial primary key,
        person_id uuid unique,
        last_name varchar(100) not null,
        first_name varchar(100) not null,
        middle_name varchar(100),
        phone varchar(30),
        email varchar(200),
        version int not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    this.addSql(`
      create table people.guardianship (
        id serial primary key,
        guardian_id int not null references people.guardian(id),
        student_id int not null references people.student(id),
        relation varchar(20) not null check (relation in ('mother', 'father', 'guardian', 'other')),
        created_at timestamptz not null default now(),
        unique (guardian_id, student_id)
      )`);
    this.addSql(`create index guardianship_student_idx on people.guardianship (student_id)`);
    this.addSql(`
      create table people.enrollment (
        id serial primary key,
        student_id int not null references people.student(id),
        class_group_id int not null references people.class_group(id),
        start_date date not null,
        end_date date,
        created_at timestamptz not null default now(),
        check (end_date is null or end_date >= start_date)
      )`);
    // A student is in at most one class group at a time.
    this.addSql(`create unique index enrollment_one_active_idx on people.enrollment (student_id) where end_date is null`);
    this.addSql(`create index enrollment_class_group_idx on people.enrollment (class_group_id) where end_date is null`);
  }
}
