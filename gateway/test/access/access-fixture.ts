import { toGlobalId } from '@district/kit';
import { tokenFor } from '@district/kit/testing';
import type { District } from '@district/demo';

/**
 * Who probes: one user per platform role (the school roles of s001, the
 * district roles, and the state portal's service account). `anonymous` is
 * probed separately (no token at all).
 */
export const USERS = {
  teacher: 's001.teacher',
  deputy: 's001.deputy',
  director: 's001.director',
  student: 's001.student',
  parent: 's001.parent',
  analyst: 'analyst',
  districtAdmin: 'district.admin',
  ssoAdmin: 'sso.admin',
  portal: 'client:state-portal',
} as const;
export type User = keyof typeof USERS;

/** Users of another school, for the direct-to-subgraph probes of s001's instances. */
export const OTHER_SCHOOL_USERS = ['s002.director', 's002.deputy', 's002.teacher', 's002.student', 's002.parent'];

/**
 * What an operation is about, seen from the probing s001 users:
 *  - school: `own` (s001) or `other` (s002);
 *  - student: `self` (s001.student, the child of s001.parent, in 5А where
 *    s001.teacher teaches maths), `classmate` (another 5А student: taught by
 *    s001.teacher, not s001.parent's child), `untaught` (a 7Б student no probe
 *    teaches or is related to), `otherSchool` (s002.student);
 *  - classGroup: `ownClass` (5А, taught by s001.teacher), `otherClass` (7Б), `otherSchool` (s002 5А);
 *  - lesson: `ownLesson` (s001.teacher's maths lesson in 5А), `otherLesson`
 *    (another teacher's lesson in 5А), `otherSchool` (s002.teacher's lesson);
 *  - district: the district as a whole.
 */
export const TARGETS = {
  school: ['own', 'other'],
  student: ['self', 'classmate', 'untaught', 'otherSchool'],
  classGroup: ['ownClass', 'otherClass', 'otherSchool'],
  lesson: ['ownLesson', 'otherLesson', 'otherSchool'],
  district: ['district'],
} as const;
export type Scope = keyof typeof TARGETS;
export type Target = (typeof TARGETS)[Scope][number];

/** The variables every probe of a target may use (GraphQL ignores the ones a document does not declare). */
export interface Bag {
  school: string;
  student: string;
  classGroup: string;
  lesson: string;
  mark: string;
  attendance: string;
  term: string;
  year: string;
  subject: string;
  staff: string;
  guardian: string;
  enrollment: string;
  correction: string;
  weekStart: string;
  from: string;
  to: string;
  month: string;
  /** The Keycloak account of the school's demo teacher. */
  account: string;
}

type Sql = <T>(text: string, params?: unknown[]) => Promise<T[]>;

const person = (school: number, code: string) => `00000000-0000-4000-8000-0000000${String(school).padStart(3, '0')}${code}`;

function mondayOf(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

async function one<T>(sql: Sql, what: string, text: string, params: unknown[] = []): Promise<T> {
  const [row] = await sql<T>(text, params);
  if (!row) throw new Error(`fixture: no ${what}`);
  return row;
}

/** Everything about one school that the probes name, read from its database. */
async function schoolFacts(sql: Sql, schoolId: string, schoolNumber: number, className: string) {
  const id = (type: string, local: number | string) => toGlobalId(type, schoolId, local);
  const teacher = await one<{ id: number }>(sql, 'demo teacher', `select id from people.staff where person_id = ?`, [person(schoolNumber, '03')]);
  const self = await one<{ id: number }>(sql, 'demo student', `select id from people.student where person_id = ?`, [person(schoolNumber, '04')]);
  const klass = await one<{ id: number }>(sql, 'class', `select id from people.class_group where name = ? order by academic_year desc limit 1`, [className]);
  const guardian = await one<{ id: number }>(sql, 'demo parent', `select id from people.guardian where person_id = ?`, [person(schoolNumber, '05')]);
  const enrollment = await one<{ id: number }>(sql, 'enrollment', `select id from people.enrollment where student_id = ? and end_date is null`, [self.id]);
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(new Date());
  // The demo teacher's most recent held maths lesson in the class, with a mark on it.
  const lesson = await one<{ id: number; term_id: number; academic_year_id: number; subject_id: number; period: number; date: string }>(
    sql,
    'held lesson of the demo teacher',
    `select l.id, l.term_id, a.academic_year_id, a.subject_id, l.period, to_char(l.date, 'YYYY-MM-DD') as date
       from schedule.lesson l join schedule.teaching_assignment a on a.id = l.teaching_assignment_id
      where a.teacher_staff_id = ? and a.class_group_id = ? and l.date < ? and l.status <> 'CANCELLED'
        and exists (select 1 from journal.mark m where m.lesson_id = l.id and m.status = 'ACTIVE')
      order by l.date desc, l.period desc limit 1`,
    [teacher.id, klass.id, today],
  );
  const mark = await one<{ id: number }>(sql, 'mark', `select id from journal.mark where lesson_id = ? and status = 'ACTIVE' order by id limit 1`, [lesson.id]);
  const attendance = await one<{ id: number }>(
    sql,
    'attendance',
    `select t.id from journal.attendance t join schedule.lesson l on l.id = t.lesson_id join schedule.teaching_assignment a on a.id = l.teaching_assignment_id
      where a.teacher_staff_id = ? and t.status = 'ACTIVE' order by t.lesson_date desc, t.id limit 1`,
    [teacher.id],
  );
  const otherLesson = await one<{ id: number }>(
    sql,
    'lesson of another teacher',
    `select l.id from schedule.lesson l join schedule.teaching_assignment a on a.id = l.teaching_assignment_id
      where a.teacher_staff_id <> ? and a.class_group_id = ? and l.date = ? and l.status <> 'CANCELLED' order by l.period limit 1`,
    [teacher.id, klass.id, lesson.date],
  );
  // An entry of another teacher's lesson in the same class (a teacher may not touch it).
  const otherMark = await one<{ id: number }>(
    sql,
    'mark of another teacher',
    `select m.id from journal.mark m join schedule.lesson l on l.id = m.lesson_id join schedule.teaching_assignment a on a.id = l.teaching_assignment_id
      where a.teacher_staff_id <> ? and a.class_group_id = ? and m.status = 'ACTIVE' order by m.lesson_date desc, m.id limit 1`,
    [teacher.id, klass.id],
  );
  const otherAttendance = await one<{ id: number }>(
    sql,
    'attendance of another teacher',
    `select t.id from journal.attendance t join schedule.lesson l on l.id = t.lesson_id join schedule.teaching_assignment a on a.id = l.teaching_assignment_id
      where a.teacher_staff_id <> ? and a.class_group_id = ? and t.status = 'ACTIVE' order by t.lesson_date desc, t.id limit 1`,
    [teacher.id, klass.id],
  );
  return {
    teacher: teacher.id,
    otherMark: id('Mark', otherMark.id),
    otherAttendance: id('Attendance', otherAttendance.id),
    base: {
      school: schoolId,
      classGroup: id('ClassGroup', klass.id),
      lesson: id('Lesson', lesson.id),
      mark: id('Mark', mark.id),
      attendance: id('Attendance', attendance.id),
      term: id('Term', lesson.term_id),
      year: id('AcademicYear', lesson.academic_year_id),
      subject: id('Subject', lesson.subject_id),
      staff: id('Staff', teacher.id),
      guardian: id('Guardian', guardian.id),
      enrollment: id('Enrollment', enrollment.id),
      // No correction request exists with this id: deciding it is NOT_FOUND for whoever may decide.
      correction: id('CorrectionRequest', 999_999),
      student: id('Student', self.id),
      weekStart: mondayOf(lesson.date),
      from: mondayOf(lesson.date),
      to: lesson.date,
      month: lesson.date.slice(0, 7),
      account: '',
    } satisfies Bag,
    otherLesson: id('Lesson', otherLesson.id),
    selfStudent: id('Student', self.id),
    sql,
    klass: klass.id,
    id,
  };
}

export type Fixture = Record<Target, Bag>;

/** The variables for every target, read from the district's databases. */
export async function readFixture(district: District): Promise<Fixture> {
  const sqlOf =
    (schoolId: string): Sql =>
    (text, params = []) =>
      district.schools
        .get(schoolId)!
        .em()
        .getConnection()
        .execute(text, params as never[]) as never;
  const s1 = await schoolFacts(sqlOf('s001'), 's001', 1, '5А');
  const s2 = await schoolFacts(sqlOf('s002'), 's002', 2, '5А');
  const classmate = await one<{ id: number }>(
    s1.sql,
    'classmate',
    `select e.student_id as id from people.enrollment e join people.student s on s.id = e.student_id
      where e.class_group_id = ? and e.end_date is null and s.person_id is null order by e.student_id limit 1`,
    [s1.klass],
  );
  const otherClass = await one<{ id: number }>(s1.sql, 'class 7Б', `select id from people.class_group where name = '7Б' order by academic_year desc limit 1`);
  const untaught = await one<{ id: number }>(
    s1.sql,
    'untaught student',
    `select e.student_id as id from people.enrollment e where e.class_group_id = ? and e.end_date is null order by e.student_id limit 1`,
    [otherClass.id],
  );
  const taughtBy = await s1.sql<{ n: string }>(
    `select count(*)::text as n from schedule.teaching_assignment where teacher_staff_id = ? and class_group_id = ?`,
    [s1.teacher, otherClass.id],
  );
  if (taughtBy[0]!.n !== '0') throw new Error('fixture: the demo teacher must not teach 7Б');
  // The accounts as identity reads them from Keycloak (its first read runs at start; this one is awaited).
  await district.identity.sync.run();
  const identitySql: Sql = (text, params = []) =>
    district.identity
      .em()
      .getConnection()
      .execute(text, params as never[]) as never;
  const accountOf = async (username: string) =>
    (await one<{ id: string }>(identitySql, `account ${username}`, `select id from identity.account where username = ?`, [username])).id;
  s1.base.account = await accountOf('s001.teacher');
  s2.base.account = await accountOf('s002.teacher');
  const own = s1.base;
  return {
    own,
    other: s2.base,
    self: own,
    classmate: { ...own, student: s1.id('Student', classmate.id) },
    untaught: { ...own, student: s1.id('Student', untaught.id), classGroup: s1.id('ClassGroup', otherClass.id) },
    otherSchool: s2.base,
    ownClass: own,
    otherClass: { ...own, classGroup: s1.id('ClassGroup', otherClass.id), student: s1.id('Student', untaught.id) },
    ownLesson: own,
    otherLesson: { ...own, lesson: s1.otherLesson, mark: s1.otherMark, attendance: s1.otherAttendance },
    district: own,
  };
}

const portalToken = async (): Promise<string> => {
  const url = `${process.env.KEYCLOAK_URL ?? 'http://localhost:8080'}/realms/district/protocol/openid-connect/token`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'state-portal',
      client_secret: process.env.STATE_PORTAL_SECRET ?? 'state-portal-secret',
    }),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no token for the state portal: ${JSON.stringify(body)}`);
  return body.access_token;
};

export async function tokenOf(user: User): Promise<string> {
  const login = USERS[user];
  return login.startsWith('client:') ? portalToken() : tokenFor(login);
}
