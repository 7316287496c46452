import { Migration } from '@mikro-orm/migrations';

/**
 * Which students each teaching assignment covers, for the people service's
 * rule "a teacher reads the personal data of the students they teach" (and
 * the journal's diary, through people). A whole-class assignment covers the
 * class's students; a split-class group (languages, IT, PE) only the group's.
 * The enrollment's dates come along so a reader can ask "covered today".
 * Published like the other schedule.*_facts: add columns at the end only.
 */
export class Migration20261202090000_assignment_student_facts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create view schedule.assignment_student_facts as
        select ta.id as teaching_assignment_id, ta.teacher_staff_id, ta.class_group_id, e.student_id, e.start_date, e.end_date
        from schedule.teaching_assignment ta
        join people.enrollment_facts e on e.class_group_id = ta.class_group_id
        where ta.group_name is null
           or exists (select 1 from schedule.assignment_student s where s.teaching_assignment_id = ta.id and s.student_id = e.student_id)`);
  }
}
