import { Migration } from '@mikro-orm/migrations';

/**
 * The people service's published read model for the school's other services
 * (schedule, journal) in the same database: narrow views, owned and kept
 * stable here. Nobody else reads or writes the people tables themselves.
 */
export class Migration20261128000002_people_facts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create view people.staff_facts as select id as staff_id, person_id, active, last_name, first_name, middle_name from people.staff`);
    this.addSql(`create view people.student_facts as select id as student_id, person_id, last_name, first_name, middle_name from people.student`);
    this.addSql(`create view people.enrollment_facts as select student_id, class_group_id, start_date, end_date from people.enrollment`);
    this.addSql(
      `create view people.class_group_facts as select id as class_group_id, name, year_of_study, academic_year, class_teacher_id from people.class_group`,
    );
    this.addSql(`
      create view people.guardianship_facts as
        select g.person_id as guardian_person_id, gs.student_id
        from people.guardianship gs join people.guardian g on g.id = gs.guardian_id
        where g.person_id is not null`);
  }
}
