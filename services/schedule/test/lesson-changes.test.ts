import { codes, type GraphQLAnswer, startScheduleWorld, type ScheduleWorld } from './schedule-test-world';

let world: ScheduleWorld;
beforeAll(async () => {
  world = await startScheduleWorld();
  const q1 = world.plan.calendar.quarters[0]!;
  const generated = await world.gql('s001.deputy', `mutation($t: ID!) { generateLessons(termId: $t) { created } }`, { t: world.id('Term', q1.id) });
  expect(generated.data!.generateLessons.created).toBeGreaterThan(0);
});
afterAll(async () => {
  await world?.close();
});

const LESSON_FIELDS = `id date period startTime endTime room status version groupName substitute { id } teacher { id }
  changes { kind reason changedBy before { date period room status substitute { id } } after { date period startTime endTime room status substitute { id } } }`;
const SUBSTITUTE = `mutation($id: ID!, $staff: ID, $reason: String!, $v: Int!) { substituteLesson(lessonId: $id, substituteStaffId: $staff, reason: $reason, version: $v) { ${LESSON_FIELDS} } }`;
const CANCEL = `mutation($id: ID!, $reason: String!, $v: Int!) { cancelLesson(lessonId: $id, reason: $reason, version: $v) { ${LESSON_FIELDS} } }`;
const MOVE = `mutation($id: ID!, $date: String!, $period: Int!, $room: String, $reason: String!, $v: Int!) {
  moveLesson(lessonId: $id, date: $date, period: $period, room: $room, reason: $reason, version: $v) { ${LESSON_FIELDS} } }`;

const DEPUTY = 's001.deputy';
const DEPUTY_PERSON = '00000000-0000-4000-8000-000000000102';

/** The lesson of an assignment on a date, straight from the database. */
async function lessonOn(assignmentId: number, date: string): Promise<{ id: string; localId: number; version: number }> {
  const [row] = await world.sql<{ id: number; version: number }>(`select id, version from schedule.lesson where teaching_assignment_id = ? and date = ?`, [
    assignmentId,
    date,
  ]);
  if (!row) throw new Error(`no lesson of ${assignmentId} on ${date}`);
  return { id: world.id('Lesson', row.id), localId: row.id, version: row.version };
}

/** A mutation that must be refused with `code`, writing nothing at all. */
async function refused(user: string, code: string, query: string, variables: Record<string, unknown>): Promise<GraphQLAnswer> {
  const before = await world.counts();
  const answer = await world.gql(user, query, variables);
  expect(codes(answer)).toEqual([code]);
  // A token of another school is refused before any field runs (403, no data at all).
  expect(answer.data ?? null).toBeNull();
  expect(await world.counts()).toEqual(before);
  return answer;
}

describe('a substitution (замена)', () => {
  it('the deputy gives 5А maths of 07.09 to Волков: version 2, substitute set, a SUBSTITUTION change with who and why', async () => {
    const lesson = await lessonOn(world.plan.maths5A.id, '2026-09-07');
    const before = await world.counts();
    const answer = await world.gql(DEPUTY, SUBSTITUTE, {
      id: lesson.id,
      staff: world.id('Staff', world.roster.volkov),
      reason: 'Петров И. А. на больничном',
      v: 1,
    });
    expect(answer.errors).toBeUndefined();
    const volkov = { id: world.id('Staff', world.roster.volkov) };
    expect(answer.data!.substituteLesson).toEqual({
      id: lesson.id,
      date: '2026-09-07',
      period: 1,
      startTime: '08:30',
      endTime: '09:15',
      room: '201',
      status: 'SCHEDULED',
      version: 2,
      groupName: null,
      substitute: volkov,
      teacher: { id: world.id('Staff', world.roster.petrov) },
      changes: [
        {
          kind: 'SUBSTITUTION',
          reason: 'Петров И. А. на больничном',
          changedBy: DEPUTY_PERSON,
          before: { date: '2026-09-07', period: 1, room: '201', status: 'SCHEDULED', substitute: null },
          after: { date: '2026-09-07', period: 1, startTime: '08:30', endTime: '09:15', room: '201', status: 'SCHEDULED', substitute: volkov },
        },
      ],
    });
    expect(await world.counts()).toEqual({ ...before, lessonChanges: before.lessonChanges + 1, lessonVersions: before.lessonVersions + 1 });
    const [row] = await world.sql(`select kind, old, new, reason, changed_by from schedule.lesson_change where lesson_id = ?`, [lesson.localId]);
    expect(row).toEqual({
      kind: 'SUBSTITUTION',
      old: { date: '2026-09-07', period: 1, startTime: '08:30', endTime: '09:15', room: '201', status: 'SCHEDULED', substituteStaffId: null },
      new: { date: '2026-09-07', period: 1, startTime: '08:30', endTime: '09:15', room: '201', status: 'SCHEDULED', substituteStaffId: world.roster.volkov },
      reason: 'Петров И. А. на больничном',
      changed_by: DEPUTY_PERSON,
    });
  });

  it('a stale version is CONFLICT with the current version, and nothing is written', async () => {
    const lesson = await lessonOn(world.plan.maths5A.id, '2026-09-07');
    const answer = await refused(DEPUTY, 'CONFLICT', SUBSTITUTE, { id: lesson.id, staff: world.id('Staff', world.roster.lebedeva), reason: 'ещё раз', v: 1 });
    expect(answer.errors![0]!.extensions!.current).toEqual({ version: 2 });
  });

  it('null gives the lesson back to its teacher (version 3, a second change)', async () => {
    const lesson = await lessonOn(world.plan.maths5A.id, '2026-09-07');
    const answer = await world.gql(DEPUTY, SUBSTITUTE, { id: lesson.id, staff: null, reason: 'Петров вышел с больничного', v: 2 });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.substituteLesson).toMatchObject({ version: 3, substitute: null });
    expect(answer.data!.substituteLesson.changes.map((c: { kind: string; after: { substitute: unknown } }) => [c.kind, c.after.substitute])).toEqual([
      ['SUBSTITUTION', { id: world.id('Staff', world.roster.volkov) }],
      ['SUBSTITUTION', null],
    ]);
  });

  it('refused: an inactive teacher (BAD_USER_INPUT), the assigned teacher himself (BAD_USER_INPUT), an unknown staff id (NOT_FOUND)', async () => {
    const lesson = await lessonOn(world.plan.maths5A.id, '2026-09-09');
    await refused(DEPUTY, 'BAD_USER_INPUT', SUBSTITUTE, { id: lesson.id, staff: world.id('Staff', world.roster.orlov), reason: 'замена', v: 1 });
    await refused(DEPUTY, 'BAD_USER_INPUT', SUBSTITUTE, { id: lesson.id, staff: world.id('Staff', world.roster.petrov), reason: 'замена', v: 1 });
    await refused(DEPUTY, 'NOT_FOUND', SUBSTITUTE, { id: lesson.id, staff: world.id('Staff', 99999), reason: 'замена', v: 1 });
  });

  it('refused: a substitute who teaches another lesson at that time (CONFLICT)', async () => {
    // 6Б Russian on Monday 07.09, period 1: Петров teaches 5А maths then
    const mon = await lessonOn(world.plan.russian6B.id, '2026-09-07');
    await refused(DEPUTY, 'CONFLICT', SUBSTITUTE, { id: mon.id, staff: world.id('Staff', world.roster.petrov), reason: 'замена', v: 1 });
  });

  it('refused: an empty reason lists every problem at once (BAD_USER_INPUT)', async () => {
    const lesson = await lessonOn(world.plan.maths5A.id, '2026-09-09');
    const answer = await refused(DEPUTY, 'BAD_USER_INPUT', SUBSTITUTE, { id: lesson.id, staff: 'bad-id', reason: '  ', v: 1 });
    expect((answer.errors![0]!.extensions!.problems as { field: string }[]).map((p) => p.field).sort()).toEqual(['reason', 'substituteStaffId']);
  });

  it('a teacher, a parent, a district admin may not change lessons (FORBIDDEN)', async () => {
    const lesson = await lessonOn(world.plan.maths5A.id, '2026-09-09');
    for (const user of ['s001.teacher', 's001.parent', 'district.admin', 's002.deputy']) {
      await refused(user, 'FORBIDDEN', SUBSTITUTE, { id: lesson.id, staff: world.id('Staff', world.roster.volkov), reason: 'замена', v: 1 });
    }
  });
});

describe('two deputies changing one lesson at once', () => {
  it('exactly one wins; the other gets CONFLICT; one change row is written', async () => {
    const lesson = await lessonOn(world.plan.maths6B.id, '2026-09-19');
    const before = await world.counts();
    const answers = await Promise.all([
      world.gql(DEPUTY, SUBSTITUTE, { id: lesson.id, staff: world.id('Staff', world.roster.volkov), reason: 'замена 1', v: 1 }),
      world.gql('s001.director', CANCEL, { id: lesson.id, reason: 'отмена', v: 1 }),
      world.gql(DEPUTY, SUBSTITUTE, { id: lesson.id, staff: world.id('Staff', world.roster.lebedeva), reason: 'замена 2', v: 1 }),
    ]);
    expect(answers.filter((a) => !a.errors).length).toBe(1);
    expect(answers.flatMap(codes).sort()).toEqual(['CONFLICT', 'CONFLICT']);
    expect(await world.counts()).toEqual({ ...before, lessonChanges: before.lessonChanges + 1, lessonVersions: before.lessonVersions + 1 });
  });
});

describe('a cancellation', () => {
  it('cancels 5А Russian of 08.09: CANCELLED, version 2, a CANCELLED change', async () => {
    const lesson = await lessonOn(world.plan.russian5A.id, '2026-09-08');
    const before = await world.counts();
    const answer = await world.gql('s001.director', CANCEL, { id: lesson.id, reason: 'Карантин', v: 1 });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.cancelLesson).toMatchObject({ status: 'CANCELLED', version: 2 });
    expect(answer.data!.cancelLesson.changes).toEqual([
      {
        kind: 'CANCELLED',
        reason: 'Карантин',
        changedBy: '00000000-0000-4000-8000-000000000101',
        before: { date: '2026-09-08', period: 1, room: '105', status: 'SCHEDULED', substitute: null },
        after: { date: '2026-09-08', period: 1, startTime: '08:30', endTime: '09:15', room: '105', status: 'CANCELLED', substitute: null },
      },
    ]);
    expect(await world.counts()).toEqual({ ...before, lessonChanges: before.lessonChanges + 1, lessonVersions: before.lessonVersions + 1 });
  });

  it('cancelling again is CONFLICT; a stale version is CONFLICT; neither writes', async () => {
    const lesson = await lessonOn(world.plan.russian5A.id, '2026-09-08');
    await refused(DEPUTY, 'CONFLICT', CANCEL, { id: lesson.id, reason: 'ещё раз', v: 2 });
    const other = await lessonOn(world.plan.russian5A.id, '2026-09-10');
    await refused(DEPUTY, 'CONFLICT', CANCEL, { id: other.id, reason: 'Карантин', v: 7 });
  });

  it('a cancelled lesson cannot be substituted or moved (CONFLICT)', async () => {
    const lesson = await lessonOn(world.plan.russian5A.id, '2026-09-08');
    await refused(DEPUTY, 'CONFLICT', SUBSTITUTE, { id: lesson.id, staff: world.id('Staff', world.roster.volkov), reason: 'замена', v: 2 });
    await refused(DEPUTY, 'CONFLICT', MOVE, { id: lesson.id, date: '2026-09-12', period: 2, room: null, reason: 'перенос', v: 2 });
  });

  it('an unknown lesson is NOT_FOUND', async () => {
    await refused(DEPUTY, 'NOT_FOUND', CANCEL, { id: world.id('Lesson', 999999), reason: 'Карантин', v: 1 });
  });
});

describe('moving a lesson (перенос)', () => {
  it('moves 5А maths from Fri 11.09 p1 to Sat 12.09 p2 into 202: times from the bells, version 2, a MOVED change', async () => {
    const lesson = await lessonOn(world.plan.maths5A.id, '2026-09-11');
    const before = await world.counts();
    const answer = await world.gql(DEPUTY, MOVE, { id: lesson.id, date: '2026-09-12', period: 2, room: '202', reason: 'Экскурсия в пятницу', v: 1 });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.moveLesson).toMatchObject({
      date: '2026-09-12',
      period: 2,
      startTime: '09:25',
      endTime: '10:10',
      room: '202',
      status: 'SCHEDULED',
      version: 2,
    });
    expect(answer.data!.moveLesson.changes).toEqual([
      {
        kind: 'MOVED',
        reason: 'Экскурсия в пятницу',
        changedBy: DEPUTY_PERSON,
        before: { date: '2026-09-11', period: 1, room: '201', status: 'SCHEDULED', substitute: null },
        after: { date: '2026-09-12', period: 2, startTime: '09:25', endTime: '10:10', room: '202', status: 'SCHEDULED', substitute: null },
      },
    ]);
    expect(await world.counts()).toEqual({ ...before, lessonChanges: before.lessonChanges + 1, lessonVersions: before.lessonVersions + 1 });
  });

  it('only a new room (same date and period) is a ROOM change', async () => {
    const lesson = await lessonOn(world.plan.russian5A.id, '2026-09-10');
    const answer = await world.gql(DEPUTY, MOVE, { id: lesson.id, date: '2026-09-10', period: 1, room: '110', reason: 'Ремонт в 105', v: 1 });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.moveLesson).toMatchObject({ date: '2026-09-10', period: 1, room: '110', version: 2 });
    expect(answer.data!.moveLesson.changes.map((c: { kind: string }) => c.kind)).toEqual(['ROOM']);
  });

  it('onto a slot where the class has another lesson: CONFLICT, nothing written', async () => {
    // Monday 14.09: 5А maths p1, English groups p3; move Tuesday's Russian (p1) onto Monday p1
    const lesson = await lessonOn(world.plan.russian5A.id, '2026-09-15');
    const answer = await refused(DEPUTY, 'CONFLICT', MOVE, { id: lesson.id, date: '2026-09-14', period: 1, room: null, reason: 'перенос', v: 1 });
    expect(answer.errors![0]!.message).toContain('У класса уже есть урок');
  });

  it('onto a slot where the teacher teaches another class: CONFLICT', async () => {
    // Петров teaches 6Б on Monday p2; move 5А maths of Wednesday 16.09 there
    const lesson = await lessonOn(world.plan.maths5A.id, '2026-09-16');
    const answer = await refused(DEPUTY, 'CONFLICT', MOVE, { id: lesson.id, date: '2026-09-14', period: 2, room: null, reason: 'перенос', v: 1 });
    expect(answer.errors![0]!.message).toContain('Учитель уже ведёт');
  });

  it('onto a holiday (4 November, the autumn holidays) or a Sunday: BAD_USER_INPUT, nothing written', async () => {
    const lesson = await lessonOn(world.plan.maths5A.id, '2026-09-16');
    const holiday = await refused(DEPUTY, 'BAD_USER_INPUT', MOVE, { id: lesson.id, date: '2026-10-27', period: 1, room: null, reason: 'перенос', v: 1 });
    expect(holiday.errors![0]!.message).toContain('Осенние каникулы');
    await refused(DEPUTY, 'BAD_USER_INPUT', MOVE, { id: lesson.id, date: '2026-11-04', period: 1, room: null, reason: 'перенос', v: 1 });
    await refused(DEPUTY, 'BAD_USER_INPUT', MOVE, { id: lesson.id, date: '2026-09-20', period: 1, room: null, reason: 'перенос', v: 1 });
  });

  it('to a period the bell schedule lacks, or a date outside every term: BAD_USER_INPUT', async () => {
    const lesson = await lessonOn(world.plan.maths5A.id, '2026-09-16');
    await refused(DEPUTY, 'BAD_USER_INPUT', MOVE, { id: lesson.id, date: '2026-09-17', period: 9, room: null, reason: 'перенос', v: 1 });
    await refused(DEPUTY, 'BAD_USER_INPUT', MOVE, { id: lesson.id, date: '2027-06-15', period: 1, room: null, reason: 'перенос', v: 1 });
  });

  it('into an occupied room: CONFLICT', async () => {
    // Monday 14.09 p2: 5А and Кузнецов are free, but 6Б has maths in 201
    const lesson = await lessonOn(world.plan.english5A1.id, '2026-09-17');
    const answer = await refused(DEPUTY, 'CONFLICT', MOVE, { id: lesson.id, date: '2026-09-14', period: 2, room: '201', reason: 'перенос', v: 1 });
    expect(answer.errors![0]!.message).toContain('Кабинет 201 занят');
  });

  it('a split-class group may move next to the other group’s lesson (no student in common), the whole class may not', async () => {
    // 5А has only maths (p1) on Friday 25.09: both English groups of Thursday 24.09 move to p2
    const g2 = await lessonOn(world.plan.english5A2.id, '2026-09-24');
    const moved = await world.gql(DEPUTY, MOVE, { id: g2.id, date: '2026-09-25', period: 2, room: null, reason: 'перенос', v: 1 });
    expect(moved.errors).toBeUndefined();
    const g1 = await lessonOn(world.plan.english5A1.id, '2026-09-24');
    const alongside = await world.gql(DEPUTY, MOVE, { id: g1.id, date: '2026-09-25', period: 2, room: null, reason: 'перенос', v: 1 });
    expect(alongside.errors).toBeUndefined();
    expect(alongside.data!.moveLesson).toMatchObject({ date: '2026-09-25', period: 2, room: '305', groupName: 'Английский, гр. 1' });
    const maths = await lessonOn(world.plan.maths5A.id, '2026-09-16');
    const answer = await refused(DEPUTY, 'CONFLICT', MOVE, { id: maths.id, date: '2026-09-25', period: 2, room: '201', reason: 'перенос', v: 1 });
    expect(answer.errors![0]!.message).toContain('У класса уже есть урок');
  });

  it('a stale version is CONFLICT and nothing is written', async () => {
    const lesson = await lessonOn(world.plan.maths5A.id, '2026-09-12');
    await refused(DEPUTY, 'CONFLICT', MOVE, { id: lesson.id, date: '2026-09-12', period: 3, room: null, reason: 'перенос', v: 1 });
  });

  it('a lesson of a closed term cannot be changed (CONFLICT)', async () => {
    const q1 = world.plan.calendar.quarters[0]!;
    const lesson = await lessonOn(world.plan.maths5A.id, '2026-09-23');
    const closed = await world.gql(DEPUTY, `mutation($id: ID!) { closeTerm(id: $id, version: 1) { closed } }`, { id: world.id('Term', q1.id) });
    expect(closed.data!.closeTerm.closed).toBe(true);
    await refused(DEPUTY, 'CONFLICT', CANCEL, { id: lesson.id, reason: 'Карантин', v: 1 });
  });
});

describe('the change log', () => {
  it('is append-only: the database refuses UPDATE and DELETE', async () => {
    await expect(world.sql(`update schedule.lesson_change set reason = 'подделка'`)).rejects.toThrow(/append-only/);
    await expect(world.sql(`delete from schedule.lesson_change`)).rejects.toThrow(/append-only/);
    const [row] = await world.sql<{ n: string }>(`select count(*) as n from schedule.lesson_change where reason = 'подделка'`);
    expect(row!.n).toBe('0');
  });
});
