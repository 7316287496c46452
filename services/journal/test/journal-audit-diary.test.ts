import { randomUUID } from 'node:crypto';
import { backupDatabase, compareDatabases, restoreDatabase } from '@district/infra';
import { databaseUrl, dropDatabase } from '@district/kit/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codes, startJournalWorld, type JournalWorld } from './journal-test-world';

let w: JournalWorld;
beforeAll(async () => {
  w = await startJournalWorld();
});
afterAll(async () => {
  await w?.close();
});

const key = () => `k-${randomUUID()}`;
const ENTER_MARKS = `mutation($lesson: ID!, $marks: [MarkInput!]!, $key: String!) { enterMarks(lessonId: $lesson, marks: $marks, idempotencyKey: $key) { id } }`;
const DIARY = `query($s: ID!, $week: String!) { diary(studentId: $s, weekStart: $week) {
  weekStart term days { date weekday lessons { period subject topic homework attendance marks { value controlForm weight } } }
  subjects { subject average proposedGrade marksCount marks } } }`;

async function enter(date: string, marks: { student: number; value: string; form: string }[]): Promise<void> {
  const answer = await w.gql('s001.teacher', ENTER_MARKS, {
    lesson: await w.lesson(w.maths, date),
    key: key(),
    marks: marks.map((m) => ({ studentId: w.id('Student', m.student), value: m.value, controlForm: m.form })),
  });
  expect(answer.errors).toBeUndefined();
}

describe('the diary', () => {
  it('shows a parent the week’s lessons, topic, homework, marks with forms and weights, absences, and the weighted average', async () => {
    const petrov = w.ids.petrov;
    await enter(w.dates.recent, [
      { student: petrov, value: '5', form: 'ORAL' },
      { student: petrov, value: '3', form: 'TEST' },
    ]);
    await enter(w.dates.old, [{ student: petrov, value: '4', form: 'INDEPENDENT' }]);
    const lesson = await w.lesson(w.maths, w.dates.recent);
    await w.gql(
      's001.teacher',
      `mutation($l: ID!, $k: String!) { setLessonRecord(lessonId: $l, topic: "Десятичные дроби", homework: "§ 12, № 3–5", idempotencyKey: $k) { version } }`,
      { l: lesson, k: key() },
    );
    await w
      .gql(
        's001.teacher',
        `mutation($l: ID!, $s: ID!, $k: String!) { enterAttendance(lessonId: $l, entries: [{ studentId: $s, code: LATE }], idempotencyKey: $k) { id } }`,
        { l: await w.lesson(w.russian, w.dates.recent), s: w.id('Student', petrov), k: key() },
      )
      .then((a) => {
        // The Russian lesson is another teacher's: refused, so Petrov has no attendance entry there.
        expect(codes(a)).toEqual(['FORBIDDEN']);
      });

    const diary = await w.gql('s001.parent', DIARY, { s: w.id('Student', petrov), week: w.dates.recent });
    expect(diary.errors).toBeUndefined();
    const day = diary.data!.diary.days.find((d: { date: string }) => d.date === w.dates.recent);
    expect(day.lessons.map((l: { period: number; subject: string }) => [l.period, l.subject])).toEqual([
      [1, 'Математика'],
      [2, 'Русский язык'],
    ]);
    expect(day.lessons[0]).toMatchObject({
      topic: 'Десятичные дроби',
      homework: '§ 12, № 3–5',
      attendance: null,
      marks: [
        { value: '5', controlForm: 'Ответ на уроке', weight: 1 },
        { value: '3', controlForm: 'Контрольная работа', weight: 3 },
      ],
    });
    // (5×1 + 3×3 + 4×2) / (1 + 3 + 2) = 22 / 6 = 3.666… → 3.67
    expect(diary.data!.diary.subjects).toEqual([{ subject: 'Математика', average: 3.67, proposedGrade: '4', marksCount: 3, marks: ['4', '5', '3'] }]);
    expect(diary.data!.diary.term).toBe('Текущая четверть');
  });

  it('is refused to another parent and to a student of another family', async () => {
    const classmate = w.id('Student', w.ids.classmates[0]!);
    for (const user of ['s001.parent', 's001.student']) {
      const answer = await w.gql(user, DIARY, { s: classmate, week: w.dates.recent });
      expect(codes(answer)).toEqual(['FORBIDDEN']);
    }
    const own = await w.gql('s001.student', DIARY, { s: w.id('Student', w.ids.petrov), week: w.dates.recent });
    expect(own.errors).toBeUndefined();
  });

  it('takes a fixed number of SQL statements whatever the number of lessons and marks', async () => {
    const measure = async (week: string) => {
      w.journal.sql.reset();
      const answer = await w.gql('s001.parent', DIARY, { s: w.id('Student', w.ids.petrov), week });
      expect(answer.errors).toBeUndefined();
      return { statements: w.journal.sql.count, lessons: answer.data!.diary.days.reduce((n: number, d: { lessons: unknown[] }) => n + d.lessons.length, 0) };
    };
    const before = await measure(w.dates.old);
    // Many more marks in that week and across the term.
    const dates = [0, 1, 2, 3].map((d) => w.dates.shift(w.dates.old, -d)).filter((d) => new Date(`${d}T00:00:00Z`).getUTCDay() !== 0);
    for (const date of dates)
      await enter(
        date,
        [1, 2, 3, 4, 5].map((i) => ({ student: w.ids.petrov, value: String(1 + (i % 5)), form: i % 2 ? 'ORAL' : 'TEST' })),
      );
    const after = await measure(w.dates.old);
    expect(after.lessons).toBeGreaterThanOrEqual(before.lessons);
    expect(after.statements).toBe(before.statements);
    expect(before.statements).toBeLessThanOrEqual(8);
  });
});

describe('the audit chain', () => {
  const VERIFY = `{ verifyAudit(schoolId: "s001") { ok rowsChecked firstBrokenId problem } }`;

  it('verifies, and the database refuses UPDATE and DELETE on it', async () => {
    const answer = await w.gql('s001.deputy', VERIFY);
    expect(answer.data!.verifyAudit).toMatchObject({ ok: true, firstBrokenId: null });
    expect(answer.data!.verifyAudit.rowsChecked).toBeGreaterThan(5);
    await expect(w.sql(`update journal.audit set reason = 'x' where id = 1`)).rejects.toThrow(/append-only/);
    await expect(w.sql(`delete from journal.audit where id = 1`)).rejects.toThrow(/append-only/);
    expect(codes(await w.gql('s001.teacher', VERIFY))).toEqual(['FORBIDDEN']);
  });

  it('names the row a database owner tampered with by hand', async () => {
    const [victim] = await w.sql<{ id: string }>(`select id::text from journal.audit where entity = 'MARK' order by id limit 1 offset 2`);
    // The owner can switch triggers off: that is exactly what the chain is for.
    await w.sql(`alter table journal.audit disable trigger audit_no_update`);
    await w.sql(`update journal.audit set new = jsonb_set(new, '{value}', '"5"') where id = ?`, [victim!.id]);
    await w.sql(`alter table journal.audit enable trigger audit_no_update`);
    const answer = await w.gql('s001.deputy', VERIFY);
    expect(answer.data!.verifyAudit).toMatchObject({ ok: false, firstBrokenId: victim!.id, problem: expect.stringContaining('altered') });
  });
});

describe('backup and restore of a school', () => {
  it('a restored copy has every journal table identical', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'journal-backup-'));
    const source = w.database;
    const copy = `${source}_restored`;
    try {
      const backup = await backupDatabase({ school: 's001', database: source, outDir: dir });
      const restored = await restoreDatabase({ file: backup.file, into: copy });
      expect(restored.checks.every((c) => c.ok)).toBe(true);
      const differences = await compareDatabases(databaseUrl(source), databaseUrl(copy));
      expect(differences).toEqual([]);
      const [counts] = await w.sql<{ n: string }>(`select count(*)::text as n from journal.mark`);
      expect(Number(counts!.n)).toBeGreaterThan(5);
    } finally {
      await dropDatabase(copy);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
