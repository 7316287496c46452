/**
 * The year-end journal archive of a class, against a real demo school: the
 * people, schedule and journal services on a fresh database, seeded by the
 * demo seeders (as demo-data.test.ts does), then the PDF of 5А checked as a
 * PDF (pdf-lib parses it) and by its extracted text (pdf-parse), against the
 * database.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { PDFDocument } from 'pdf-lib';
import { authSettings } from '@district/kit';
import { createTestDatabase, keycloakUrl } from '@district/kit/testing';
import { startJournal, type JournalService } from '@district/journal';
import { startPeople, type PeopleService } from '@district/people';
import { startSchedule, type ScheduleService } from '@district/schedule';
import { curriculumFor, seedDemoJournal, seedDemoPeople, seedDemoSchedule } from '@district/demo';
import { archiveFileName, main as archiveCli } from '../src/archive/archive-cli';
import {
  ArchiveError,
  buildClassArchive,
  buildClassArchiveWithModel,
  cellText,
  NO_TERM_GRADES,
  NO_YEAR_GRADES,
  type ArchiveModel,
} from '../src/archive/journal-archive';

const execFileAsync = promisify(execFile);
const TODAY = '2026-11-27';
const STUDENTS_PER_CLASS = 6;
const YEAR = '2026/2027';
const PRODUCED_AT = new Date('2026-11-27T15:30:00Z');

const n = (v: unknown) => Number(v);
/** Extracted text with every run of whitespace as one space. */
const flat = (s: string) => s.replace(/\s+/g, ' ');

/**
 * The text of each page, by pdf-parse (pdf.js). In a child node process: pdf.js loads its worker with a
 * dynamic import, which jest's module system refuses without --experimental-vm-modules.
 */
async function extractPages(pdf: Buffer): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'district-archive-text-'));
  try {
    const file = path.join(dir, 'archive.pdf');
    writeFileSync(file, pdf);
    const script = `
      const { PDFParse } = require(${JSON.stringify(require.resolve('pdf-parse'))});
      const parser = new PDFParse({ data: new Uint8Array(require('node:fs').readFileSync(process.argv[1])) });
      parser.getText().then(async (r) => { process.stdout.write(JSON.stringify(r.pages.map((p) => p.text))); await parser.destroy(); },
                            (e) => { console.error(e); process.exit(1); });`;
    const { stdout } = await execFileAsync(process.execPath, ['-e', script, file], { maxBuffer: 256 * 1024 * 1024 });
    return JSON.parse(stdout) as string[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('year-end journal archive of a class (PDF)', () => {
  let db: { name: string; url: string; drop(): Promise<void> };
  let people: PeopleService;
  let schedule: ScheduleService;
  let journal: JournalService;
  let outDir: string;
  let pdf: Buffer;
  let model: ArchiveModel;
  let pages: string[];
  let text: string;
  let buildMs: number;
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => journal.em().getConnection().execute<T[]>(text, params);
  const fixture = { withdrawnMarkId: 0, cancelledLessonId: 0, substitutedLessonId: 0, substitute: '', termGrades: 0, yearGrades: 0 };

  beforeAll(async () => {
    db = await createTestDatabase('archive');
    const base = {
      schoolId: 's001',
      port: 0,
      databaseUrl: db.url,
      production: false,
      auth: authSettings(keycloakUrl(), 'district', 'district-api'),
      poolMax: 5,
    };
    people = await startPeople(base);
    schedule = await startSchedule(base);
    journal = await startJournal(base);
    const started = performance.now();
    await seedDemoPeople(people.em(), { schoolId: 's001', studentsPerClass: STUDENTS_PER_CLASS, today: TODAY });
    await seedDemoSchedule(schedule.em(), { schoolId: 's001', today: TODAY });
    await seedDemoJournal(journal.em(), { schoolId: 's001', today: TODAY });
    const seedMs = Math.round(performance.now() - started);

    // What the demo history lacks: a withdrawn mark, a cancelled lesson, a substitution, term grades.
    const [mark] = await sql<{ id: number }>(
      `select m.id from journal.mark m join schedule.lesson_facts f on f.lesson_id = m.lesson_id join people.class_group_facts cg on cg.class_group_id = f.class_group_id
        where cg.name = '5А' and f.subject_name = 'Математика' order by m.id limit 1`,
    );
    fixture.withdrawnMarkId = mark!.id;
    await sql(`update journal.mark set status = 'WITHDRAWN' where id = ?`, [mark!.id]);
    const [future] = await sql<{ lesson_id: number }>(
      `select f.lesson_id from schedule.lesson_facts f join people.class_group_facts cg on cg.class_group_id = f.class_group_id
        where cg.name = '5А' and f.subject_name = 'История' and f.date > ?::date order by f.date, f.period limit 1`,
      [TODAY],
    );
    fixture.cancelledLessonId = future!.lesson_id;
    await sql(`update schedule.lesson set status = 'CANCELLED' where id = ?`, [future!.lesson_id]);
    const [past] = await sql<{ lesson_id: number; teacher_staff_id: number }>(
      `select f.lesson_id, f.teacher_staff_id from schedule.lesson_facts f join people.class_group_facts cg on cg.class_group_id = f.class_group_id
        where cg.name = '5А' and f.subject_name = 'География' and f.date < ?::date order by f.date desc limit 1`,
      [TODAY],
    );
    const [sub] = await sql<{ staff_id: number; last_name: string; first_name: string; middle_name: string }>(
      `select staff_id, last_name, first_name, middle_name from people.staff_facts where staff_id <> ? and active and middle_name is not null order by staff_id limit 1`,
      [past!.teacher_staff_id],
    );
    fixture.substitutedLessonId = past!.lesson_id;
    fixture.substitute = `${sub!.last_name} ${sub!.first_name[0]}. ${sub!.middle_name[0]}.`;
    await sql(`update schedule.lesson set substitute_staff_id = ? where id = ?`, [sub!.staff_id, past!.lesson_id]);
    // Term grades of the first quarter in Математика, as the teacher would set them (the journal's own table).
    const termRows = await sql<{ id: number }>(
      `insert into journal.term_grade (term_id, student_id, subject_id, value, set_by, set_at)
         select distinct f.term_id, ls.student_id, f.subject_id, case when ls.student_id % 3 = 0 then 'NOT_ASSESSED' else '5' end,
                '00000000-0000-4000-8000-000000000103'::uuid, now()
           from schedule.lesson_facts f join schedule.lesson_students ls on ls.lesson_id = f.lesson_id
           join people.class_group_facts cg on cg.class_group_id = f.class_group_id join schedule.term_facts t on t.term_id = f.term_id
          where cg.name = '5А' and f.subject_name = 'Математика' and t.number = 1
         returning id`,
    );
    fixture.termGrades = termRows.length;
    const yearRows = await sql<{ id: number }>(
      `insert into journal.year_grade (academic_year_id, student_id, subject_id, value, set_by, set_at)
         select distinct t.academic_year_id, ls.student_id, f.subject_id, '4', '00000000-0000-4000-8000-000000000103'::uuid, now()
           from schedule.lesson_facts f join schedule.lesson_students ls on ls.lesson_id = f.lesson_id
           join people.class_group_facts cg on cg.class_group_id = f.class_group_id join schedule.term_facts t on t.term_id = f.term_id
          where cg.name = '5А' and f.subject_name = 'Математика'
         returning id`,
    );
    fixture.yearGrades = yearRows.length;

    const t0 = performance.now();
    ({ pdf, model } = await buildClassArchiveWithModel(journal.em(), {
      classGroupName: '5А',
      academicYear: YEAR,
      schoolName: 'ГБОУ «Школа № 1»',
      schoolCode: 's001',
      producedAt: PRODUCED_AT,
    }));
    buildMs = Math.round(performance.now() - t0);
    const t1 = performance.now();
    pages = await extractPages(pdf);
    text = flat(pages.join('\n'));
    console.log(
      `archive of 5А (${STUDENTS_PER_CLASS} students a class, today ${TODAY}): seeding ${seedMs} ms; built in ${buildMs} ms: ${pdf.length} bytes, ` +
        `${pages.length} pages, ${model.subjects.length} subjects, ${model.totals.lessons} lessons, ${model.totals.marks} marks; text extracted in ${Math.round(performance.now() - t1)} ms`,
    );
    outDir = mkdtempSync(path.join(tmpdir(), 'district-archive-'));
    // To look at it: ARCHIVE_TEST_KEEP=/tmp/5a.pdf npx jest services/journal/test/archive.test.ts
    if (process.env.ARCHIVE_TEST_KEEP) writeFileSync(process.env.ARCHIVE_TEST_KEEP, pdf);
  }, 240_000);

  afterAll(async () => {
    await journal?.close();
    await schedule?.close();
    await people?.close();
    await db?.drop();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('is a valid PDF with an embedded font subset: a title page, the class list, and more pages than subjects', async () => {
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const parsed = await PDFDocument.load(pdf);
    expect(parsed.getPageCount()).toBe(pages.length);
    expect(parsed.getPageCount()).toBeGreaterThan(model.subjects.length + 2);
    const { width, height } = parsed.getPage(0).getSize();
    expect([Math.round(width), Math.round(height)]).toEqual([842, 595]); // A4 landscape
    expect(parsed.getTitle()).toContain('5А');
    // The font is embedded (FontFile2), as a subset (ABCDEF+ prefix).
    const raw = pdf.toString('latin1');
    expect(raw).toMatch(/\/FontFile2/);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSansCondensed/);
  });

  it('names the school, class, year, class teacher, production date and the data hash on the title page', async () => {
    const [cg] = await sql<{ last_name: string; first_name: string; middle_name: string }>(
      `select s.last_name, s.first_name, s.middle_name from people.class_group_facts cg join people.staff_facts s on s.staff_id = cg.class_teacher_id where cg.name = '5А'`,
    );
    const title = flat(pages[0]!);
    expect(title).toContain('ГБОУ «Школа № 1» (s001)');
    expect(title).toContain('5А класс');
    expect(title).toContain('2026/2027 учебный год');
    expect(title).toContain([cg!.last_name, cg!.first_name, cg!.middle_name].filter(Boolean).join(' '));
    expect(title).toContain('27.11.2026 18:30');
    expect(model.dataSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(title).toContain(model.dataSha256);
    // Every page carries the start of the hash and its number.
    pages.forEach((p, i) => expect(flat(p)).toContain(`стр. ${i + 1} из ${pages.length}`));
    expect(pages.every((p) => p.includes(model.dataSha256.slice(0, 16)))).toBe(true);
  });

  it('has every subject of the 5th-year curriculum, split groups apart, in the order of their first lessons', () => {
    const expected = curriculumFor(5).flatMap((l) => (l.split ? [`${l.subject} (гр. 1)`, `${l.subject} (гр. 2)`] : [l.subject]));
    expect(model.subjects.map((s) => s.title).sort()).toEqual([...expected].sort());
    const firsts = model.subjects.map((s) => `${s.lessons[0]!.date}/${s.lessons[0]!.period}`);
    expect(firsts).toEqual([...firsts].sort());
    for (const title of ['Русский язык — журнал', 'Математика — журнал', 'История — журнал', 'Английский язык (гр. 1) — журнал', 'Биология — итоги']) {
      expect(text).toContain(title);
    }
  });

  it('lists the students of 5А by their Russian names, sorted by surname, and uses Фамилия И. in the grids', async () => {
    const students = await sql<{ last_name: string; first_name: string; middle_name: string | null }>(
      `select s.last_name, s.first_name, s.middle_name from people.student_facts s join people.enrollment_facts e on e.student_id = s.student_id
         join people.class_group_facts cg on cg.class_group_id = e.class_group_id where cg.name = '5А' and cg.academic_year = ?`,
      [YEAR],
    );
    expect(students.length).toBeGreaterThanOrEqual(STUDENTS_PER_CLASS);
    const full = students.map((s) => [s.last_name, s.first_name, s.middle_name].filter(Boolean).join(' '));
    for (const name of full) expect(text).toContain(name);
    expect(model.students.map((s) => s.fullName)).toEqual([...full].sort((a, b) => a.localeCompare(b, 'ru')));
    const maths = pages.filter((p) => p.includes('Математика — журнал'));
    for (const s of students) expect(flat(maths[0]!)).toContain(`${s.last_name} ${s.first_name[0]}.`);
  });

  it('prints the topics and homework of 5А lessons', async () => {
    const records = await sql<{ topic: string; homework: string | null }>(
      `select r.topic, r.homework from journal.lesson_record r join schedule.lesson_facts f on f.lesson_id = r.lesson_id
         join people.class_group_facts cg on cg.class_group_id = f.class_group_id
        where cg.name = '5А' and length(r.topic) < 60 and length(coalesce(r.homework, '')) < 60 order by f.date desc, f.period limit 8`,
    );
    expect(records.length).toBe(8);
    for (const r of records) {
      expect(text).toContain(flat(r.topic));
      if (r.homework) expect(text).toContain(flat(r.homework));
    }
    const [held] = await sql<{ count: string }>(
      `select count(*) from journal.lesson_record r join schedule.lesson_facts f on f.lesson_id = r.lesson_id join people.class_group_facts cg on cg.class_group_id = f.class_group_id where cg.name = '5А' and r.topic is not null`,
    );
    expect(model.totals.withTopic).toBe(n(held!.count));
  });

  it("prints exactly the active marks: one student's marks in Математика, counted on the pages, equal journal.mark", async () => {
    const maths = model.subjects.find((s) => s.title === 'Математика')!;
    // The student with the withdrawn mark.
    const [owner] = await sql<{ student_id: number }>(`select student_id from journal.mark where id = ?`, [fixture.withdrawnMarkId]);
    const row = maths.rows.find((r) => r.studentId === owner!.student_id)!;
    const rowNumber = maths.rows.indexOf(row) + 1;
    const student = model.students.find((s) => s.studentId === row.studentId)!;
    const [db] = await sql<{ active: string; all: string }>(
      `select count(*) filter (where m.status = 'ACTIVE') as active, count(*) as all from journal.mark m
         join schedule.lesson_facts f on f.lesson_id = m.lesson_id join people.class_group_facts cg on cg.class_group_id = f.class_group_id
        where cg.name = '5А' and f.subject_name = 'Математика' and m.student_id = ?`,
      [row.studentId],
    );
    expect(n(db!.all)).toBe(n(db!.active) + 1);
    expect(row.cells.reduce((sum, c) => sum + c.marks.length, 0)).toBe(n(db!.active));

    // On the grid pages, the student's line: "<№> <Фамилия И.> <cells…>"; each mark is one 1–5 / зач / незач token.
    const gridPages = pages.filter((p) => p.includes('Математика — журнал'));
    expect(gridPages.length).toBe(Math.ceil(maths.lessons.length / 20));
    let printed = 0;
    let lines = 0;
    for (const page of gridPages) {
      const prefix = `${rowNumber} ${student.shortName}`;
      const line = page
        .split('\n')
        .map(flat)
        .find((l) => l.startsWith(`${prefix} `) || l === prefix);
      expect(line).toBeDefined();
      lines++;
      const cells = line!.slice(prefix.length).trim();
      printed += cells === '' ? 0 : cells.split(/[\s/]+/).filter((t) => /^([1-5]|зач|незач)$/.test(t)).length;
    }
    expect(lines).toBe(gridPages.length);
    expect(printed).toBe(n(db!.active));
    // The class's total, too.
    const [total] = await sql<{ count: string }>(
      `select count(*) from journal.mark m join schedule.lesson_facts f on f.lesson_id = m.lesson_id join people.class_group_facts cg on cg.class_group_id = f.class_group_id where cg.name = '5А' and m.status = 'ACTIVE'`,
    );
    expect(model.totals.marks).toBe(n(total!.count));
    expect(model.subjects.reduce((s, x) => s + x.rows.reduce((r, y) => r + y.cells.reduce((c, z) => c + z.marks.length, 0), 0), 0)).toBe(n(total!.count));
  });

  it('prints attendance letters and several marks of a lesson separated by "/"', async () => {
    const codes = await sql<{ code: string; count: string }>(
      `select a.code, count(*) from journal.attendance a join schedule.lesson_facts f on f.lesson_id = a.lesson_id join people.class_group_facts cg on cg.class_group_id = f.class_group_id
        where cg.name = '5А' and a.status = 'ACTIVE' group by a.code`,
    );
    expect(model.totals.attendance).toBe(codes.reduce((s, c) => s + n(c.count), 0));
    const cells = model.subjects.flatMap((s) => s.rows.flatMap((r) => r.cells));
    expect(cells.filter((c) => c.attendance === 'ILL').length).toBe(n(codes.find((c) => c.code === 'ILL')?.count ?? 0));
    expect(
      cellText({
        takes: true,
        marks: [
          { value: '5', weight: 1, form: 'x' },
          { value: '4', weight: 3, form: 'y' },
        ],
        attendance: null,
      }),
    ).toBe('5/4');
    expect(cellText({ takes: true, marks: [{ value: '4', weight: 1, form: 'x' }], attendance: 'LATE' })).toBe('ОП 4');
    expect(cellText({ takes: true, marks: [], attendance: 'EXCUSED' })).toBe('УП');
    const grids = pages
      .filter((p) => p.includes('— журнал'))
      .map(flat)
      .join(' ');
    expect(grids).toMatch(/ Б /);
    // The demo history (fixed seed and date) has unexcused absences and lessons with two marks for a student.
    expect(cells.filter((c) => c.attendance === 'ABSENT').length).toBeGreaterThan(0);
    expect(grids).toMatch(/ Н /);
    const double = cells.find((c) => c.marks.length > 1);
    expect(double).toBeDefined();
    expect(grids).toContain(cellText(double!));
  });

  it('shows the cancelled lesson as "отменён" and the substitute who taught a lesson', () => {
    const history = model.subjects.find((s) => s.title === 'История')!;
    const cancelled = history.lessons.find((l) => l.lessonId === fixture.cancelledLessonId)!;
    expect(cancelled.cancelled).toBe(true);
    expect(model.totals.cancelled).toBe(1);
    const page = pages.find((p) => p.includes('История') && p.includes('отменён'));
    expect(page).toBeDefined();
    const geography = model.subjects.find((s) => s.title === 'География')!;
    expect(geography.lessons.find((l) => l.lessonId === fixture.substitutedLessonId)!.substitute).toBe(fixture.substitute);
    expect(text).toContain(`замена: ${fixture.substitute}`);
  });

  it("computes each student's weighted average per term by the one rule (matches SQL) and prints it", async () => {
    const maths = model.subjects.find((s) => s.title === 'Математика')!;
    const term = model.terms.find((t) => t.number === 1)!;
    const expected = await sql<{ student_id: number; avg: string }>(
      `select m.student_id, round(sum(m.value::int * m.weight) / sum(m.weight), 2)::text as avg from journal.mark m
         join schedule.lesson_facts f on f.lesson_id = m.lesson_id join people.class_group_facts cg on cg.class_group_id = f.class_group_id
        where cg.name = '5А' and f.subject_name = 'Математика' and f.term_id = ? and m.status = 'ACTIVE' and m.value in ('1', '2', '3', '4', '5')
        group by m.student_id`,
      [term.termId],
    );
    expect(expected.length).toBeGreaterThan(0);
    for (const e of expected) {
      const row = maths.rows.find((r) => r.studentId === e.student_id)!;
      expect(row.terms.find((t) => t.termId === term.termId)!.average).toBe(Number(e.avg));
    }
    const results = flat(pages.find((p) => p.includes('Математика — итоги'))!);
    expect(results).toContain(Number(expected[0]!.avg).toFixed(2).replace('.', ','));
  });

  it('prints the term and year grades where the journal has them, and "не выставлены" where not', async () => {
    const maths = flat(pages.find((p) => p.includes('Математика — итоги'))!);
    const russian = flat(pages.find((p) => p.includes('Русский язык — итоги'))!);
    expect(russian).toContain(NO_TERM_GRADES);
    expect(russian).toContain(NO_YEAR_GRADES);
    expect(fixture.yearGrades).toBeGreaterThan(0);
    expect(fixture.termGrades).toBeGreaterThan(0);
    expect(model.yearGrades).toEqual({ tableExists: true, count: fixture.yearGrades });
    expect(maths).not.toContain(NO_YEAR_GRADES);
    expect(model.subjects.find((s) => s.title === 'Математика')!.rows.every((r) => r.yearGrade === '4')).toBe(true);
    expect(model.termGrades).toEqual({ tableExists: true, count: fixture.termGrades });
    expect(maths).not.toContain(NO_TERM_GRADES);
    expect(maths).toContain('н/а');
    const graded = model.subjects.find((s) => s.title === 'Математика')!.rows.flatMap((r) => r.terms.filter((t) => t.grade !== null));
    expect(graded.length).toBe(fixture.termGrades);
    // Without the table at all (an older journal): the same note everywhere, nothing breaks.
    await sql(`drop table if exists journal.term_grade cascade`);
    await sql(`drop table if exists journal.year_grade cascade`);
    const { pdf: without, model: m2 } = await buildClassArchiveWithModel(journal.em(), { classGroupName: '5А', academicYear: YEAR, producedAt: PRODUCED_AT });
    expect(m2.termGrades).toEqual({ tableExists: false, count: 0 });
    expect(m2.yearGrades).toEqual({ tableExists: false, count: 0 });
    const resultPages = (await extractPages(without)).filter((p) => p.includes('— итоги по учебным периодам'));
    expect(resultPages.length).toBe(m2.subjects.length);
    for (const p of resultPages) {
      expect(flat(p)).toContain(NO_TERM_GRADES);
      expect(flat(p)).toContain(NO_YEAR_GRADES);
    }
    expect(m2.dataSha256).not.toBe(model.dataSha256);
  });

  it('hashes the data, not the moment: the same data gives the same hash; a changed mark another', async () => {
    const again = await buildClassArchiveWithModel(journal.em(), { classGroupName: '5a', academicYear: YEAR, producedAt: new Date('2027-06-01T10:00:00Z') });
    const before = again.model.dataSha256;
    const third = await buildClassArchiveWithModel(journal.em(), { classGroupName: '5А', academicYear: YEAR });
    expect(third.model.dataSha256).toBe(before);
    const [m] = await sql<{ id: number; value: string }>(
      `select m.id, m.value from journal.mark m join schedule.lesson_facts f on f.lesson_id = m.lesson_id join people.class_group_facts cg on cg.class_group_id = f.class_group_id
        where cg.name = '5А' and m.status = 'ACTIVE' and m.value in ('3', '4') order by m.id limit 1`,
    );
    await sql(`update journal.mark set value = ? where id = ?`, [m!.value === '3' ? '4' : '3', m!.id]);
    const changed = await buildClassArchiveWithModel(journal.em(), { classGroupName: '5А', academicYear: YEAR });
    expect(changed.model.dataSha256).not.toBe(before);
    await sql(`update journal.mark set value = ? where id = ?`, [m!.value, m!.id]);
  });

  it('refuses an unknown class, a class without lessons and a bad year with a clear error', async () => {
    await expect(buildClassArchive(journal.em(), { classGroupName: '5В', academicYear: YEAR })).rejects.toThrow(
      /класс "5В" в 2026\/2027 учебном году не найден.*5А, 5Б/,
    );
    await expect(buildClassArchive(journal.em(), { classGroupName: '5А', academicYear: '2025/2026' })).rejects.toThrow(ArchiveError);
    await expect(buildClassArchive(journal.em(), { classGroupName: '5А', academicYear: '2026-2027' })).rejects.toThrow(/2026\/2027/);
    await sql(`insert into people.class_group (name, year_of_study, academic_year) values ('5В', 5, ?)`, [YEAR]);
    await expect(buildClassArchive(journal.em(), { classGroupName: '5В', academicYear: YEAR })).rejects.toThrow(/нет ни одного урока.*no lessons/);
  });

  describe('npm run archive', () => {
    const run = async (...argv: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
      const error = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
      try {
        const code = await archiveCli(argv);
        return { code, out: out.join('\n'), err: err.join('\n') };
      } finally {
        log.mockRestore();
        error.mockRestore();
      }
    };

    it('writes <out>/<school>/<school>-<class>-<year>.pdf and prints its path', async () => {
      const r = await run('--school', 's001', '--class', '5А', '--year', YEAR, '--database', db.name, '--out', outDir, '--school-name', 'Школа № 1');
      expect(r.code).toBe(0);
      // Read through node-postgres, the same data hashes the same as through MikroORM.
      const viaOrm = await buildClassArchiveWithModel(journal.em(), { classGroupName: '5А', academicYear: YEAR, schoolName: 'Школа № 1', schoolCode: 's001' });
      expect(r.err).toContain(`data sha256 ${viaOrm.model.dataSha256}`);
      const file = path.join(outDir, 's001', archiveFileName('s001', '5А', YEAR));
      expect(path.basename(file)).toBe('s001-5А-2026_2027.pdf');
      expect(r.out).toBe(file);
      expect(existsSync(file)).toBe(true);
      expect(existsSync(`${file}.partial`)).toBe(false);
      const written = await PDFDocument.load(readFileSync(file));
      expect(written.getPageCount()).toBeGreaterThan(model.subjects.length);
      if (process.env.ARCHIVE_TEST_KEEP) copyFileSync(file, `${process.env.ARCHIVE_TEST_KEEP}.cli.pdf`);
    });

    it('exits 1 with a clear message for an unknown class or a class without lessons, 2 for bad usage', async () => {
      const unknown = await run('--school', 's001', '--class', '9Я', '--year', YEAR, '--database', db.name, '--out', outDir);
      expect(unknown.code).toBe(1);
      expect(unknown.err).toMatch(/archive failed: класс "9Я" в 2026\/2027 учебном году не найден \(class "9Я" not found in 2026\/2027\)/);
      const empty = await run('--school', 's001', '--class', '5В', '--year', YEAR, '--database', db.name, '--out', outDir);
      expect(empty.code).toBe(1);
      expect(empty.err).toMatch(/class 5В has no lessons in 2026\/2027/);
      const notSchool = await run('--school', 's001', '--class', '5А', '--year', YEAR, '--database', 'postgres', '--out', outDir);
      expect(notSchool.code).toBe(1);
      expect(notSchool.err).toMatch(/lacks the school's people\/schedule\/journal views/);
      const usage = await run('--school', 's001', '--class', '5А');
      expect(usage.code).toBe(2);
      expect(usage.err).toMatch(/--year is required/);
    });
  });
});
