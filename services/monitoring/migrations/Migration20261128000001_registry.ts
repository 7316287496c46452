import { Migration } from '@mikro-orm/migrations';

export class Migration20261128000001_registry extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema if not exists monitoring`);
    this.addSql(`
      create table monitoring.school (
        id varchar(10) primary key check (id ~ '^s[0-9]{3,}$'),
        full_name varchar(300) not null,
        short_name varchar(100) not null,
        address varchar(300) not null,
        director varchar(200),
        status varchar(20) not null check (status in ('LIVE', 'PILOT', 'NOT_STARTED')),
        people_url varchar(300),
        schedule_url varchar(300),
        journal_url varchar(300),
        version int not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
  }
}
