import { eachDate, isoWeekday } from '../src/dates';
import { codes, startScheduleWorld, type ScheduleWorld } from './schedule-test-world';

let world: ScheduleWorld;
beforeAll(async () => {
  world = await startScheduleWorld();
});
afterAll(async () => {
  await world?.close();
});

const GENERATE = `mutation($termId: ID!) { generateLessons(termId: $termId) { created existing term { name startDate endDate } } }`;

/*
 * What the test world's timetable puts on each weekday for years 1–9 (5А, 6Б, 1А), written out
 * by hand from its description: Пн 5А maths, 5А English ×2 groups, 6Б maths, 6Б Russian; Вт 5А Russian;
 * Ср 5А maths, 1А; Чт 5А Russian, 5А English ×2; Пт 5А maths; Сб 6Б maths. Years 10–11: Вт 10А algebra.
 */
const JUNIOR_SLOTS_BY_WEEKDAY: Record<number, number> = { 1: 5, 2: 1, 3: 2, 4: 3, 5: 1, 6: 1, 7: 0 };
const SENIOR_SLOTS_BY_WEEKDAY: Record<number, number> = { 1: 0, 2: 1, 3: 0, 4: 0, 5: 0, 6: 0, 7: 0 };

/** Days off of 2026/2027 as a school calendar lists them (not taken from the seed). */
const DAYS_OFF = [
  ...eachDate('2026-10-24', '2026-11-01'),
  '2026-11-04',
  ...eachDate('2026-12-30', '2027-01-10'),
  '2027-02-23',
  '2027-03-08',
  ...eachDate('2027-03-20', '2027-03-28'),
  '2027-05-01',
  '2027-05-03',
  '2027-05-09',
  '2027-05-10',
];

function expectedLessons(from: string, to: string, slots: Record<number, number>): number {
  return eachDate(from, to)
    .filter((d) => !DAYS_OFF.includes(d))
    .reduce((sum, d) => sum + slots[isoWeekday(d)]!, 0);
}

describe('generating a term’s lessons', () => {
  it('the second quarter (02.11–29.12, 4 November off): exactly the timetable’s slots on school days', async () => {
    const q2 = world.plan.calendar.quarters[1]!;
    const before = await world.counts();
    const expected = expectedLessons('2026-11-02', '2026-12-29', JUNIOR_SLOTS_BY_WEEKDAY);
    // 8 full weeks (02.11–27.12) of 13 slots, minus Wednesday 4 November (2), plus Mon 28 and Tue 29 December (5 + 1)
    expect(expected).toBe(8 * 13 - 2 + 6);

    const answer = await world.gql('s001.deputy', GENERATE, { termId: world.id('Term', q2.id) });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.generateLessons).toEqual({
      created: expected,
      existing: 0,
      term: { name: '2 четверть', startDate: '2026-11-02', endDate: '2026-12-29' },
    });
    expect(await world.counts()).toEqual({ ...before, lessons: before.lessons + expected, lessonVersions: before.lessonVersions + expected });

    const perDay = await world.sql<{ date: string; n: string }>(
      `select date, count(*) as n from schedule.lesson where term_id = ? group by date order by date`,
      [q2.id],
    );
    expect(perDay.map((r) => r.date)).not.toContain('2026-11-04');
    expect(perDay.every((r) => isoWeekday(r.date) !== 7)).toBe(true);
    expect(perDay.find((r) => r.date === '2026-11-02')).toEqual({ date: '2026-11-02', n: '5' });
    expect(perDay.find((r) => r.date === '2026-11-07')).toEqual({ date: '2026-11-07', n: '1' }); // Saturday: 6Б maths
  });

  it('is idempotent: a second run creates nothing and reports every slot as existing', async () => {
    const q2 = world.plan.calendar.quarters[1]!;
    const before = await world.counts();
    const answer = await world.gql('s001.director', GENERATE, { termId: world.id('Term', q2.id) });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.generateLessons).toMatchObject({ created: 0, existing: 8 * 13 - 2 + 6 });
    expect(await world.counts()).toEqual(before);
  });

  it('copies times from the bell schedule and rooms from the timetable; the term covers only its years of study', async () => {
    const rows = await world.sql(
      `select l.date, l.period, l.start_time, l.end_time, l.room, l.status, l.substitute_staff_id, l.version from schedule.lesson l
       where l.teaching_assignment_id = ? order by l.date limit 2`,
      [world.plan.english5A2.id],
    );
    expect(rows).toEqual([
      { date: '2026-11-02', period: 3, start_time: '10:30:00', end_time: '11:15:00', room: '306', status: 'SCHEDULED', substitute_staff_id: null, version: 1 },
      { date: '2026-11-05', period: 4, start_time: '11:35:00', end_time: '12:20:00', room: '306', status: 'SCHEDULED', substitute_staff_id: null, version: 1 },
    ]);
    const [tenth] = await world.sql<{ n: string }>(`select count(*) as n from schedule.lesson where teaching_assignment_id = ?`, [world.plan.algebra10A.id]);
    expect(tenth!.n).toBe('0');
  });

  it('the first quarter (01.09–23.10) has no holidays inside: every weekday of the timetable', async () => {
    const q1 = world.plan.calendar.quarters[0]!;
    const expected = expectedLessons('2026-09-01', '2026-10-23', JUNIOR_SLOTS_BY_WEEKDAY);
    // 01.09 is a Tuesday: weeks of 13 from 07.09 to 18.10 (6 weeks), the rest counted by day
    expect(expected).toBe(1 + 2 + 3 + 1 + 1 + 6 * 13 + 5 + 1 + 2 + 3 + 1);
    const answer = await world.gql('s001.deputy', GENERATE, { termId: world.id('Term', q1.id) });
    expect(answer.data!.generateLessons).toMatchObject({ created: expected, existing: 0 });
  });

  it('the first half-year covers 10А only (Tuesdays from 01.09 to 29.12 outside holidays)', async () => {
    const h1 = world.plan.calendar.halfYears[0]!;
    const expected = expectedLessons('2026-09-01', '2026-12-29', SENIOR_SLOTS_BY_WEEKDAY);
    // 18 Tuesdays from 01.09 to 29.12, minus 27.10 in the autumn holidays
    expect(expected).toBe(17);
    const answer = await world.gql('s001.deputy', GENERATE, { termId: world.id('Term', h1.id) });
    expect(answer.data!.generateLessons).toMatchObject({ created: 17, existing: 0 });
    const [row] = await world.sql<{ n: string; first: string; last: string }>(
      `select count(*) as n, min(date) as first, max(date) as last from schedule.lesson where term_id = ?`,
      [h1.id],
    );
    expect(row).toEqual({ n: '17', first: '2026-09-01', last: '2026-12-29' });
  });

  it('a teacher or a parent may not generate lessons (FORBIDDEN, nothing written)', async () => {
    const q3 = world.plan.calendar.quarters[2]!;
    for (const user of ['s001.teacher', 's001.parent', 'district.admin']) {
      const before = await world.counts();
      const answer = await world.gql(user, GENERATE, { termId: world.id('Term', q3.id) });
      expect(codes(answer)).toEqual(['FORBIDDEN']);
      expect(answer.data).toBeNull();
      expect(await world.counts()).toEqual(before);
    }
  });

  it('an unknown term is NOT_FOUND; a term of another school is NOT_FOUND; a malformed id is BAD_USER_INPUT', async () => {
    expect(codes(await world.gql('s001.deputy', GENERATE, { termId: world.id('Term', 999999) }))).toEqual(['NOT_FOUND']);
    expect(codes(await world.gql('s001.deputy', GENERATE, { termId: Buffer.from('Term:s002:1').toString('base64url') }))).toEqual(['NOT_FOUND']);
    expect(codes(await world.gql('s001.deputy', GENERATE, { termId: 'nonsense' }))).toEqual(['BAD_USER_INPUT']);
  });

  it('a closed term is not generated (CONFLICT, nothing written)', async () => {
    const q4 = world.plan.calendar.quarters[3]!;
    const closed = await world.gql('s001.deputy', `mutation($id: ID!) { closeTerm(id: $id, version: 1) { closed version } }`, { id: world.id('Term', q4.id) });
    expect(closed.data!.closeTerm).toEqual({ closed: true, version: 2 });
    const before = await world.counts();
    const answer = await world.gql('s001.deputy', GENERATE, { termId: world.id('Term', q4.id) });
    expect(codes(answer)).toEqual(['CONFLICT']);
    expect(await world.counts()).toEqual(before);
  });

  it('a lesson moved away from its slot is not generated again there', async () => {
    const q2 = world.plan.calendar.quarters[1]!;
    const [lesson] = await world.sql<{ id: number; version: number }>(
      `select id, version from schedule.lesson where teaching_assignment_id = ? and date = '2026-11-06'`,
      [world.plan.maths5A.id],
    );
    const moved = await world.gql(
      's001.deputy',
      `mutation($id: ID!, $v: Int!) { moveLesson(lessonId: $id, date: "2026-11-07", period: 3, room: null, reason: "Учитель на курсах", version: $v) { date period } }`,
      { id: world.id('Lesson', lesson!.id), v: lesson!.version },
    );
    expect(moved.errors).toBeUndefined();
    expect(moved.data!.moveLesson).toEqual({ date: '2026-11-07', period: 3 });
    const before = await world.counts();
    const again = await world.gql('s001.deputy', GENERATE, { termId: world.id('Term', q2.id) });
    expect(again.data!.generateLessons).toMatchObject({ created: 0, existing: 8 * 13 - 2 + 6 });
    expect(await world.counts()).toEqual(before);
    const friday = await world.sql(`select id from schedule.lesson where teaching_assignment_id = ? and date = '2026-11-06'`, [world.plan.maths5A.id]);
    expect(friday).toEqual([]);
  });
});
