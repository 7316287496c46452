import { Migration } from '@mikro-orm/migrations';

/**
 * The schedule service's published read model for the school's other services
 * (journal, monitoring through journal): narrow views, owned and kept stable
 * here. Their names and columns are a contract; add columns at the end only.
 *
 * They read people's published views, so the people service must have
 * migrated this database first.
 */
export class Migration20261201000002_schedule_facts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      do $$
      begin
        if to_regclass('people.enrollment_facts') is null or to_regclass('people.class_group_facts') is null then
          raise exception 'schedule needs the people service''s views (people.*_facts) in this database: start people on it first';
        end if;
      end
      $$`);
    this.addSql(`
      create view schedule.term_facts as
        select t.id as term_id, t.academic_year_id, t.name, t.start_date, t.end_date, t.closed_at is not null as closed,
               t.years_from, t.years_to, t.kind, t.number
        from schedule.term t`);
    // Year 1 is ungraded (безотметочное обучение) unless the assignment says otherwise.
    this.addSql(`
      create view schedule.assignment_facts as
        select ta.id as teaching_assignment_id, ta.academic_year_id, ta.class_group_id, ta.subject_id, s.name as subject_name,
               case
                 when ta.graded is false then 'NONE'
                 when ta.graded is true then s.grading
                 when cg.year_of_study = 1 then 'NONE'
                 else s.grading
               end::varchar(10) as grading,
               ta.teacher_staff_id, ta.group_name
        from schedule.teaching_assignment ta
        join schedule.subject s on s.id = ta.subject_id
        left join people.class_group_facts cg on cg.class_group_id = ta.class_group_id`);
    this.addSql(`
      create view schedule.lesson_facts as
        select l.id as lesson_id, l.date, l.period, l.start_time, l.end_time, a.class_group_id, a.subject_id, a.subject_name, a.grading,
               a.teacher_staff_id, l.substitute_staff_id, l.status, l.term_id, t.closed_at is not null as term_closed, a.group_name,
               l.teaching_assignment_id, l.room
        from schedule.lesson l
        join schedule.assignment_facts a on a.teaching_assignment_id = l.teaching_assignment_id
        join schedule.term t on t.id = l.term_id`);
    // Who takes a lesson on its date: the class enrolled that day, or, for a split class, the group's students enrolled that day.
    this.addSql(`
      create view schedule.lesson_students as
        select l.id as lesson_id, e.student_id
        from schedule.lesson l
        join schedule.teaching_assignment ta on ta.id = l.teaching_assignment_id
        join people.enrollment_facts e
          on e.class_group_id = ta.class_group_id and e.start_date <= l.date and (e.end_date is null or e.end_date >= l.date)
        where ta.group_name is null
           or exists (select 1 from schedule.assignment_student s where s.teaching_assignment_id = ta.id and s.student_id = e.student_id)`);
  }
}
