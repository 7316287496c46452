import { buildTestWorld, DEMO_S001, demoPerson, type GraphQLAnswer, type TestSchool } from '@district/kit/testing';
import { PeopleSeed, startPeople, type PeopleService } from '@district/people';
import { ScheduleSeed, startSchedule, type ScheduleService, type TeachingAssignment } from '@district/schedule';
import { startJournal, type JournalService } from '../src';

export { codes, demoPersonId, gqlAt, PARENT_MULTI_PERSON_ID, type GraphQLAnswer } from '@district/kit/testing';

/** person_id of each demo login of s001. */
export const PERSON: Record<DemoRole, string> = {
  director: DEMO_S001.director.personId,
  deputy: DEMO_S001.deputy.personId,
  teacher: DEMO_S001.teacher.personId,
  student: DEMO_S001.student.personId,
  parent: DEMO_S001.parent.personId,
};

/** The person behind a demo login, named as in the realm. */

/** Today in the school's time zone, and dates around it that are school days (Mon–Sat). */
export function schoolDates() {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(new Date());
  const shift = (iso: string, days: number) => {
    const d = new Date(`${iso}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  };
  const weekday = (iso: string) => new Date(`${iso}T00:00:00Z`).getUTCDay();
  const schoolDay = (iso: string, step: number) => (weekday(iso) === 0 ? shift(iso, step) : iso);
  return {
    today,
    shift,
    /** Within the 3-day edit window, already held (yesterday, or Saturday when today is Monday). */
    recent: schoolDay(shift(today, -1), -1),
    /** Past the edit window. */
    old: schoolDay(shift(today, -7), -1),
    /** Not yet held. */
    future: schoolDay(shift(today, 2), 1),
    /** In the closed term. */
    closed: schoolDay(shift(today, -50), -1),
  };
}

export interface JournalWorld {
  /** The school's database name. */
  database: string;
  people: PeopleService;
  schedule: ScheduleService;
  journal: JournalService;
  dates: ReturnType<typeof schoolDates>;
  ids: { petrov: number; classmates: number[]; stranger: number; class5A: number };
  maths: TeachingAssignment;
  russian: TeachingAssignment;
  id(type: string, localId: number): string;
  /** The lesson of an assignment on a date (period 1 maths, period 2 Russian). */
  lesson(assignment: TeachingAssignment, date: string): Promise<string>;
  gql(user: string | undefined, query: string, variables?: Record<string, unknown>): Promise<GraphQLAnswer>;
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Row counts of every journal table, audit included. */
  counts(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/**
 * One school with people, schedule and journal on one fresh database: class
 * 5А with the demo student (and parent), maths taught by the demo teacher
 * every school day in period 1, Russian by another teacher in period 2, an
 * open term around today and a closed term before it.
 */
export function startJournalWorld(): Promise<JournalWorld> {
  return buildTestWorld('journal', (school) => seedJournalWorld(school));
}

async function seedJournalWorld(school: TestSchool): Promise<JournalWorld> {
  const people = await school.start((settings) => startPeople(settings));
  const seed = new PeopleSeed(people.em());
  seed.staff({ ...demoPerson('director'), position: 'директор' });
  seed.staff({ ...demoPerson('deputy'), position: 'заместитель директора' });
  const teacher = seed.staff({ ...demoPerson('teacher'), position: 'учитель математики' });
  const other = seed.staff({ lastName: 'Волкова', firstName: 'Анна', position: 'учитель русского языка' });
  const class5A = seed.classGroup('5А', teacher);
  class5A.student({ ...demoPerson('student'), birthDate: '2015-03-14' }).guardian(demoPerson('parent'));
  class5A.student({ lastName: 'Абрамова', firstName: 'Мария', birthDate: '2015-05-01' });
  class5A.student({ lastName: 'Гусев', firstName: 'Егор', birthDate: '2015-07-07' });
  class5A.student({ lastName: 'Новикова', firstName: 'Полина', birthDate: '2015-09-09' });
  const class6B = seed.classGroup('6Б');
  class6B.student({ lastName: 'Козлов', firstName: 'Илья', birthDate: '2014-02-02' });
  const students5A = class5A.students;
  const stranger = class6B.students[0]!;
  await seed.flush();

  const schedule = await school.start((settings) => startSchedule(settings));
  const s = new ScheduleSeed(schedule.em());
  const dates = schoolDates();
  const year = await s.academicYear(academicYearOf(dates.today), dates.shift(dates.today, -80), dates.shift(dates.today, 60));
  const closedTerm = await s.term(year, {
    name: 'Прошлая четверть',
    kind: 'quarter',
    number: 1,
    startDate: dates.shift(dates.today, -80),
    endDate: dates.shift(dates.today, -41),
  });
  const term = await s.term(year, {
    name: 'Текущая четверть',
    kind: 'quarter',
    number: 2,
    startDate: dates.shift(dates.today, -40),
    endDate: dates.shift(dates.today, 30),
  });
  await s.standardBells();
  const subjects = await s.subjects();
  const maths = await s.assignment({ year, classGroupId: class5A.group.id, teacherStaffId: teacher.id, subject: subjects['Математика']! });
  const russian = await s.assignment({ year, classGroupId: class5A.group.id, teacherStaffId: other.id, subject: subjects['Русский язык']! });
  const everyDay = [1, 2, 3, 4, 5, 6];
  await s.weekly(
    maths,
    everyDay.map((weekday) => ({ weekday, period: 1, room: '201' })),
  );
  await s.weekly(
    russian,
    everyDay.map((weekday) => ({ weekday, period: 2, room: '305' })),
  );
  await s.generate(closedTerm);
  await s.generate(term);
  await schedule.em().getConnection().execute(`update schedule.term set closed_at = now(), closed_by = 's001.deputy' where id = ?`, [closedTerm.id]);

  const journal = await school.start((settings) => startJournal(settings));
  const sql = <T>(text: string, params: unknown[] = []) => journal.em().getConnection().execute<T[]>(text, params);
  const id = (type: string, localId: number) => school.id(type, localId);
  return {
    database: school.database,
    people,
    schedule,
    journal,
    dates,
    ids: { petrov: students5A[0]!.id, classmates: students5A.slice(1).map((st) => st.id), stranger: stranger.id, class5A: class5A.group.id },
    maths,
    russian,
    id,
    async lesson(assignment, date) {
      const rows = await sql<{ id: number }>(`select id from schedule.lesson where teaching_assignment_id = ? and date = ?`, [assignment.id, date]);
      if (!rows[0]) throw new Error(`no lesson of assignment ${assignment.id} on ${date}`);
      return id('Lesson', rows[0].id);
    },
    gql: (user, query, variables) => school.gqlAs(journal.url, user, query, variables),
    sql,
    async counts() {
      const [row] = await sql<Record<string, string>>(
        `select (select count(*) from journal.mark) as marks, (select count(*) from journal.mark where status = 'ACTIVE') as active_marks,
                (select coalesce(sum(version), 0) from journal.mark) as mark_versions,
                (select count(*) from journal.attendance) as attendance, (select count(*) from journal.lesson_record) as records,
                (select count(*) from journal.correction_request) as corrections, (select count(*) from journal.audit) as audit,
                (select count(*) from journal.idempotency) as idempotency`,
      );
      return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)]));
    },
    close: () => school.close(),
  };
}

function academicYearOf(iso: string): string {
  const [y, m] = iso.split('-').map(Number) as [number, number];
  const start = m >= 9 ? y : y - 1;
  return `${start}/${start + 1}`;
}
