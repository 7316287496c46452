import { AuditLog, authSettings } from '@district/kit';
import { createTestDatabase, keycloakUrl } from '@district/kit/testing';
import { startJournal, type JournalService } from '@district/journal';
import { startPeople, type PeopleService } from '@district/people';
import { standardCalendar, startSchedule, type ScheduleService } from '@district/schedule';
import { DEMO_LOADER_PERSON_ID, seedDemoJournal } from '../src/seed/seed-journal';
import { realmUsers, seedDemoPeople } from '../src/seed/seed-people';
import { seedDemoSchedule } from '../src/seed/seed-schedule';

/** A Friday in the second quarter: about twelve weeks of history, autumn holidays included. */
const TODAY = '2026-11-27';
const STUDENTS_PER_CLASS = 12;

interface School {
  people: PeopleService;
  schedule: ScheduleService;
  journal: JournalService;
  drop(): Promise<void>;
  close(): Promise<void>;
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

async function startSchool(label: string): Promise<School> {
  const db = await createTestDatabase(label);
  const base = { schoolId: 's001', port: 0, databaseUrl: db.url, production: false, auth: authSettings(keycloakUrl(), 'district', 'district-api'), poolMax: 5 };
  const people = await startPeople(base);
  const schedule = await startSchedule(base);
  const journal = await startJournal(base);
  return {
    people,
    schedule,
    journal,
    drop: () => db.drop(),
    close: async () => {
      await journal.close();
      await schedule.close();
      await people.close();
    },
    sql: (text, params = []) => journal.em().getConnection().execute(text, params),
  };
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await fn();
  return [result, Math.round(performance.now() - started)];
}

async function seedAll(school: School) {
  const [, people] = await timed(() => seedDemoPeople(school.people.em(), { schoolId: 's001', studentsPerClass: STUDENTS_PER_CLASS, today: TODAY }));
  const [scheduleCounts, schedule] = await timed(() => seedDemoSchedule(school.schedule.em(), { schoolId: 's001', today: TODAY }));
  const [journalCounts, journal] = await timed(() => seedDemoJournal(school.journal.em(), { schoolId: 's001', today: TODAY }));
  return { scheduleCounts, journalCounts, ms: { people, schedule, journal } };
}

const n = (v: unknown) => Number(v);

describe('demo data: a lived-in term for a school', () => {
  let school: School;
  let seeded: Awaited<ReturnType<typeof seedAll>>;

  beforeAll(async () => {
    school = await startSchool('demo_data');
    seeded = await seedAll(school);
    console.log(
      `demo seeding (22 classes × ${STUDENTS_PER_CLASS} students, today ${TODAY}): people ${seeded.ms.people} ms, ` +
        `schedule ${seeded.ms.schedule} ms (${seeded.scheduleCounts.lessons} lessons, ${seeded.scheduleCounts.assignments} assignments), ` +
        `journal ${seeded.ms.journal} ms (${seeded.journalCounts.records} lesson records, ${seeded.journalCounts.marks} marks, ${seeded.journalCounts.attendance} attendance entries)`,
    );
  }, 180_000);

  afterAll(async () => {
    await school?.close();
    await school?.drop();
  });

  it('seeds within its time budget', () => {
    expect(seeded.ms.schedule).toBeLessThan(10_000);
    expect(seeded.ms.journal).toBeLessThan(15_000);
    expect(seeded.scheduleCounts.lessons).toBeGreaterThan(10_000);
    expect(seeded.journalCounts.marks).toBeGreaterThan(5_000);
  });

  it('has a realistic staff: a primary teacher per class of years 1–4, subject teachers with at most 30 lessons a week', async () => {
    const staff = await school.sql<{ position: string; count: string }>(`select position, count(*) from people.staff group by position order by position`);
    const count = (position: string) => n(staff.find((s) => s.position === position)?.count ?? 0);
    expect(count('учитель начальных классов')).toBe(8);
    expect(count('учитель русского языка и литературы')).toBeGreaterThanOrEqual(3);
    expect(count('учитель математики')).toBeGreaterThanOrEqual(4);
    expect(count('учитель английского языка')).toBeGreaterThanOrEqual(3);
    const primaryClassTeachers = await school.sql<{ name: string; position: string }>(
      `select cg.name, s.position from people.class_group cg join people.staff s on s.id = cg.class_teacher_id where cg.year_of_study <= 4`,
    );
    expect(primaryClassTeachers).toHaveLength(8);
    expect(primaryClassTeachers.every((c) => c.position === 'учитель начальных классов')).toBe(true);

    const loads = await school.sql<{ teacher: number; position: string; lessons: string }>(
      `select ta.teacher_staff_id as teacher, s.position, count(*) as lessons
       from schedule.timetable_entry te join schedule.teaching_assignment ta on ta.id = te.teaching_assignment_id join people.staff s on s.id = ta.teacher_staff_id
       group by 1, 2 order by 3 desc`,
    );
    console.log(
      `weekly teacher loads: max ${loads[0]!.lessons} (${loads[0]!.position}), min ${loads[loads.length - 1]!.lessons}, ${loads.length} teachers teach`,
    );
    expect(n(loads[0]!.lessons)).toBeLessThanOrEqual(30);
  });

  it('has no clash of a class, a teacher or a room in any slot', async () => {
    const teacherClashes = await school.sql(
      `select coalesce(l.substitute_staff_id, ta.teacher_staff_id) as teacher, l.date, l.period from schedule.lesson l
       join schedule.teaching_assignment ta on ta.id = l.teaching_assignment_id where l.status = 'SCHEDULED'
       group by 1, 2, 3 having count(*) > 1`,
    );
    const roomClashes = await school.sql(
      `select room, date, period from schedule.lesson where status = 'SCHEDULED' and room is not null group by 1, 2, 3 having count(*) > 1`,
    );
    // Two lessons of one class in a slot only as the two groups of a split class.
    const classClashes = await school.sql(
      `select ta.class_group_id, l.date, l.period from schedule.lesson l join schedule.teaching_assignment ta on ta.id = l.teaching_assignment_id
       where l.status = 'SCHEDULED' group by 1, 2, 3
       having count(*) > 1 and (count(*) filter (where ta.group_name is null) > 0 or count(distinct ta.group_name) < count(*) or count(distinct ta.subject_id) > 1)`,
    );
    expect({ teacherClashes, roomClashes, classClashes }).toEqual({ teacherClashes: [], roomClashes: [], classClashes: [] });
    const split = await school.sql<{ count: string }>(`select count(*) from schedule.teaching_assignment where group_name is not null`);
    expect(n(split[0]!.count)).toBe(14 * 2);
  });

  it('gives every class 20–35 lessons a week, years 1–4 in periods 1–5, Monday to Friday', async () => {
    const weeks = await school.sql<{ name: string; year_of_study: number; lessons: string; last_period: number; last_day: number }>(
      `select cg.name, cg.year_of_study, count(distinct (te.weekday, te.period)) as lessons, max(te.period) as last_period, max(te.weekday) as last_day
       from schedule.timetable_entry te join schedule.teaching_assignment ta on ta.id = te.teaching_assignment_id
       join people.class_group cg on cg.id = ta.class_group_id group by cg.name, cg.year_of_study order by cg.year_of_study, cg.name`,
    );
    expect(weeks).toHaveLength(22);
    for (const w of weeks) {
      expect(n(w.lessons)).toBeGreaterThanOrEqual(20);
      expect(n(w.lessons)).toBeLessThanOrEqual(35);
      expect(n(w.last_day)).toBeLessThanOrEqual(5);
      expect(n(w.last_period)).toBeLessThanOrEqual(w.year_of_study <= 4 ? 5 : 7);
    }
    console.log(`lessons a week: ${weeks.map((w) => `${w.name} ${w.lessons}`).join(', ')}`);
    // Free periods inside a class's day (окна) are rare: at most a few in the whole school.
    const [gaps] = await school.sql<{ gaps: string; days: string }>(
      `select coalesce(sum(last - first + 1 - lessons), 0) as gaps, count(*) as days from (
         select ta.class_group_id, te.weekday, min(te.period) as first, max(te.period) as last, count(distinct te.period) as lessons
         from schedule.timetable_entry te join schedule.teaching_assignment ta on ta.id = te.teaching_assignment_id group by 1, 2) d`,
    );
    console.log(`free periods inside class days: ${gaps!.gaps} over ${gaps!.days} class-days`);
    expect(n(gaps!.gaps)).toBeLessThanOrEqual(5);
  });

  it('lets the demo teacher teach Математика in 5А, 5Б, 6А and 6Б and sign his own entries', async () => {
    const personId = realmUsers().get('s001.teacher')!.attributes!.person_id![0]!;
    const taught = await school.sql<{ name: string; subject: string; lessons: string }>(
      `select cg.name, s.name as subject, count(l.id) as lessons
       from schedule.teaching_assignment ta join people.staff st on st.id = ta.teacher_staff_id and st.person_id = ?
       join people.class_group cg on cg.id = ta.class_group_id join schedule.subject s on s.id = ta.subject_id
       left join schedule.lesson l on l.teaching_assignment_id = ta.id group by 1, 2 order by 1`,
      [personId],
    );
    expect(taught.map((t) => `${t.name} ${t.subject}`)).toEqual(['5А Математика', '5Б Математика', '6А Математика', '6Б Математика']);
    expect(taught.every((t) => n(t.lessons) > 100)).toBe(true);
    const signed = await school.sql<{ entered_by: string; count: string }>(
      `select m.entered_by::text, count(*) from journal.mark m join schedule.lesson_facts f on f.lesson_id = m.lesson_id
       join people.class_group cg on cg.id = f.class_group_id where cg.name = '5А' and f.subject_name = 'Математика' group by 1`,
    );
    expect(signed).toEqual([{ entered_by: personId, count: expect.anything() }]);
    const others = await school.sql<{ entered_by: string }>(`select distinct entered_by::text from journal.mark where entered_by <> ?`, [personId]);
    expect(others).toEqual([{ entered_by: DEMO_LOADER_PERSON_ID }]);
  });

  it('generates every term of the year: each class has exactly its weekly slots on every school day of a term', async () => {
    const calendar = standardCalendar('2026/2027');
    const isHoliday = (d: string) => calendar.holidays.some((h) => d >= h.startDate && d <= h.endDate);
    const weekly = await school.sql<{ class_group_id: number; weekday: number; slots: string }>(
      `select ta.class_group_id, te.weekday, count(distinct te.period) as slots from schedule.timetable_entry te
       join schedule.teaching_assignment ta on ta.id = te.teaching_assignment_id group by 1, 2`,
    );
    const actual = await school.sql<{ class_group_id: number; term: string; lessons: string }>(
      `select ta.class_group_id, t.name as term, count(distinct (l.date, l.period)) as lessons from schedule.lesson l
       join schedule.teaching_assignment ta on ta.id = l.teaching_assignment_id join schedule.term t on t.id = l.term_id group by 1, 2`,
    );
    expect(new Set(actual.map((a) => a.term))).toEqual(new Set(calendar.quarters.map((q) => q.name)));
    for (const q of calendar.quarters) {
      const days: number[] = [];
      for (let d = q.startDate; d <= q.endDate; d = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)) {
        const wd = new Date(`${d}T00:00:00Z`).getUTCDay() || 7;
        if (wd <= 5 && !isHoliday(d)) days.push(wd);
      }
      for (const a of actual.filter((x) => x.term === q.name)) {
        const expected = days.reduce((sum, wd) => sum + n(weekly.find((w) => w.class_group_id === a.class_group_id && w.weekday === wd)?.slots ?? 0), 0);
        expect(n(a.lessons)).toBe(expected);
      }
      const perClass = actual.filter((x) => x.term === q.name).map((x) => n(x.lessons));
      console.log(`${q.name} (${q.startDate}–${q.endDate}, ${days.length} school days): ${Math.min(...perClass)}–${Math.max(...perClass)} lessons per class`);
      expect(Math.min(...perClass)).toBeGreaterThanOrEqual(days.length * 4 * 0.95);
    }
  });

  it('fills every held lesson before today with a topic, and nothing on or after today', async () => {
    const [row] = await school.sql<{
      held: string;
      with_topic: string;
      later_records: string;
      later_marks: string;
      later_attendance: string;
      late_entries: string;
    }>(
      `select (select count(*) from schedule.lesson where status = 'SCHEDULED' and date < ?::date) as held,
              (select count(*) from journal.lesson_record r join schedule.lesson l on l.id = r.lesson_id where r.topic is not null and l.date < ?::date) as with_topic,
              (select count(*) from journal.lesson_record where lesson_date >= ?::date) as later_records,
              (select count(*) from journal.mark where lesson_date >= ?::date) as later_marks,
              (select count(*) from journal.attendance where lesson_date >= ?::date) as later_attendance,
              (select count(*) from journal.mark where entered_at >= (?::date::timestamp at time zone 'Europe/Moscow')) as late_entries`,
      [TODAY, TODAY, TODAY, TODAY, TODAY, TODAY],
    );
    expect(n(row!.held)).toBe(seeded.journalCounts.records);
    expect(n(row!.with_topic)).toBe(n(row!.held));
    expect([n(row!.later_records), n(row!.later_marks), n(row!.later_attendance), n(row!.late_entries)]).toEqual([0, 0, 0, 0]);
    const samples = await school.sql<{ subject_name: string; topic: string; homework: string | null }>(
      `select f.subject_name, r.topic, r.homework from journal.lesson_record r join schedule.lesson_facts f on f.lesson_id = r.lesson_id
       join people.class_group cg on cg.id = f.class_group_id where cg.name = '5А' and f.date = '2026-11-26' order by f.period`,
    );
    console.log(`5А on 26.11.2026:\n${samples.map((s) => `  ${s.subject_name}: ${s.topic} — ДЗ: ${s.homework ?? '—'}`).join('\n')}`);
    expect(samples.length).toBeGreaterThanOrEqual(5);
  });

  it('gives year-1 classes no marks and no homework (ungraded year)', async () => {
    const [row] = await school.sql<{ marks: string; homework: string; records: string }>(
      `select (select count(*) from journal.mark m join schedule.lesson_facts f on f.lesson_id = m.lesson_id join people.class_group cg on cg.id = f.class_group_id where cg.year_of_study = 1) as marks,
              (select count(*) from journal.lesson_record r join schedule.lesson_facts f on f.lesson_id = r.lesson_id join people.class_group cg on cg.id = f.class_group_id where cg.year_of_study = 1 and r.homework is not null) as homework,
              (select count(*) from journal.lesson_record r join schedule.lesson_facts f on f.lesson_id = r.lesson_id join people.class_group cg on cg.id = f.class_group_id where cg.year_of_study = 1) as records`,
    );
    expect([n(row!.marks), n(row!.homework)]).toEqual([0, 0]);
    expect(n(row!.records)).toBeGreaterThan(300);
  });

  it('has a plausible mark distribution, coverage, forms of control and weights', async () => {
    const values = await school.sql<{ value: string; count: string }>(`select value, count(*) from journal.mark group by value order by value`);
    const count = (v: string) => n(values.find((x) => x.value === v)?.count ?? 0);
    const numeric = ['1', '2', '3', '4', '5'].reduce((s, v) => s + count(v), 0);
    const share = (v: string) => count(v) / numeric;
    console.log(
      `marks: ${values.map((v) => `${v.value}: ${v.count}`).join(', ')}; 4+5 ${((share('4') + share('5')) * 100).toFixed(1)}%, 2 ${(share('2') * 100).toFixed(1)}%, 1 ${(share('1') * 100).toFixed(2)}%`,
    );
    expect(share('4') + share('5')).toBeGreaterThan(0.55);
    expect(share('4') + share('5')).toBeLessThan(0.8);
    expect(share('2')).toBeLessThan(0.12);
    expect(share('2')).toBeGreaterThan(0.01);
    expect(share('1')).toBeLessThan(0.01);
    expect(count('PASS')).toBeGreaterThan(0);
    expect(count('PASS')).toBeGreaterThan(count('FAIL') * 10);

    // Pass/fail only for ОРКСЭ; numeric marks never there.
    const wrongScale = await school.sql(
      `select m.id from journal.mark m join schedule.lesson_facts f on f.lesson_id = m.lesson_id
       where (f.grading = 'PASS_FAIL') <> (m.value in ('PASS', 'FAIL')) or f.grading = 'NONE'`,
    );
    expect(wrongScale).toEqual([]);

    const [coverage] = await school.sql<{ marked: string; all_pairs: string; ordinary_marked: string; ordinary_pairs: string }>(
      `with graded as (select f.lesson_id from schedule.lesson_facts f where f.grading = 'MARKS' and f.status = 'SCHEDULED' and f.date < ?::date),
            tests as (select lesson_id from journal.lesson_record where topic ~ '^(Контрольн|Сочинение по теме)')
       select (select count(distinct (m.lesson_id, m.student_id)) from journal.mark m join graded g using (lesson_id)) as marked,
              (select count(*) from schedule.lesson_students ls join graded g using (lesson_id)) as all_pairs,
              (select count(distinct (m.lesson_id, m.student_id)) from journal.mark m join graded g using (lesson_id) where m.lesson_id not in (select lesson_id from tests)) as ordinary_marked,
              (select count(*) from schedule.lesson_students ls join graded g using (lesson_id) where ls.lesson_id not in (select lesson_id from tests)) as ordinary_pairs`,
      [TODAY],
    );
    const overall = n(coverage!.marked) / n(coverage!.all_pairs);
    const ordinary = n(coverage!.ordinary_marked) / n(coverage!.ordinary_pairs);
    console.log(
      `coverage: ${(overall * 100).toFixed(1)}% of student-lessons marked (${(ordinary * 100).toFixed(1)}% on ordinary lessons, the rest from control works)`,
    );
    expect(overall).toBeGreaterThan(0.2);
    expect(overall).toBeLessThan(0.35);
    expect(ordinary).toBeGreaterThan(0.18);
    expect(ordinary).toBeLessThan(0.28);

    const forms = await school.sql<{ code: string; count: string }>(
      `select cf.code, count(*) from journal.mark m join journal.control_form cf on cf.id = m.control_form_id group by 1 order by 2 desc`,
    );
    console.log(`forms of control: ${forms.map((f) => `${f.code} ${f.count}`).join(', ')}`);
    const forms1 = forms.map((f) => f.code);
    expect(forms1[0]).toBe('ORAL');
    expect(forms1).toEqual(expect.arrayContaining(['HOMEWORK', 'INDEPENDENT', 'CHECK', 'TEST', 'CREDIT']));
    const wrongWeight = await school.sql(
      `select m.id from journal.mark m join journal.control_form cf on cf.id = m.control_form_id where m.weight <> cf.weight`,
    );
    expect(wrongWeight).toEqual([]);

    // A control work (контрольная / диктант) for the whole class about every three weeks per class and subject.
    const perCourse = await school.sql<{ subject_name: string; tests: string; lessons: string }>(
      `select f.subject_name, f.teaching_assignment_id, count(*) filter (where r.topic ~ '^(Контрольн|Сочинение по теме)') as tests, count(*) as lessons
       from schedule.lesson_facts f join journal.lesson_record r on r.lesson_id = f.lesson_id
       where f.grading = 'MARKS' and f.subject_name not in ('Физическая культура', 'Музыка', 'ИЗО', 'Технология')
       group by 1, 2`,
    );
    const tests = perCourse.map((c) => n(c.tests));
    console.log(
      `control works per class and subject since 1 September: ${Math.min(...tests)}–${Math.max(...tests)} (mean ${(tests.reduce((a, b) => a + b, 0) / tests.length).toFixed(1)})`,
    );
    expect(Math.min(...tests)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...tests)).toBeLessThanOrEqual(5);
    const partial = await school.sql<{ lesson_id: number; marked: string; present: string }>(
      `with t as (select lesson_id from journal.lesson_record where topic ~ '^(Контрольн|Сочинение по теме)')
       select t.lesson_id, (select count(distinct student_id) from journal.mark m where m.lesson_id = t.lesson_id) as marked,
              (select count(*) from schedule.lesson_students ls where ls.lesson_id = t.lesson_id
                 and not exists (select 1 from journal.attendance a where a.lesson_id = t.lesson_id and a.student_id = ls.student_id and a.code <> 'LATE')) as present
       from t`,
    );
    expect(partial.length).toBeGreaterThan(100);
    expect(partial.filter((p) => n(p.marked) !== n(p.present))).toEqual([]);
  });

  it('has plausible attendance: ~4% absent (illness in streaks of 2–5 school days), ~1.5% late', async () => {
    const [pairs] = await school.sql<{ count: string }>(
      `select count(*) from schedule.lesson_students ls join schedule.lesson l on l.id = ls.lesson_id where l.status = 'SCHEDULED' and l.date < ?::date`,
      [TODAY],
    );
    const codes = await school.sql<{ code: string; count: string }>(`select code, count(*) from journal.attendance group by code`);
    const share = (...c: string[]) => codes.filter((x) => c.includes(x.code)).reduce((s, x) => s + n(x.count), 0) / n(pairs!.count);
    console.log(
      `attendance over ${pairs!.count} student-lessons: ${codes.map((c) => `${c.code} ${c.count}`).join(', ')}; absent ${(share('ABSENT', 'ILL', 'EXCUSED') * 100).toFixed(2)}%, late ${(share('LATE') * 100).toFixed(2)}%`,
    );
    expect(share('ABSENT', 'ILL', 'EXCUSED')).toBeGreaterThan(0.025);
    expect(share('ABSENT', 'ILL', 'EXCUSED')).toBeLessThan(0.06);
    expect(share('LATE')).toBeGreaterThan(0.008);
    expect(share('LATE')).toBeLessThan(0.025);
    expect(share('ILL')).toBeGreaterThan(share('ABSENT'));

    // An ill student is ill for every lesson of the day, and for at least two school days in a row.
    const days = await school.sql<{ student_id: number; date: string; ill: boolean; partial: boolean }>(
      `select ls.student_id, l.date::text as date, bool_or(a.code = 'ILL') as ill, bool_or(a.code = 'ILL') and not bool_and(coalesce(a.code = 'ILL', false)) as partial
       from schedule.lesson_students ls join schedule.lesson l on l.id = ls.lesson_id
       left join journal.attendance a on a.lesson_id = l.id and a.student_id = ls.student_id
       where l.status = 'SCHEDULED' and l.date < ?::date group by 1, 2 order by 1, 2`,
      [TODAY],
    );
    expect(days.filter((d) => d.partial)).toEqual([]);
    let illDays = 0;
    let lonely = 0;
    days.forEach((d, i) => {
      if (!d.ill) return;
      illDays++;
      const prev = days[i - 1];
      const next = days[i + 1];
      const neighbour = (x: typeof d | undefined) => x !== undefined && x.student_id === d.student_id && x.ill;
      const edge = !next || next.student_id !== d.student_id;
      if (!neighbour(prev) && !neighbour(next) && !edge) lonely++;
    });
    expect(illDays).toBeGreaterThan(50);
    expect(lonely).toBe(0);
  });

  it('records plausible entry times, with delays consistent with them', async () => {
    const [m] = await school.sql<{ total: string; inconsistent: string; same_day: string }>(
      `select count(*) as total,
              count(*) filter (where m.delay_minutes <> floor(extract(epoch from m.entered_at - ((f.date + f.end_time) at time zone 'Europe/Moscow')) / 60)) as inconsistent,
              count(*) filter (where (m.entered_at at time zone 'Europe/Moscow')::date = m.lesson_date) as same_day
       from journal.mark m join schedule.lesson_facts f on f.lesson_id = m.lesson_id`,
    );
    const [a] = await school.sql<{ total: string; inconsistent: string; same_day: string }>(
      `select count(*) as total,
              count(*) filter (where a.delay_minutes <> floor(extract(epoch from a.entered_at - ((f.date + f.end_time) at time zone 'Europe/Moscow')) / 60)) as inconsistent,
              count(*) filter (where (a.entered_at at time zone 'Europe/Moscow')::date = a.lesson_date) as same_day
       from journal.attendance a join schedule.lesson_facts f on f.lesson_id = a.lesson_id`,
    );
    const [r] = await school.sql<{
      total: string;
      inconsistent: string;
      topic_same_day: string;
      with_homework: string;
      homework_in_hour: string;
      homework_next_day: string;
      graded_years_records: string;
      graded_years_homework: string;
    }>(
      `with last as (select class_group_id, date, max(end_time) as end_time from schedule.lesson_facts where status = 'SCHEDULED' group by 1, 2)
       select count(*) as total,
              count(*) filter (where r.topic_delay_minutes <> floor(extract(epoch from r.topic_entered_at - ((f.date + f.end_time) at time zone 'Europe/Moscow')) / 60)
                                  or r.homework_delay_minutes <> floor(extract(epoch from r.homework_entered_at - ((f.date + f.end_time) at time zone 'Europe/Moscow')) / 60)
                                  or (r.homework is null) <> (r.homework_entered_at is null)
                                  or r.updated_at <> greatest(r.topic_entered_at, r.homework_entered_at)) as inconsistent,
              count(*) filter (where (r.topic_entered_at at time zone 'Europe/Moscow')::date = r.lesson_date) as topic_same_day,
              count(r.homework) as with_homework,
              count(*) filter (where r.homework_entered_at <= ((f.date + last.end_time) at time zone 'Europe/Moscow') + interval '1 hour') as homework_in_hour,
              count(*) filter (where (r.homework_entered_at at time zone 'Europe/Moscow')::date > r.lesson_date) as homework_next_day,
              count(*) filter (where cg.year_of_study > 1) as graded_years_records,
              count(r.homework) filter (where cg.year_of_study > 1) as graded_years_homework
       from journal.lesson_record r join schedule.lesson_facts f on f.lesson_id = r.lesson_id
       join people.class_group cg on cg.id = f.class_group_id
       join last on last.class_group_id = f.class_group_id and last.date = f.date`,
    );
    expect([n(m!.inconsistent), n(a!.inconsistent), n(r!.inconsistent)]).toEqual([0, 0, 0]);
    const pct = (x: unknown, of: unknown) => (n(x) / n(of)) * 100;
    console.log(
      `timeliness: marks same day ${pct(m!.same_day, m!.total).toFixed(1)}%, attendance same day ${pct(a!.same_day, a!.total).toFixed(1)}%, ` +
        `topics same day ${pct(r!.topic_same_day, r!.total).toFixed(1)}%, homework on ${pct(r!.graded_years_homework, r!.graded_years_records).toFixed(1)}% of lessons of years 2–11 ` +
        `(${pct(r!.with_homework, r!.total).toFixed(1)}% of all), within an hour after the class's last lesson ${pct(r!.homework_in_hour, r!.with_homework).toFixed(1)}%, next day ${pct(r!.homework_next_day, r!.with_homework).toFixed(1)}%`,
    );
    expect(pct(m!.same_day, m!.total)).toBeGreaterThan(85);
    expect(pct(m!.same_day, m!.total)).toBeLessThan(97);
    expect(pct(a!.same_day, a!.total)).toBeGreaterThan(90);
    expect(pct(r!.topic_same_day, r!.total)).toBeGreaterThan(90);
    expect(pct(r!.graded_years_homework, r!.graded_years_records)).toBeGreaterThan(80);
    expect(pct(r!.graded_years_homework, r!.graded_years_records)).toBeLessThan(92);
    expect(pct(r!.homework_in_hour, r!.with_homework)).toBeGreaterThan(75);
    expect(pct(r!.homework_next_day, r!.with_homework)).toBeGreaterThan(5);
    expect(pct(r!.homework_next_day, r!.with_homework)).toBeLessThan(15);
  });

  it('writes exactly one audit row for the import, and the chain verifies', async () => {
    const rows = await school.sql<{ entity: string; action: string; new: Record<string, number>; actor: string }>(
      `select entity, action, new, actor::text from journal.audit`,
    );
    expect(rows).toEqual([{ entity: 'IMPORT', action: 'DEMO_HISTORY', new: seeded.journalCounts, actor: DEMO_LOADER_PERSON_ID }]);
    const verification = await new AuditLog('journal').verify(school.journal.em());
    expect(verification).toMatchObject({ ok: true, rowsChecked: 1 });
  });

  it('adds nothing when run again', async () => {
    const countsSql = `select (select count(*) from people.staff) as staff, (select count(*) from people.student) as students,
      (select count(*) from schedule.lesson) as lessons, (select count(*) from schedule.teaching_assignment) as assignments,
      (select count(*) from schedule.timetable_entry) as entries, (select count(*) from journal.mark) as marks,
      (select count(*) from journal.attendance) as attendance, (select count(*) from journal.lesson_record) as records, (select count(*) from journal.audit) as audit`;
    const [before] = await school.sql(countsSql);
    const again = await seedAll(school);
    const [after] = await school.sql(countsSql);
    expect(after).toEqual(before);
    expect(again.scheduleCounts).toEqual(seeded.scheduleCounts);
    expect(again.journalCounts).toEqual(seeded.journalCounts);
  }, 60_000);
});

describe('demo data: determinism', () => {
  it('seeds the same data for the same school and date in another database', async () => {
    const fingerprint = async (school: School) => {
      const [row] = await school.sql<Record<string, string>>(
        `select (select md5(string_agg(concat_ws(',', ta.class_group_id, ta.subject_id, ta.teacher_staff_id, ta.group_name, te.weekday, te.period, te.room), ';' order by te.id))
                 from schedule.timetable_entry te join schedule.teaching_assignment ta on ta.id = te.teaching_assignment_id) as timetable,
                (select md5(string_agg(concat_ws(',', lesson_id, topic, homework, topic_entered_at, homework_entered_at), ';' order by lesson_id)) from journal.lesson_record) as records,
                (select md5(string_agg(concat_ws(',', lesson_id, student_id, value, control_form_id, entered_at), ';' order by id)) from journal.mark) as marks,
                (select md5(string_agg(concat_ws(',', lesson_id, student_id, code, entered_at), ';' order by id)) from journal.attendance) as attendance`,
      );
      return row;
    };
    const schools = [await startSchool('demo_det_a'), await startSchool('demo_det_b')];
    try {
      for (const school of schools) await seedAll(school);
      expect(await fingerprint(schools[1]!)).toEqual(await fingerprint(schools[0]!));
    } finally {
      for (const school of schools) {
        await school.close();
        await school.drop();
      }
    }
  }, 240_000);
});
