import { Migration } from '@mikro-orm/migrations';
import { auditTableSql, idempotencyTableSql } from '@district/kit';

export class Migration20261128000001_journal extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema if not exists journal`);
    // The school's rules for entries and corrections (one row).
    this.addSql(`
      create table journal.settings (
        id smallint primary key default 1 check (id = 1),
        edit_window_days int not null default 3 check (edit_window_days between 0 and 30),
        timezone varchar(40) not null default 'Europe/Moscow',
        version int not null default 1
      )`);
    this.addSql(`insert into journal.settings (id) values (1)`);
    this.addSql(`
      create table journal.control_form (
        id serial primary key,
        code varchar(30) not null unique,
        name varchar(100) not null,
        weight numeric(4,2) not null check (weight > 0 and weight <= 10),
        active boolean not null default true
      )`);
    this.addSql(`
      insert into journal.control_form (code, name, weight) values
        ('ORAL', 'Ответ на уроке', 1),
        ('HOMEWORK', 'Домашняя работа', 1),
        ('INDEPENDENT', 'Самостоятельная работа', 2),
        ('CHECK', 'Проверочная работа', 2),
        ('DICTATION', 'Диктант', 2),
        ('TEST', 'Контрольная работа', 3),
        ('CREDIT', 'Зачёт', 1)`);
    this.addSql(`
      create table journal.mark (
        id serial primary key,
        lesson_id int not null,
        student_id int not null,
        value varchar(4) not null check (value in ('1', '2', '3', '4', '5', 'PASS', 'FAIL')),
        control_form_id int not null references journal.control_form(id),
        weight numeric(4,2) not null,
        comment varchar(500),
        status varchar(10) not null default 'ACTIVE' check (status in ('ACTIVE', 'WITHDRAWN')),
        lesson_date date not null,
        entered_by uuid not null,
        entered_at timestamptz not null,
        delay_minutes int not null,
        updated_at timestamptz not null,
        version int not null default 1
      )`);
    this.addSql(`create index mark_lesson_idx on journal.mark (lesson_id)`);
    this.addSql(`create index mark_student_date_idx on journal.mark (student_id, lesson_date)`);
    this.addSql(`
      create table journal.attendance (
        id serial primary key,
        lesson_id int not null,
        student_id int not null,
        code varchar(10) not null check (code in ('ABSENT', 'ILL', 'EXCUSED', 'LATE')),
        reason varchar(300),
        status varchar(10) not null default 'ACTIVE' check (status in ('ACTIVE', 'WITHDRAWN')),
        lesson_date date not null,
        entered_by uuid not null,
        entered_at timestamptz not null,
        delay_minutes int not null,
        updated_at timestamptz not null,
        version int not null default 1
      )`);
    this.addSql(`create unique index attendance_one_active_idx on journal.attendance (lesson_id, student_id) where status = 'ACTIVE'`);
    this.addSql(`create index attendance_student_date_idx on journal.attendance (student_id, lesson_date)`);
    this.addSql(`
      create table journal.lesson_record (
        lesson_id int primary key,
        lesson_date date not null,
        topic varchar(500),
        homework text,
        homework_attachments jsonb not null default '[]',
        topic_entered_at timestamptz,
        topic_delay_minutes int,
        homework_entered_at timestamptz,
        homework_delay_minutes int,
        updated_by uuid not null,
        updated_at timestamptz not null,
        version int not null default 1
      )`);
    this.addSql(`
      create table journal.correction_request (
        id serial primary key,
        target varchar(12) not null check (target in ('MARK', 'ATTENDANCE')),
        target_id int not null,
        action varchar(10) not null check (action in ('EDIT', 'WITHDRAW')),
        proposed jsonb,
        reason text not null check (length(trim(reason)) >= 5),
        status varchar(10) not null default 'PENDING' check (status in ('PENDING', 'APPROVED', 'REJECTED')),
        requested_by uuid not null,
        requested_at timestamptz not null,
        decided_by uuid,
        decided_at timestamptz,
        decision_comment text,
        version int not null default 1
      )`);
    this.addSql(`create unique index correction_one_pending_idx on journal.correction_request (target, target_id) where status = 'PENDING'`);
    for (const sql of auditTableSql('journal')) this.addSql(sql);
    for (const sql of idempotencyTableSql('journal')) this.addSql(sql);
  }
}
