import { randomBytes } from 'node:crypto';
import * as ExcelJS from 'exceljs';
import { startDistrict, type District } from '@district/demo';
import { toGlobalId } from '@district/kit';
import { codes, decodeClaims, gqlAt as gql, keycloakUrl, tokenFor } from '@district/kit/testing';
import { currentMonth, previousMonth } from '../src/collection/month';

/**
 * The district's monthly monitoring end to end: the three demo schools with a
 * term of journal history, monitoring collecting through the gateway's school
 * router, a school going down and coming back, closed and versioned reports,
 * diary opens recorded by the gateway, and the XLSX export.
 */
let district: District;
const TZ = 'Europe/Moscow';
const month = previousMonth(currentMonth(TZ));

const FIGURE_FIELDS = `heldLessons lessonsWithTopic shareWithTopic marksEntered marksSameDay shareMarksSameDay absencesEntered absencesSameDay shareAbsencesSameDay
  correctionsAfterWindow correctionsApproved numericMarks averageMark markQualityShare markSuccessShare students guardians studentsOpenedDiary shareStudentsOpenedDiary parentsOpenedDiary shareParentsOpenedDiary`;
const LINE = `schoolId shortName schoolStatus state collectedAt lastError figures { ${FIGURE_FIELDS} }`;
const RUN_FIELDS = `id state month trigger requestedBy requestedAt startedAt finishedAt total processed schools { schoolId state error attempts } reportVersion error errorCode`;
const COLLECT = `mutation($m: String!) { collectMonitoring(month: $m) { ${RUN_FIELDS} } }`;
const RUN = `query($id: ID!) { monitoringCollectionRun(id: $id) { ${RUN_FIELDS} } }`;
const REPORT = `query($m: String!, $v: Int) { monthlyReport(month: $m, version: $v) { month version closedAt schools { ${LINE} } changes { schoolId field before after } } }`;
const MONITORING = `query($m: String!, $ids: [ID!]) { monitoring(month: $m, schoolIds: $ids) { ${LINE} } }`;

type Line = { schoolId: string; state: string; collectedAt: string | null; lastError: string | null; figures: Record<string, number | null> | null };

beforeAll(async () => {
  district = await startDistrict({
    schools: ['s001', 's002', 's003'],
    databasePrefix: `t_${randomBytes(3).toString('hex')}`,
    keycloakUrl: keycloakUrl(),
    studentsPerClass: 3,
    timetable: true,
    journalHistory: true,
    // A stopped school refuses connections at once; the timeout only guards a loaded test machine.
    schoolTimeoutMs: 15_000,
    // Long enough for a school restarted during a run to be up when it is asked again.
    collectionRetryMs: 4_000,
  });
}, 600_000);
afterAll(async () => {
  await district?.close({ dropDatabases: true });
});

async function ask<T = any>(user: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const answer = await gql(district.gateway.url, await tokenFor(user), query, variables);
  expect(answer.errors).toBeUndefined();
  return answer.data as T;
}

type Run = {
  id: string;
  state: string;
  month: string;
  schools: { schoolId: string; state: string; error: string | null; attempts: number }[];
  reportVersion: number | null;
  [key: string]: any;
};

/** Starts a collection: the mutation answers at once with the run, before any school is asked. */
const startCollection = (m = month): Promise<Run> => ask('district.admin', COLLECT, { m }).then((d) => d.collectMonitoring);

/** Follows a run by query, as the web client does, until it has finished. */
async function finished(id: string, user = 'district.admin'): Promise<Run> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const run = (await ask(user, RUN, { id })).monitoringCollectionRun as Run;
    if (!['QUEUED', 'RUNNING'].includes(run.state)) return run;
    if (Date.now() > deadline) throw new Error(`run ${id} still ${run.state}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const collect = async (m = month): Promise<Run> => {
  const started = await startCollection(m);
  expect(started).toMatchObject({
    state: 'RUNNING',
    month: m,
    trigger: 'MANUAL',
    requestedBy: 'district.admin',
    finishedAt: null,
    schools: [],
    reportVersion: null,
    error: null,
  });
  return finished(started.id);
};
const districtSql = <T = any>(text: string, params: unknown[] = []) => district.monitoring.em().getConnection().execute<T[]>(text, params);
const schoolSql = <T = any>(school: string, text: string, params: unknown[] = []) =>
  district.schools.get(school)!.journal.em().getConnection().execute<T[]>(text, params);

const round = (x: number, decimals: number) => Math.round(x * 10 ** decimals) / 10 ** decimals;
const share = (n: number, d: number) => (d === 0 ? null : round(n / d, 4));
const localDate = (t: Date | string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(t));

/** The month's figures recomputed in TypeScript from the school's raw journal and schedule rows, not with the journal's SQL. */
async function recompute(school: string): Promise<Record<string, number | null>> {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const from = `${month}-01`;
  const to = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  const lessons = await schoolSql<{ id: number; date: string }>(
    school,
    `select id, date::text as date from schedule.lesson where status = 'SCHEDULED' and date >= ? and date < ?`,
    [from, to],
  );
  const dateOf = new Map(lessons.map((l) => [Number(l.id), l.date]));
  const ids = [...dateOf.keys()];
  const records = await schoolSql<{ lesson_id: number; topic: string | null }>(
    school,
    `select lesson_id, topic from journal.lesson_record where lesson_id in (?)`,
    [ids],
  );
  const marks = await schoolSql<{ lesson_id: number; value: string; status: string; entered_at: Date }>(
    school,
    `select lesson_id, value, status, entered_at from journal.mark where lesson_id in (?)`,
    [ids],
  );
  const absences = await schoolSql<{ lesson_id: number; entered_at: Date }>(
    school,
    `select lesson_id, entered_at from journal.attendance where lesson_id in (?)`,
    [ids],
  );
  const corrections = await schoolSql<{ requested_at: Date; status: string }>(school, `select requested_at, status from journal.correction_request`);

  const withTopic = records.filter((r) => (r.topic ?? '').trim() !== '').length;
  const sameDay = (rows: { lesson_id: number; entered_at: Date }[]) => rows.filter((r) => localDate(r.entered_at) === dateOf.get(Number(r.lesson_id))).length;
  const numeric = marks.filter((k) => k.status === 'ACTIVE' && /^[1-5]$/.test(k.value)).map((k) => Number(k.value));
  const monthCorrections = corrections.filter((c) => localDate(c.requested_at).startsWith(month));
  return {
    heldLessons: lessons.length,
    lessonsWithTopic: withTopic,
    shareWithTopic: share(withTopic, lessons.length),
    marksEntered: marks.length,
    marksSameDay: sameDay(marks),
    shareMarksSameDay: share(sameDay(marks), marks.length),
    absencesEntered: absences.length,
    absencesSameDay: sameDay(absences),
    shareAbsencesSameDay: share(sameDay(absences), absences.length),
    correctionsAfterWindow: monthCorrections.length,
    correctionsApproved: monthCorrections.filter((c) => c.status === 'APPROVED').length,
    numericMarks: numeric.length,
    averageMark: numeric.length ? round(numeric.reduce((a, b) => a + b, 0) / numeric.length, 2) : null,
    markQualityShare: share(numeric.filter((v) => v >= 4).length, numeric.length),
    markSuccessShare: share(numeric.filter((v) => v >= 3).length, numeric.length),
  };
}

describe('monthly monitoring collected through the gateway', () => {
  it('collects every school, closes the past month into report version 1, and the figures match a recomputation from the journal tables', async () => {
    const firstRun = await collect();
    expect(firstRun).toMatchObject({ state: 'SUCCEEDED', total: 3, processed: 3, error: null, errorCode: null });
    expect(new Date(firstRun.finishedAt).getTime()).toBeGreaterThanOrEqual(new Date(firstRun.startedAt).getTime());
    expect(firstRun.schools).toEqual([
      { schoolId: 's001', state: 'CURRENT', error: null, attempts: 1 },
      { schoolId: 's002', state: 'CURRENT', error: null, attempts: 1 },
      { schoolId: 's003', state: 'CURRENT', error: null, attempts: 1 },
    ]);
    expect(firstRun.reportVersion).toBe(1);

    const { monthlyReport } = await ask('analyst', REPORT, { m: month });
    expect(monthlyReport).toMatchObject({ month, version: 1, changes: [] });
    expect(monthlyReport.schools.map((s: Line) => [s.schoolId, s.state])).toEqual([
      ['s001', 'CURRENT'],
      ['s002', 'CURRENT'],
      ['s003', 'CURRENT'],
    ]);
    for (const line of monthlyReport.schools as Line[]) {
      const expected = await recompute(line.schoolId);
      expect(expected.heldLessons).toBeGreaterThan(100);
      expect(expected.numericMarks).toBeGreaterThan(100);
      for (const [key, value] of Object.entries(expected)) {
        if (value === null) expect([key, line.figures![key]]).toEqual([key, null]);
        else expect([key, line.figures![key]]).toEqual([key, expect.closeTo(value, 4)]);
      }
      const [people] = await schoolSql<{ students: string }>(line.schoolId, `select count(*) as students from people.enrollment where end_date is null`);
      expect(line.figures!.students).toBe(Number(people!.students));
    }
  });

  it('collecting the same month again stores the same figures once and adds no report version', async () => {
    const before = await districtSql(`select school_id, figures from monitoring.school_month where month = ? order by school_id`, [month]);
    const again = await collect();
    expect(again).toMatchObject({ state: 'SUCCEEDED', reportVersion: null });
    // Asked twice at once: one run of the month, the second request joins it; still one row per school and no new version.
    const runsOfMonth = async () =>
      (await districtSql<{ n: number }>(`select count(*)::int as n from monitoring.collection_run where month = ?`, [month]))[0]!.n;
    const runsBefore = await runsOfMonth();
    const both = await Promise.all([startCollection(), startCollection()]);
    expect(both[1]!.id).toBe(both[0]!.id);
    expect(both.map((r) => r.state)).toEqual(['RUNNING', 'RUNNING']);
    expect((await finished(both[0]!.id)).reportVersion).toBeNull();
    expect(await runsOfMonth()).toBe(runsBefore + 1);
    const after = await districtSql(`select school_id, figures from monitoring.school_month where month = ? order by school_id`, [month]);
    expect(after).toHaveLength(3);
    expect(after).toEqual(before);
    const [{ n }] = await districtSql(`select count(*)::int as n from monitoring.monthly_report where month = ?`, [month]);
    expect(n).toBe(1);
  });

  it('with one school stopped the run finishes: that school is stale with the error and its last good figures, the others current; the next run catches up', async () => {
    const [good] = await districtSql<{ collected_at: Date }>(`select collected_at from monitoring.school_month where school_id = 's002' and month = ?`, [
      month,
    ]);
    await district.stopSchool('s002');
    let down: any;
    try {
      down = await collect();
    } finally {
      await district.startSchool('s002');
    }
    expect(down.schools.map((s: { schoolId: string; state: string }) => [s.schoolId, s.state])).toEqual([
      ['s001', 'CURRENT'],
      ['s002', 'STALE'],
      ['s003', 'CURRENT'],
    ]);
    expect(down.schools[1].error).toMatch(/^SCHOOL_UNAVAILABLE: .*s002/);
    expect(down.schools[1].attempts).toBe(2);
    expect(down).toMatchObject({ state: 'PARTIAL', total: 3, processed: 3, errorCode: null });
    expect(down.error).toContain('s002');
    // Closed month: the stale school changes what a reader sees, so a new version says so.
    expect(down.reportVersion).toBe(2);
    const v2 = (await ask('analyst', REPORT, { m: month, v: 2 })).monthlyReport;
    expect(v2.changes).toEqual([{ schoolId: 's002', field: 'state', before: 'CURRENT', after: 'STALE' }]);
    const stale = v2.schools.find((s: Line) => s.schoolId === 's002') as Line;
    expect(stale.state).toBe('STALE');
    expect(stale.lastError).toMatch(/SCHOOL_UNAVAILABLE/);
    expect(new Date(stale.collectedAt!).getTime()).toBe(new Date(good!.collected_at).getTime());
    expect(stale.figures!.heldLessons).toBeGreaterThan(100);

    const back = await collect();
    expect(back.state).toBe('SUCCEEDED');
    expect(back.schools.every((s: { state: string }) => s.state === 'CURRENT')).toBe(true);
    expect(back.reportVersion).toBe(3);
    const { monthlyReport: v3 } = await ask('analyst', REPORT, { m: month });
    expect(v3.version).toBe(3);
    expect(v3.changes).toEqual([{ schoolId: 's002', field: 'state', before: 'STALE', after: 'CURRENT' }]);
    expect(new Date(v3.schools[1].collectedAt).getTime()).toBeGreaterThan(new Date(good!.collected_at).getTime());
    // Version 2 is still there as it was.
    expect((await ask('analyst', REPORT, { m: month, v: 2 })).monthlyReport.schools[1].state).toBe('STALE');
  });

  it('a school that fails and is back before the retry is current, on the second attempt', async () => {
    await district.stopSchool('s003');
    let started: Run;
    try {
      started = await startCollection();
    } finally {
      await district.startSchool('s003');
    }
    const run = await finished(started.id);
    expect(run.schools[2]).toEqual({ schoolId: 's003', state: 'CURRENT', error: null, attempts: 2 });
    expect(run).toMatchObject({ state: 'SUCCEEDED', reportVersion: null });
  });

  it('the nightly run catches up every month of the last year where a school was stale', async () => {
    const now = currentMonth(TZ);
    const older = previousMonth(month);
    await districtSql(
      `insert into monitoring.school_month (school_id, month, figures, collected_at, state, last_attempt_at, last_error) values ('s002', ?, null, null, 'STALE', now(), 'SCHOOL_UNAVAILABLE: test')`,
      [older],
    );
    const months = await district.monitoring.collector.monthsToCollect(now, month);
    expect(months).toEqual([older, month, now]);
    for (const m of months) expect((await district.monitoring.collector.collect(m, 'SCHEDULE', 'schedule')).state).toBe('SUCCEEDED');
    const [row] = await districtSql(
      `select state, last_error, figures is not null as has_figures from monitoring.school_month where school_id = 's002' and month = ?`,
      [older],
    );
    expect(row).toEqual({ state: 'CURRENT', last_error: null, has_figures: true });
    expect(await district.monitoring.collector.monthsToCollect(now, month)).toEqual([month, now]);
    const [run] = await districtSql(`select trigger, requested_by, state from monitoring.collection_run where month = ? order by id desc limit 1`, [older]);
    expect(run).toEqual({ trigger: 'SCHEDULE', requested_by: 'schedule', state: 'SUCCEEDED' });
    // The scheduled runs are read like any other.
    const { monitoringCollectionRuns } = await ask(
      'analyst',
      `query($m: String!) { monitoringCollectionRuns(month: $m, limit: 1) { trigger requestedBy state schools { schoolId state } } }`,
      { m: older },
    );
    expect(monitoringCollectionRuns).toEqual([
      {
        trigger: 'SCHEDULE',
        requestedBy: 'schedule',
        state: 'SUCCEEDED',
        schools: [
          { schoolId: 's001', state: 'CURRENT' },
          { schoolId: 's002', state: 'CURRENT' },
          { schoolId: 's003', state: 'CURRENT' },
        ],
      },
    ]);
  });

  it('a changed closed month gets a new version that says what changed; stored versions cannot be altered', async () => {
    // A mark for a lesson of the closed month appears in s001 (e.g. entered late through a correction).
    const [lesson] = await schoolSql<{ id: number; date: string; student_id: number }>(
      's001',
      `select l.id, l.date::text as date, ls.student_id from schedule.lesson l join schedule.lesson_students ls on ls.lesson_id = l.id
       where l.status = 'SCHEDULED' and to_char(l.date, 'YYYY-MM') = ? order by l.id limit 1`,
      [month],
    );
    await schoolSql(
      's001',
      `insert into journal.mark (lesson_id, student_id, value, control_form_id, weight, status, lesson_date, entered_by, entered_at, delay_minutes, updated_at)
       select ?, ?, '5', id, weight, 'ACTIVE', ?::date, '00000000-0000-4000-8000-000000000001', now(), 0, now() from journal.control_form order by id limit 1`,
      [lesson!.id, lesson!.student_id, lesson!.date],
    );
    const before = (await ask('analyst', REPORT, { m: month })).monthlyReport.schools[0].figures;
    const run = await collect();
    expect(run.reportVersion).toBe(4);
    const { monthlyReport: v4 } = await ask('analyst', REPORT, { m: month });
    const changed = Object.fromEntries(v4.changes.map((c: { field: string; before: string; after: string }) => [c.field, [Number(c.before), Number(c.after)]]));
    expect(v4.changes.every((c: { schoolId: string }) => c.schoolId === 's001')).toBe(true);
    expect(changed.marksEntered).toEqual([before.marksEntered, before.marksEntered + 1]);
    expect(changed.numericMarks).toEqual([before.numericMarks, before.numericMarks + 1]);
    expect(v4.schools[0].figures).toMatchObject(await recompute('s001'));

    await expect(districtSql(`update monitoring.monthly_report set changes = '[]' where month = ?`, [month])).rejects.toThrow(/append-only/);
    await expect(districtSql(`delete from monitoring.monthly_report where month = ?`, [month])).rejects.toThrow(/append-only/);
  });

  it('refuses bad input and roles without access with clear codes, and changes nothing', async () => {
    const runs = async () => (await districtSql<{ n: number }>(`select count(*)::int as n from monitoring.collection_run`))[0]!.n;
    const count = await runs();
    const RUNS = `query($m: String!, $limit: Int!) { monitoringCollectionRuns(month: $m, limit: $limit) { id } }`;
    const [lastRun] = (await ask('analyst', RUNS, { m: month, limit: 1 })).monitoringCollectionRuns as { id: string }[];
    const admin = await tokenFor('district.admin');
    const future = `${Number(currentMonth(TZ).slice(0, 4)) + 1}-01`;
    const cases: [string, string, string, Record<string, unknown>][] = [
      ['district.admin', COLLECT, 'BAD_USER_INPUT', { m: future }],
      ['district.admin', COLLECT, 'BAD_USER_INPUT', { m: '2026-13' }],
      ['analyst', COLLECT, 'FORBIDDEN', { m: month }],
      ['s001.deputy', COLLECT, 'FORBIDDEN', { m: month }],
      ['analyst', MONITORING, 'NOT_FOUND', { m: month, ids: ['s001', 's999'] }],
      ['analyst', MONITORING, 'BAD_USER_INPUT', { m: future }],
      ['s001.teacher', MONITORING, 'FORBIDDEN', { m: month }],
      ['s001.parent', REPORT, 'FORBIDDEN', { m: month }],
      ['s001.deputy', MONITORING, 'FORBIDDEN', { m: month, ids: ['s002'] }],
      ['analyst', REPORT, 'NOT_FOUND', { m: month, v: 99 }],
      ['s001.deputy', RUN, 'FORBIDDEN', { id: lastRun!.id }],
      ['s001.director', RUNS, 'FORBIDDEN', { m: month, limit: 5 }],
      ['analyst', RUN, 'BAD_USER_INPUT', { id: 'not-a-run' }],
      ['analyst', RUN, 'NOT_FOUND', { id: Buffer.from('MonitoringCollectionRun:999999').toString('base64url') }],
      ['analyst', RUNS, 'BAD_USER_INPUT', { m: month, limit: 0 }],
      ['analyst', RUNS, 'BAD_USER_INPUT', { m: '2026-1', limit: 5 }],
    ];
    for (const [user, query, code, variables] of cases) {
      const answer = await gql(district.gateway.url, user === 'district.admin' ? admin : await tokenFor(user), query, variables);
      expect([user, variables, codes(answer)]).toEqual([user, variables, [code]]);
      expect(answer.errors![0]!.message).toMatch(/[А-Яа-яЁё]/);
    }
    expect(await runs()).toBe(count);
  });

  it('a deputy sees their own school’s line only', async () => {
    const { monitoring } = await ask('s001.deputy', MONITORING, { m: month });
    expect(monitoring.map((l: Line) => l.schoolId)).toEqual(['s001']);
    const { monthlyReport } = await ask('s002.deputy', REPORT, { m: month });
    expect(monthlyReport.schools.map((l: Line) => l.schoolId)).toEqual(['s002']);
    expect(monthlyReport.changes.every((c: { schoolId: string }) => c.schoolId === 's002')).toBe(true);
  });
});

describe('diary opens, recorded by the gateway', () => {
  it('a parent and a student opening diaries count once per person and month in the collected shares', async () => {
    const now = currentMonth(TZ);
    const week = new Date().toISOString().slice(0, 10);
    for (let i = 0; i < 2; i++) {
      await ask('s001.parent', `query($w: String!) { myChildren { diary(weekStart: $w) { weekStart } } }`, { w: week });
    }
    const personId = decodeClaims(await tokenFor('s001.student')).person_id;
    const [student] = await schoolSql<{ id: number }>('s001', `select id from people.student where person_id = ?`, [personId]);
    await ask('s001.student', `query($id: ID!, $w: String!) { diary(studentId: $id, weekStart: $w) { weekStart } }`, {
      id: toGlobalId('Student', 's001', student!.id),
      w: week,
    });
    // Reading something else is not a diary view.
    await ask('s002.teacher', `{ classGroups(schoolId: "s002") { name } }`);
    await district.gateway.diaryOpens.flush();
    expect(district.gateway.diaryOpens.pending).toBe(0);

    const rows = await districtSql<{ school_id: string; role: string; person_id: string }>(
      `select school_id, role, person_id from monitoring.diary_open where month = ? order by role`,
      [now],
    );
    expect(rows.map((r) => [r.school_id, r.role])).toEqual([
      ['s001', 'parent'],
      ['s001', 'student'],
    ]);
    // Nothing but the pseudonymous id, the role, the school and the time is kept.
    const [columns] = await districtSql<{ names: string[] }>(
      `select array_agg(column_name::text order by column_name) as names from information_schema.columns where table_schema = 'monitoring' and table_name = 'diary_open'`,
    );
    expect(columns!.names).toEqual(['first_opened_at', 'month', 'person_id', 'role', 'school_id']);

    await collect(now);
    const { monitoring } = await ask('analyst', MONITORING, { m: now, ids: ['s001', 's002'] });
    const [s001, s002] = monitoring as Line[];
    expect(s001!.figures).toMatchObject({ studentsOpenedDiary: 1, parentsOpenedDiary: 1 });
    expect(s001!.figures!.shareStudentsOpenedDiary).toBeCloseTo(1 / s001!.figures!.students!, 4);
    expect(s001!.figures!.shareParentsOpenedDiary).toBeCloseTo(1 / s001!.figures!.guardians!, 4);
    expect(s002!.figures).toMatchObject({ studentsOpenedDiary: 0, parentsOpenedDiary: 0, shareStudentsOpenedDiary: 0 });
  });
});

describe('exports', () => {
  const download = async (user: string, path: string) =>
    fetch(district.gateway.url.replace('/graphql', path), { headers: { authorization: `Bearer ${await tokenFor(user)}` } });

  it('the report as XLSX opens with a reader and holds the same numbers as the GraphQL result', async () => {
    const { monthlyReport } = await ask('analyst', REPORT, { m: month });
    const response = await download('analyst', `/exports/monitoring.xlsx?month=${month}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain(`monitoring-${month}-v${monthlyReport.version}.xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
    expect(book.worksheets.map((w) => w.name)).toEqual(['Мониторинг', 'Изменения']);
    const sheet = book.getWorksheet('Мониторинг')!;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(headers.slice(0, 3)).toEqual(['Код школы', 'Школа', 'Статус школы']);
    const column = (header: string) => headers.indexOf(header) + 1;
    expect(sheet.rowCount).toBe(1 + monthlyReport.schools.length);
    monthlyReport.schools.forEach((line: Line, i: number) => {
      const row = sheet.getRow(i + 2);
      expect(row.getCell(column('Код школы')).value).toBe(line.schoolId);
      expect(row.getCell(column('Проведено уроков')).value).toBe(line.figures!.heldLessons);
      expect(row.getCell(column('Отметок внесено')).value).toBe(line.figures!.marksEntered);
      expect(row.getCell(column('Средний балл')).value).toBe(line.figures!.averageMark);
      expect(row.getCell(column('Доля уроков с темой')).value).toBe(line.figures!.shareWithTopic);
      expect(row.getCell(column('Доля отметок 4 и 5')).value).toBe(line.figures!.markQualityShare);
      expect(typeof row.getCell(column('Доля отметок 4 и 5')).value).toBe('number');
    });
    const changes = book.getWorksheet('Изменения')!;
    expect(changes.rowCount).toBe(1 + monthlyReport.changes.length);
  });

  it('CSV of a chosen version and section; bad requests get codes, not files', async () => {
    const csv = await download('analyst', `/exports/monitoring.csv?month=${month}&version=2&section=2`);
    expect(csv.status).toBe(200);
    const text = (await csv.text()).replace(/^\uFEFF/, '');
    expect(text.split('\r\n')[0]).toBe('Код школы;Показатель;Было;Стало');
    expect(text).toContain('s002;Состояние сбора;актуально;устарело');

    const bad = await download('analyst', `/exports/monitoring.xlsx?month=2999-01`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
    expect((await download('s001.teacher', `/exports/monitoring.xlsx?month=${month}`)).status).toBe(403);
    expect((await fetch(district.gateway.url.replace('/graphql', `/exports/monitoring.xlsx?month=${month}`))).status).toBe(401);
    // Monitoring itself refuses a caller without a token too.
    expect((await fetch(district.monitoring.url.replace('/graphql', `/exports/monitoring.xlsx?month=${month}`))).status).toBe(401);
  });
});

describe('progress analytics across the district, through the gateway', () => {
  const ROW =
    'schoolId yearOfStudy classGroup subject students ratedStudents qualityStudents successStudents qualityRate successRate numericMarks weightedMarkSum weightSum averageMark lessonSlots absences attendanceRate studentsAtRisk';
  const ALLOWED = new Set(ROW.split(' '));
  const PROGRESS = `query($p: ProgressPeriodInput!, $g: [ProgressDimension!]!) { schools { id progress(period: $p, groupBy: $g) { from to rows { ${ROW} } } } }`;
  const DISTRICT = `query($p: ProgressPeriodInput!, $g: [ProgressDimension!]!) { districtProgress(period: $p, groupBy: $g) {
    schools unavailable { schoolId reason } rows { yearOfStudy subject schools students ratedStudents qualityStudents successStudents qualityRate successRate numericMarks weightedMarkSum weightSum averageMark lessonSlots absences attendanceRate studentsAtRisk } } }`;
  const period = () => {
    const [y, m] = month.split('-').map(Number) as [number, number];
    return { from: `${month}-01`, to: new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10) };
  };

  async function peopleOf(school: string): Promise<{ names: string[]; ids: string[] }> {
    const rows = await schoolSql<{ id: number; last_name: string; first_name: string; middle_name: string | null }>(
      school,
      `select id, last_name, first_name, middle_name from people.student`,
    );
    return {
      names: rows.flatMap((r) => [r.last_name, r.first_name, [r.last_name, r.first_name, r.middle_name].filter(Boolean).join(' ')]),
      ids: rows.map((r) => toGlobalId('Student', school, r.id)),
    };
  }

  it('an analyst gets every school’s rows by class and subject with no personal data in any field, and no names of students at risk', async () => {
    const { schools } = await ask('analyst', PROGRESS, { p: period(), g: ['CLASS_GROUP', 'SUBJECT'] });
    expect(schools.map((s: { id: string }) => s.id)).toEqual(['s001', 's002', 's003']);
    const personal = new Set<string>();
    for (const id of ['s001', 's002', 's003']) {
      const { names, ids } = await peopleOf(id);
      [...names, ...ids].forEach((v) => personal.add(v));
    }
    let rows = 0;
    for (const school of schools) {
      expect(school.progress.rows.length).toBeGreaterThan(10);
      for (const row of school.progress.rows) {
        rows++;
        expect(row.schoolId).toBe(school.id);
        for (const [key, value] of Object.entries(row)) {
          expect([key, ALLOWED.has(key)]).toEqual([key, true]);
          expect(['string', 'number'].includes(typeof value) || value === null).toBe(true);
          if (typeof value === 'string') expect([key, personal.has(value)]).toEqual([key, false]);
        }
      }
    }
    expect(rows).toBeGreaterThan(30);

    const named = await gql(
      district.gateway.url,
      await tokenFor('analyst'),
      `query($p: ProgressPeriodInput!) { schools { id progress(period: $p) { studentsAtRisk { fullName } } } }`,
      { p: period() },
    );
    expect(new Set(codes(named))).toEqual(new Set(['FORBIDDEN']));
    expect(JSON.stringify(named.data ?? {})).not.toMatch(/fullName":"/);
  });

  it('s001’s deputy sees their own school’s students at risk by name and nothing of s002', async () => {
    const query = `query($p: ProgressPeriodInput!) { schools { id progress(period: $p) { rows { studentsAtRisk } studentsAtRisk { studentId fullName classGroup lowSubjects { subject average } absenceShare } } } }`;
    const { schools } = await ask('s001.deputy', query, { p: period() });
    expect(schools.map((s: { id: string }) => s.id)).toEqual(['s001']);
    const atRisk = schools[0].progress.studentsAtRisk as {
      studentId: string;
      fullName: string;
      lowSubjects: { average: number }[];
      absenceShare: number | null;
    }[];
    expect(atRisk.length).toBe(schools[0].progress.rows[0].studentsAtRisk);
    expect(atRisk.length).toBeGreaterThan(0);
    const { names, ids } = await peopleOf('s001');
    for (const student of atRisk) {
      expect(names).toContain(student.fullName);
      expect(ids).toContain(student.studentId);
      expect(student.lowSubjects.some((l) => l.average < 3) || (student.absenceShare ?? 0) >= 0.3).toBe(true);
    }
    const other = await gql(
      district.gateway.url,
      await tokenFor('s001.deputy'),
      `query($p: ProgressPeriodInput!) { school(id: "s002") { progress(period: $p) { rows { students } } } }`,
      { p: period() },
    );
    expect(codes(other)).toEqual(['FORBIDDEN']);
    expect(other.data?.school ?? null).toBeNull();
  });

  it('district totals sum the schools’ numerators and recompute the rates; a school that does not answer is named and left out', async () => {
    const p = period();
    const { schools } = await ask('analyst', PROGRESS, { p, g: ['YEAR_OF_STUDY', 'SUBJECT'] });
    const { districtProgress } = await ask('analyst', DISTRICT, { p, g: ['YEAR_OF_STUDY', 'SUBJECT'] });
    expect(districtProgress.schools).toEqual(['s001', 's002', 's003']);
    expect(districtProgress.unavailable).toEqual([]);
    const rows = schools.flatMap((s: any) => s.progress.rows);
    const keys = new Set(rows.map((r: any) => `${r.yearOfStudy}|${r.subject}`));
    expect(districtProgress.rows).toHaveLength(keys.size);
    for (const total of districtProgress.rows) {
      const parts = rows.filter((r: any) => r.yearOfStudy === total.yearOfStudy && r.subject === total.subject);
      const sum = (k: string) => parts.reduce((a: number, r: any) => a + r[k], 0);
      expect(total.schools).toBe(parts.length);
      expect([
        total.students,
        total.ratedStudents,
        total.qualityStudents,
        total.successStudents,
        total.numericMarks,
        total.absences,
        total.lessonSlots,
        total.studentsAtRisk,
      ]).toEqual(['students', 'ratedStudents', 'qualityStudents', 'successStudents', 'numericMarks', 'absences', 'lessonSlots', 'studentsAtRisk'].map(sum));
      if (sum('ratedStudents') > 0) expect(total.qualityRate).toBeCloseTo(sum('qualityStudents') / sum('ratedStudents'), 4);
      if (sum('weightSum') > 0) expect(total.averageMark).toBeCloseTo(sum('weightedMarkSum') / sum('weightSum'), 2);
      expect(total.attendanceRate).toBeCloseTo(1 - sum('absences') / sum('lessonSlots'), 4);
    }

    for (const [user, g, code] of [
      ['s001.deputy', [], 'FORBIDDEN'],
      ['analyst', ['CLASS_GROUP'], 'BAD_USER_INPUT'],
    ] as const) {
      const refused = await gql(district.gateway.url, await tokenFor(user), DISTRICT, { p, g });
      expect([user, codes(refused)]).toEqual([user, [code]]);
    }

    await district.stopSchool('s003');
    try {
      const partial = (await gql(district.gateway.url, await tokenFor('analyst'), DISTRICT, { p, g: [] })).data!.districtProgress;
      expect(partial.schools).toEqual(['s001', 's002']);
      expect(partial.unavailable.map((u: { schoolId: string }) => u.schoolId)).toEqual(['s003']);
      // Every mark falls in exactly one (year, subject) row, so the two schools' rows add up to the total without s003.
      const twoSchools = rows.filter((r: any) => r.schoolId !== 's003');
      expect(partial.rows).toHaveLength(1);
      expect(partial.rows[0].numericMarks).toBe(twoSchools.reduce((a: number, r: any) => a + r.numericMarks, 0));
      expect(partial.rows[0].numericMarks).toBeLessThan(rows.reduce((a: number, r: any) => a + r.numericMarks, 0));
    } finally {
      await district.startSchool('s003');
    }
  });

  it('a period over a year is refused with a code by every school', async () => {
    const answer = await gql(district.gateway.url, await tokenFor('analyst'), PROGRESS, { p: { from: '2025-01-01', to: '2026-06-30' }, g: [] });
    expect(new Set(codes(answer))).toEqual(new Set(['BAD_USER_INPUT']));
  });

  it('the progress export holds the same numbers as GraphQL; the deputy’s file adds the names, the analyst’s does not', async () => {
    const p = period();
    const { schools } = await ask('analyst', PROGRESS, { p, g: ['YEAR_OF_STUDY'] });
    const url = (_user: string) => district.gateway.url.replace('/graphql', `/exports/progress.xlsx?from=${p.from}&to=${p.to}&groupBy=YEAR_OF_STUDY`);
    const load = async (user: string) => {
      const response = await fetch(url(user), { headers: { authorization: `Bearer ${await tokenFor(user)}` } });
      expect(response.status).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
      return book;
    };
    const book = await load('analyst');
    expect(book.worksheets.map((w) => w.name)).toEqual(['Успеваемость', 'Итоги по району', 'Нет данных']);
    const { districtProgress } = await ask('analyst', DISTRICT, { p, g: ['YEAR_OF_STUDY'] });
    const totals = book.getWorksheet('Итоги по району')!;
    const totalHeaders = (totals.getRow(1).values as unknown[]).slice(1);
    expect(totals.rowCount).toBe(1 + districtProgress.rows.length);
    districtProgress.rows.forEach((r: any, i: number) => {
      const x = totals.getRow(i + 2);
      expect(x.getCell(totalHeaders.indexOf('Параллель') + 1).value).toBe(r.yearOfStudy);
      expect(x.getCell(totalHeaders.indexOf('Средний балл') + 1).value).toBe(r.averageMark);
      expect(x.getCell(totalHeaders.indexOf('Качество знаний') + 1).value).toBe(r.qualityRate);
    });
    const sheet = book.getWorksheet('Успеваемость')!;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    const col = (h: string) => headers.indexOf(h) + 1;
    const rows = schools.flatMap((s: any) => s.progress.rows);
    expect(sheet.rowCount).toBe(1 + rows.length);
    rows.forEach((r: any, i: number) => {
      const x = sheet.getRow(i + 2);
      expect([x.getCell(col('Код школы')).value, x.getCell(col('Параллель')).value]).toEqual([r.schoolId, r.yearOfStudy]);
      expect(x.getCell(col('Средний балл')).value).toBe(r.averageMark);
      expect(x.getCell(col('Качество знаний')).value).toBe(r.qualityRate);
      expect(x.getCell(col('Успеваемость')).value).toBe(r.successRate);
      expect(x.getCell(col('Посещаемость')).value).toBe(r.attendanceRate);
      expect(x.getCell(col('В группе риска')).value).toBe(r.studentsAtRisk);
    });

    const deputy = await load('s001.deputy');
    expect(deputy.worksheets.map((w) => w.name)).toEqual(['Успеваемость', 'Группа риска', 'Нет данных']);
    expect(deputy.getWorksheet('Группа риска')!.rowCount).toBeGreaterThan(1);
    expect(deputy.getWorksheet('Успеваемость')!.getColumn(1).values.slice(2)).toEqual(expect.arrayContaining(['s001']));
    expect(new Set(deputy.getWorksheet('Успеваемость')!.getColumn(1).values.slice(2))).toEqual(new Set(['s001']));
  });
});
