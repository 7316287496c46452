import { startScheduleWorld, type ScheduleWorld } from './schedule-test-world';

/*
 * The read model schedule publishes for the journal service (schedule.lesson_facts,
 * schedule.lesson_students, schedule.term_facts, schedule.assignment_facts): read
 * here with plain SQL, exactly as journal will.
 */
let world: ScheduleWorld;
beforeAll(async () => {
  world = await startScheduleWorld();
  for (const term of [world.plan.calendar.quarters[0]!, world.plan.calendar.halfYears[0]!]) {
    const answer = await world.gql('s001.deputy', `mutation($t: ID!) { generateLessons(termId: $t) { created } }`, { t: world.id('Term', term.id) });
    expect(answer.errors).toBeUndefined();
  }
});
afterAll(async () => {
  await world?.close();
});

async function columns(view: string): Promise<string[]> {
  const rows = await world.sql<{ column_name: string }>(
    `select column_name from information_schema.columns where table_schema = 'schedule' and table_name = ? order by ordinal_position`,
    [view],
  );
  return rows.map((r) => r.column_name);
}

async function lessonId(assignmentId: number, date: string): Promise<number> {
  const [row] = await world.sql<{ id: number }>(`select id from schedule.lesson where teaching_assignment_id = ? and date = ?`, [assignmentId, date]);
  return row!.id;
}

async function studentsOf(lesson: number): Promise<number[]> {
  const rows = await world.sql<{ student_id: number }>(`select student_id from schedule.lesson_students where lesson_id = ? order by student_id`, [lesson]);
  return rows.map((r) => r.student_id);
}

const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

describe('the published views keep their names and columns', () => {
  it.each([
    [
      'lesson_facts',
      [
        'lesson_id',
        'date',
        'period',
        'start_time',
        'end_time',
        'class_group_id',
        'subject_id',
        'subject_name',
        'grading',
        'teacher_staff_id',
        'substitute_staff_id',
        'status',
        'term_id',
        'term_closed',
        'group_name',
        'teaching_assignment_id',
        'room',
      ],
    ],
    ['lesson_students', ['lesson_id', 'student_id']],
    ['term_facts', ['term_id', 'academic_year_id', 'name', 'start_date', 'end_date', 'closed', 'years_from', 'years_to', 'kind', 'number']],
    [
      'assignment_facts',
      ['teaching_assignment_id', 'academic_year_id', 'class_group_id', 'subject_id', 'subject_name', 'grading', 'teacher_staff_id', 'group_name'],
    ],
  ])('schedule.%s', async (view, expected) => {
    expect(await columns(view)).toEqual(expected);
  });
});

describe('schedule.lesson_facts', () => {
  it('one row per lesson with everything journal needs', async () => {
    const [{ n: lessons }] = (await world.sql<{ n: string }>(`select count(*) as n from schedule.lesson`)) as [{ n: string }];
    const [{ n: facts }] = (await world.sql<{ n: string }>(`select count(*) as n from schedule.lesson_facts`)) as [{ n: string }];
    expect(facts).toBe(lessons);

    const id = await lessonId(world.plan.english5A1.id, '2026-09-07');
    const [row] = await world.sql(`select * from schedule.lesson_facts where lesson_id = ?`, [id]);
    const { roster, plan } = world;
    expect(row).toEqual({
      lesson_id: id,
      date: '2026-09-07',
      period: 3,
      start_time: '10:30:00',
      end_time: '11:15:00',
      class_group_id: roster.class5A,
      subject_id: plan.english5A1.subjectId,
      subject_name: 'Английский язык',
      grading: 'MARKS',
      teacher_staff_id: roster.kuznetsov,
      substitute_staff_id: null,
      status: 'SCHEDULED',
      term_id: plan.calendar.quarters[0]!.id,
      term_closed: false,
      group_name: 'Английский, гр. 1',
      teaching_assignment_id: plan.english5A1.id,
      room: '305',
    });
  });

  it('year 1 is ungraded (NONE) whatever the subject says; 10А lessons belong to the half-year', async () => {
    const grading = await world.sql<{ class_group_id: number; grading: string; n: string }>(
      `select class_group_id, grading, count(*) as n from schedule.lesson_facts group by class_group_id, grading order by class_group_id`,
    );
    expect(grading.find((g) => g.class_group_id === world.roster.class1A)).toEqual({ class_group_id: world.roster.class1A, grading: 'NONE', n: '8' });
    expect(grading.filter((g) => g.class_group_id !== world.roster.class1A).every((g) => g.grading === 'MARKS')).toBe(true);
    const [tenth] = await world.sql<{ term_id: number }>(`select distinct term_id from schedule.lesson_facts where class_group_id = ?`, [
      world.roster.class10A,
    ]);
    expect(tenth!.term_id).toBe(world.plan.calendar.halfYears[0]!.id);
  });

  it('follows substitutions, cancellations and a closed term', async () => {
    const id = await lessonId(world.plan.maths5A.id, '2026-09-07');
    const sub = await world.gql(
      's001.deputy',
      `mutation($id: ID!, $s: ID!) { substituteLesson(lessonId: $id, substituteStaffId: $s, reason: "болезнь", version: 1) { version } }`,
      {
        id: world.id('Lesson', id),
        s: world.id('Staff', world.roster.volkov),
      },
    );
    expect(sub.errors).toBeUndefined();
    const cancelled = await lessonId(world.plan.maths5A.id, '2026-09-09');
    expect(
      (
        await world.gql('s001.deputy', `mutation($id: ID!) { cancelLesson(lessonId: $id, reason: "карантин", version: 1) { version } }`, {
          id: world.id('Lesson', cancelled),
        })
      ).errors,
    ).toBeUndefined();
    expect(
      await world.sql(`select lesson_id, teacher_staff_id, substitute_staff_id, status from schedule.lesson_facts where lesson_id in (?) order by date`, [
        [id, cancelled],
      ]),
    ).toEqual([
      { lesson_id: id, teacher_staff_id: world.roster.petrov, substitute_staff_id: world.roster.volkov, status: 'SCHEDULED' },
      { lesson_id: cancelled, teacher_staff_id: world.roster.petrov, substitute_staff_id: null, status: 'CANCELLED' },
    ]);

    const h1 = world.plan.calendar.halfYears[0]!;
    expect(
      (await world.gql('s001.director', `mutation($id: ID!) { closeTerm(id: $id, version: 1) { closed } }`, { id: world.id('Term', h1.id) })).errors,
    ).toBeUndefined();
    // the first half-year has 10А's 17 lessons; the first quarter's 98 stay open
    const closed = await world.sql<{ term_closed: boolean; n: string }>(
      `select term_closed, count(*) as n from schedule.lesson_facts group by term_closed order by term_closed`,
    );
    expect(closed).toEqual([
      { term_closed: false, n: '98' },
      { term_closed: true, n: '17' },
    ]);
    const [term] = await world.sql(`select * from schedule.term_facts where term_id = ?`, [h1.id]);
    expect(term).toEqual({
      term_id: h1.id,
      academic_year_id: world.plan.calendar.year.id,
      name: '1 полугодие',
      start_date: '2026-09-01',
      end_date: '2026-12-29',
      closed: true,
      years_from: 10,
      years_to: 11,
      kind: 'half_year',
      number: 1,
    });
  });
});

describe('schedule.lesson_students', () => {
  it('a whole-class lesson lists the class enrolled on its date', async () => {
    const r = world.roster;
    expect(await studentsOf(await lessonId(world.plan.maths5A.id, '2026-09-30'))).toEqual(sorted([r.smirnov, r.abramova, r.elkin, r.gusev]));
    // from 1 October Гусев is in 6Б and Новикова in 5А
    expect(await studentsOf(await lessonId(world.plan.maths5A.id, '2026-10-02'))).toEqual(sorted([r.smirnov, r.abramova, r.elkin, r.novikova]));
    expect(await studentsOf(await lessonId(world.plan.maths6B.id, '2026-10-03'))).toEqual(sorted([r.smirnova, r.sidorov, r.gusev]));
  });

  it('a split-class lesson lists only its group’s students, enrolled on that date', async () => {
    const r = world.roster;
    expect(await studentsOf(await lessonId(world.plan.english5A1.id, '2026-09-28'))).toEqual(sorted([r.smirnov, r.abramova]));
    expect(await studentsOf(await lessonId(world.plan.english5A2.id, '2026-09-28'))).toEqual(sorted([r.elkin, r.gusev]));
    expect(await studentsOf(await lessonId(world.plan.english5A1.id, '2026-10-05'))).toEqual(sorted([r.smirnov, r.abramova, r.novikova]));
    expect(await studentsOf(await lessonId(world.plan.english5A2.id, '2026-10-05'))).toEqual([r.elkin]);
  });

  it('a student’s lessons of a week, as journal’s diary will ask', async () => {
    const rows = await world.sql<{ date: string; period: number; subject_name: string; group_name: string | null }>(
      `select f.date, f.period, f.subject_name, f.group_name from schedule.lesson_students s join schedule.lesson_facts f on f.lesson_id = s.lesson_id
       where s.student_id = ? and f.date between '2026-10-05' and '2026-10-11' order by f.date, f.period`,
      [world.roster.elkin],
    );
    expect(rows.map((r) => `${r.date} ${r.period} ${r.subject_name}${r.group_name ? ' ' + r.group_name : ''}`)).toEqual([
      '2026-10-05 1 Математика',
      '2026-10-05 3 Английский язык Английский, гр. 2',
      '2026-10-06 1 Русский язык',
      '2026-10-07 2 Математика',
      '2026-10-08 1 Русский язык',
      '2026-10-08 4 Английский язык Английский, гр. 2',
      '2026-10-09 1 Математика',
    ]);
  });
});
