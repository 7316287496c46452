import { Migration } from '@mikro-orm/migrations';

/**
 * Least privilege for students' personal data (docs/security.md).
 *
 * - `people.personal_data_access`: the log of district accesses to one
 *   student's personal data — who, whom, why, when, which request, until when.
 *   Append-only: the database refuses edits and deletions, so the log is also
 *   the evidence.
 * - `people.personal_data_access_facts`: the accesses open now, published for
 *   the school's journal (the diary) like the other people.*_facts views.
 * - `people.teacher_student_ids(person_id)`: the students a teacher works with
 *   today (their class as class teacher, and the students their teaching
 *   assignments cover), the one definition people and the journal share.
 */
export class Migration20261202090000_personal_data_access extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table people.personal_data_access (
        id bigserial primary key,
        student_id int not null references people.student(id),
        requester_person_id uuid not null,
        requester_username varchar(100) not null check (length(btrim(requester_username)) > 0),
        reason varchar(500) not null check (length(btrim(reason)) >= 10),
        request_id varchar(100) not null,
        client varchar(200) not null,
        opened_at timestamptz not null default now(),
        expires_at timestamptz not null,
        check (expires_at > opened_at)
      )`);
    this.addSql(`create index personal_data_access_requester_idx on people.personal_data_access (requester_person_id, expires_at)`);
    this.addSql(`create index personal_data_access_student_idx on people.personal_data_access (student_id, opened_at)`);
    this.addSql(`
      create function people.refuse_personal_data_access_edit() returns trigger language plpgsql as $$
      begin
        raise exception 'people.personal_data_access is append-only (% refused)', tg_op;
      end
      $$`);
    this.addSql(`
      create trigger personal_data_access_append_only before update or delete on people.personal_data_access
      for each row execute function people.refuse_personal_data_access_edit()`);
    this.addSql(`
      create trigger personal_data_access_no_truncate before truncate on people.personal_data_access
      for each statement execute function people.refuse_personal_data_access_edit()`);

    this.addSql(`
      create view people.personal_data_access_facts as
        select student_id, requester_person_id, expires_at
        from people.personal_data_access
        where opened_at <= now() and expires_at > now()`);

    // Schedule migrates after people (its views read people's), so its view may be missing
    // for a while on a new database: until it exists, nobody is known to teach anyone (closed,
    // not open). plpgsql resolves the view only when that branch runs.
    this.addSql(`
      create function people.teacher_student_ids(p_person_id uuid) returns table (student_id int)
      language plpgsql stable as $$
      begin
        return query
          select e.student_id
          from people.staff s
          join people.class_group c on c.class_teacher_id = s.id
          join people.enrollment e on e.class_group_id = c.id and (e.end_date is null or e.end_date >= current_date)
          where s.person_id = p_person_id and s.active;
        if to_regclass('schedule.assignment_student_facts') is not null then
          return query
            select f.student_id
            from people.staff s
            join schedule.assignment_student_facts f on f.teacher_staff_id = s.id
            where s.person_id = p_person_id and s.active and (f.end_date is null or f.end_date >= current_date);
        end if;
      end
      $$`);
  }
}
