import { Migration } from '@mikro-orm/migrations';

export class Migration20261128000002_term_grades extends Migration {
  override async up(): Promise<void> {
    // Четвертные (триместровые, полугодовые) отметки: set by the subject's teacher, proposed from the weighted average.
    this.addSql(`
      create table journal.term_grade (
        id serial primary key,
        term_id int not null,
        student_id int not null,
        subject_id int not null,
        value varchar(12) not null check (value in ('1', '2', '3', '4', '5', 'PASS', 'FAIL', 'NOT_ASSESSED', 'EXEMPT')),
        average numeric(4,2),
        proposed varchar(2),
        set_by uuid not null,
        set_at timestamptz not null,
        version int not null default 1,
        unique (term_id, student_id, subject_id)
      )`);
    // Published for the schedule service, which owns closing a term: who still lacks a term grade
    // (a student who took graded lessons of a subject in the term, without a grade or "not assessed").
    this.addSql(`
      create view journal.term_grade_gaps as
        select distinct f.term_id, f.class_group_id, f.subject_id, ls.student_id
        from schedule.lesson_facts f
        join schedule.lesson_students ls on ls.lesson_id = f.lesson_id
        where f.grading <> 'NONE' and f.status = 'SCHEDULED'
          and not exists (
            select 1 from journal.term_grade g
            where g.term_id = f.term_id and g.student_id = ls.student_id and g.subject_id = f.subject_id
          )`);
  }
}
