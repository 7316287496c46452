import { Migration } from '@mikro-orm/migrations';

export class Migration20261128000003_year_grades extends Migration {
  override async up(): Promise<void> {
    // Годовые отметки: set by the subject's teacher, proposed from the term grades.
    this.addSql(`
      create table journal.year_grade (
        id serial primary key,
        academic_year_id int not null,
        student_id int not null,
        subject_id int not null,
        value varchar(12) not null check (value in ('1', '2', '3', '4', '5', 'PASS', 'FAIL', 'NOT_ASSESSED', 'EXEMPT')),
        proposed varchar(12),
        set_by uuid not null,
        set_at timestamptz not null,
        version int not null default 1,
        unique (academic_year_id, student_id, subject_id)
      )`);
  }
}
