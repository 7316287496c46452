/**
 * What a class's year-end journal archive holds, read from one school's
 * database in one consistent snapshot.
 *
 * Reads only the published views of people (people.*_facts) and schedule
 * (schedule.lesson_facts, lesson_students, term_facts) and the journal's own
 * tables (mark, attendance, lesson_record, control_form; term_grade and
 * year_grade when they exist). Withdrawn marks and attendance are left out; cancelled lessons
 * stay, flagged. The model is plain data in a fixed order, so its SHA-256
 * (printed on the title page) identifies exactly the data the PDF shows.
 */
import { createHash } from 'node:crypto';
import type { IsolationLevel } from '@mikro-orm/core';
import type { Client, Pool, PoolClient } from 'pg';
import { canonicalJson } from '@district/kit';
import { weightedAverage } from '../diary/averages';

/** A failure the operator can act on (unknown class, no lessons): the CLI prints its message and exits 1. */
export class ArchiveError extends Error {
  override name = 'ArchiveError';
}

export type AttendanceCode = 'ABSENT' | 'ILL' | 'EXCUSED' | 'LATE';
export type Grading = 'MARKS' | 'PASS_FAIL' | 'NONE';

export interface ArchiveOptions {
  /** The class group's name as the school writes it, e.g. '5А'. */
  classGroupName: string;
  /** '2026/2027' */
  academicYear: string;
  /** Printed on the title page and in every footer (the school's database does not hold its own name). */
  schoolName?: string;
  /** The registry code (s001), printed beside the name. */
  schoolCode?: string;
  /** When the archive is produced (default now); not part of the data hash. */
  producedAt?: Date;
}

export interface ArchiveStudent {
  studentId: number;
  /** Фамилия Имя Отчество */
  fullName: string;
  /** Фамилия И. (Фамилия И. О. where two students of the class would read the same) */
  shortName: string;
  /** Periods in this class during the year (YYYY-MM-DD; to null = still in it). */
  enrolments: { from: string; to: string | null }[];
}

export interface ArchiveTerm {
  termId: number;
  name: string;
  kind: string;
  number: number;
  startDate: string;
  endDate: string;
  closed: boolean;
}

export interface ArchiveMark {
  /** 1–5, PASS, FAIL */
  value: string;
  weight: number;
  form: string;
}

export interface ArchiveLesson {
  lessonId: number;
  date: string;
  period: number;
  termId: number;
  cancelled: boolean;
  topic: string | null;
  homework: string | null;
  /** The substitute who taught it, when not the subject's teacher. */
  substitute: string | null;
  /** Forms of control of the marks given (name and weight), by weight, then name. */
  forms: { name: string; weight: number }[];
}

export interface ArchiveCell {
  /** The student took this lesson (enrolled in the class, or in the group, that day). */
  takes: boolean;
  marks: ArchiveMark[];
  attendance: AttendanceCode | null;
}

export interface ArchiveTermResult {
  termId: number;
  /** The weighted average over the student's marks in the subject and term (the one rule: weightedAverage). */
  average: number | null;
  marks: number;
  /** The term grade set by the teacher (1–5, PASS, FAIL, NOT_ASSESSED, EXEMPT), if any. */
  grade: string | null;
}

export interface ArchiveRow {
  studentId: number;
  /** One cell per lesson of the subject, in lesson order. */
  cells: ArchiveCell[];
  terms: ArchiveTermResult[];
  /** The year grade (годовая отметка) set by the teacher, if any. */
  yearGrade: string | null;
}

export interface ArchiveSubject {
  subjectId: number;
  name: string;
  /** A split class's group (гр. 1), or null for the whole class. */
  groupName: string | null;
  /** Name, with the group when split: 'Английский язык (гр. 1)'. */
  title: string;
  grading: Grading;
  /** The teachers the schedule assigns (normally one). */
  teachers: string[];
  lessons: ArchiveLesson[];
  /** Students who took at least one lesson of it, sorted by surname. */
  rows: ArchiveRow[];
}

export interface ArchiveData {
  school: { name: string; code: string | null };
  classGroup: { classGroupId: number; name: string; yearOfStudy: number; academicYear: string; classTeacher: string | null };
  terms: ArchiveTerm[];
  students: ArchiveStudent[];
  /** In curriculum order: by each subject's first lesson. */
  subjects: ArchiveSubject[];
  /** Whether the journal has term grades at all (journal.term_grade exists and holds some for this class). */
  termGrades: { tableExists: boolean; count: number };
  /** Likewise for year grades (journal.year_grade). */
  yearGrades: { tableExists: boolean; count: number };
  totals: { lessons: number; cancelled: number; marks: number; attendance: number; withTopic: number; withHomework: number };
}

export interface ArchiveModel extends ArchiveData {
  /** ISO time the archive was produced. */
  producedAt: string;
  /** SHA-256 (hex) of the canonical JSON of the ArchiveData. */
  dataSha256: string;
}

// ---------------------------------------------------------------- database access

/** A MikroORM EntityManager (the services' `em()`), seen structurally. */
export interface EntityManagerLike {
  getConnection(): { execute(sql: string, params?: unknown[], method?: 'all', ctx?: unknown): Promise<unknown> };
  getTransactionContext(): unknown;
  transactional<T>(cb: (em: EntityManagerLike) => Promise<T>, options?: { isolationLevel?: IsolationLevel; readOnly?: boolean }): Promise<T>;
}

/** An EntityManager, or a node-postgres Client, Pool or PoolClient on the school's database. */
export type ArchiveDb = EntityManagerLike | Client | Pool | PoolClient;

type Query = <T>(text: string, params?: unknown[]) => Promise<T[]>;

/** An int[] parameter as a PostgreSQL array literal: MikroORM would expand a JS array into a list. */
function intArray(ids: Iterable<number>): string {
  return `{${[...new Set(ids)].map((id) => String(Math.trunc(Number(id)))).join(',')}}`;
}

function isEntityManager(db: ArchiveDb): db is EntityManagerLike {
  return typeof (db as EntityManagerLike).getConnection === 'function';
}

function isPool(db: ArchiveDb): db is Pool {
  return typeof (db as Pool).connect === 'function' && typeof (db as Pool).totalCount === 'number';
}

/**
 * Runs `fn` inside one REPEATABLE READ, READ ONLY transaction, so every query
 * sees the same snapshot (the hash then describes one moment of the journal).
 * Queries are written with $1 placeholders; for MikroORM they become `?`.
 */
async function inSnapshot<T>(db: ArchiveDb, fn: (q: Query) => Promise<T>): Promise<T> {
  if (isEntityManager(db)) {
    return db.transactional(
      (tx) => {
        const q: Query = async <R>(text: string, params: unknown[] = []) => {
          const ordered: unknown[] = [];
          const sql = text.replace(/\$(\d+)/g, (_, n: string) => {
            ordered.push(params[Number(n) - 1]);
            return '?';
          });
          return (await tx.getConnection().execute(sql, ordered, 'all', tx.getTransactionContext())) as R[];
        };
        return fn(q);
      },
      { isolationLevel: 'repeatable read' as IsolationLevel, readOnly: true },
    );
  }
  const client: Client | PoolClient = isPool(db) ? await db.connect() : db;
  try {
    await client.query('begin isolation level repeatable read read only');
    try {
      const result = await fn(async <R>(text: string, params: unknown[] = []) => (await client.query(text, params)).rows as R[]);
      await client.query('commit');
      return result;
    } catch (e) {
      await client.query('rollback').catch(() => undefined);
      throw e;
    }
  } finally {
    if (isPool(db)) (client as PoolClient).release();
  }
}

// ---------------------------------------------------------------- names, order

const collator = new Intl.Collator('ru', { sensitivity: 'base', numeric: true });

function initial(name: string | null): string {
  return name && name.trim() !== '' ? `${name.trim()[0]!.toUpperCase()}.` : '';
}

export function fullName(p: { last_name: string; first_name: string; middle_name: string | null }): string {
  return [p.last_name, p.first_name, p.middle_name].filter((s) => s && s.trim() !== '').join(' ');
}

/** Фамилия И. О. — how teachers are named in the journal. */
export function teacherName(p: { last_name: string; first_name: string; middle_name: string | null }): string {
  return `${p.last_name} ${initial(p.first_name)}${p.middle_name ? ` ${initial(p.middle_name)}` : ''}`;
}

/** Latin letters that look like the Cyrillic ones schools write class names with (5A → 5А). */
const LOOKALIKES: Record<string, string> = { A: 'А', B: 'В', E: 'Е', K: 'К', M: 'М', H: 'Н', O: 'О', P: 'Р', C: 'С', T: 'Т', X: 'Х' };

export function normalizeClassName(name: string): string {
  return name
    .trim()
    .toUpperCase()
    .replace(/\s+/g, '')
    .replace(/[A-Z]/g, (c) => LOOKALIKES[c] ?? c);
}

export function checkAcademicYear(year: string): string {
  const m = /^(\d{4})\/(\d{4})$/.exec(year.trim());
  if (!m || Number(m[2]) !== Number(m[1]) + 1) {
    throw new ArchiveError(`учебный год "${year}" записан неверно, нужно например 2026/2027 (bad academic year "${year}", expected e.g. 2026/2027)`);
  }
  return `${m[1]}/${m[2]}`;
}

/** The kit's canonical JSON (keys sorted at every level), the form the audit chain and idempotency keys hash too. */
export function dataSha256(data: ArchiveData): string {
  return createHash('sha256').update(canonicalJson(data)).digest('hex');
}

// ---------------------------------------------------------------- loading

interface ClassRow {
  class_group_id: number;
  name: string;
  year_of_study: number;
  academic_year: string;
  class_teacher_id: number | null;
}
interface PersonRow {
  id: number;
  last_name: string;
  first_name: string;
  middle_name: string | null;
}
interface LessonRow {
  lesson_id: number;
  date: string;
  period: number;
  subject_id: number;
  subject_name: string;
  grading: Grading;
  teacher_staff_id: number;
  substitute_staff_id: number | null;
  status: string;
  term_id: number;
  group_name: string | null;
}
interface MarkRow {
  lesson_id: number;
  student_id: number;
  value: string;
  weight: string;
  form: string;
}
interface AttendanceRow {
  lesson_id: number;
  student_id: number;
  code: AttendanceCode;
}
interface RecordRow {
  lesson_id: number;
  topic: string | null;
  homework: string | null;
}
interface TermRow {
  term_id: number;
  academic_year_id: number;
  name: string;
  start_date: string;
  end_date: string;
  closed: boolean;
  years_from: number;
  years_to: number;
  kind: string;
  number: number;
}
interface GradeRow {
  term_id: number;
  student_id: number;
  subject_id: number;
  value: string;
}
interface YearGradeRow {
  student_id: number;
  subject_id: number;
  value: string;
}

/** Reads everything the archive of one class for one academic year shows, in one snapshot. */
export async function loadArchiveData(db: ArchiveDb, options: ArchiveOptions): Promise<ArchiveData> {
  const academicYear = checkAcademicYear(options.academicYear);
  const className = normalizeClassName(options.classGroupName);
  try {
    return await readArchiveData(db, options, academicYear, className);
  } catch (e) {
    // undefined_table / undefined_column: not a school database, or one whose services have not migrated it.
    const code = (e as { code?: string }).code;
    if (code === '42P01' || code === '42703' || code === '3F000') {
      throw new ArchiveError(
        `в этой базе нет журнала школы (this database lacks the school's people/schedule/journal views: ${(e as Error).message}); ` +
          'start the people, schedule and journal services on it first',
      );
    }
    throw e;
  }
}

async function readArchiveData(db: ArchiveDb, options: ArchiveOptions, academicYear: string, className: string): Promise<ArchiveData> {
  return inSnapshot(db, async (q) => {
    const classes = await q<ClassRow>(
      `select class_group_id, name, year_of_study, academic_year, class_teacher_id from people.class_group_facts where academic_year = $1 order by year_of_study, name`,
      [academicYear],
    );
    const cg = classes.find((c) => normalizeClassName(c.name) === className);
    if (!cg) {
      const known = classes.map((c) => c.name).join(', ');
      throw new ArchiveError(
        `класс "${options.classGroupName}" в ${academicYear} учебном году не найден (class "${options.classGroupName}" not found in ${academicYear}); ` +
          (known ? `классы этого года (classes of that year): ${known}` : 'в этом году нет ни одного класса (no classes that year)'),
      );
    }

    const lessonRows = await q<LessonRow>(
      `select lesson_id, date::text as date, period, subject_id, subject_name, grading, teacher_staff_id, substitute_staff_id, status, term_id, group_name
         from schedule.lesson_facts where class_group_id = $1 order by date, period, subject_name, group_name nulls first, lesson_id`,
      [cg.class_group_id],
    );
    if (lessonRows.length === 0) {
      throw new ArchiveError(
        `у класса ${cg.name} в ${academicYear} учебном году нет ни одного урока в расписании (class ${cg.name} has no lessons in ${academicYear}): нечего архивировать`,
      );
    }

    const [takes, enrolments, marks, attendance, records, terms] = [
      await q<{ lesson_id: number; student_id: number }>(
        `select ls.lesson_id, ls.student_id from schedule.lesson_students ls join schedule.lesson_facts f on f.lesson_id = ls.lesson_id where f.class_group_id = $1`,
        [cg.class_group_id],
      ),
      await q<{ student_id: number; start_date: string; end_date: string | null }>(
        `select student_id, start_date::text as start_date, end_date::text as end_date from people.enrollment_facts where class_group_id = $1 order by student_id, start_date`,
        [cg.class_group_id],
      ),
      await q<MarkRow>(
        `select m.lesson_id, m.student_id, m.value, m.weight::text as weight, cf.name as form
           from journal.mark m join journal.control_form cf on cf.id = m.control_form_id
           join schedule.lesson_facts f on f.lesson_id = m.lesson_id
          where f.class_group_id = $1 and m.status = 'ACTIVE' order by m.lesson_id, m.student_id, m.entered_at, m.id`,
        [cg.class_group_id],
      ),
      await q<AttendanceRow>(
        `select a.lesson_id, a.student_id, a.code from journal.attendance a join schedule.lesson_facts f on f.lesson_id = a.lesson_id
          where f.class_group_id = $1 and a.status = 'ACTIVE' order by a.lesson_id, a.student_id, a.id`,
        [cg.class_group_id],
      ),
      await q<RecordRow>(
        `select r.lesson_id, r.topic, r.homework from journal.lesson_record r join schedule.lesson_facts f on f.lesson_id = r.lesson_id where f.class_group_id = $1`,
        [cg.class_group_id],
      ),
      await q<TermRow>(
        `select term_id, academic_year_id, name, start_date::text as start_date, end_date::text as end_date, closed, years_from, years_to, kind, number
           from schedule.term_facts where academic_year_id in (select t.academic_year_id from schedule.term_facts t where t.term_id = any($1::int[]))
          order by start_date, term_id`,
        [intArray(lessonRows.map((l) => l.term_id))],
      ),
    ];

    const studentIds = [
      ...new Set([
        ...takes.map((t) => t.student_id),
        ...enrolments.map((e) => e.student_id),
        ...marks.map((m) => m.student_id),
        ...attendance.map((a) => a.student_id),
      ]),
    ];
    const people = await q<PersonRow>(
      `select student_id as id, last_name, first_name, middle_name from people.student_facts where student_id = any($1::int[])`,
      [intArray(studentIds)],
    );
    const staffIds = [
      ...new Set([cg.class_teacher_id, ...lessonRows.flatMap((l) => [l.teacher_staff_id, l.substitute_staff_id])].filter((x): x is number => x !== null)),
    ];
    const staff = await q<PersonRow>(`select staff_id as id, last_name, first_name, middle_name from people.staff_facts where staff_id = any($1::int[])`, [
      intArray(staffIds),
    ]);

    const termIdsShown = new Set(lessonRows.map((l) => l.term_id));
    const classTerms = terms.filter((t) => termIdsShown.has(t.term_id) || (t.years_from <= cg.year_of_study && cg.year_of_study <= t.years_to));

    // Term and year grades: tables a journal may not have yet (older databases); their absence is printed, not an error.
    const [tables] = await q<{ term: string | null; year: string | null }>(
      `select to_regclass('journal.term_grade')::text as term, to_regclass('journal.year_grade')::text as year`,
    );
    const tableExists = tables?.term != null;
    const yearTableExists = tables?.year != null;
    // A status column (if the journal ever adds one) marks withdrawn grades.
    const statusColumns = new Set(
      (
        await q<{ table_name: string }>(
          `select table_name from information_schema.columns where table_schema = 'journal' and table_name in ('term_grade', 'year_grade') and column_name = 'status'`,
        )
      ).map((r) => r.table_name),
    );
    const active = (table: string) => (statusColumns.has(table) ? ` and status <> 'WITHDRAWN'` : '');
    const grades = tableExists
      ? await q<GradeRow>(
          `select term_id, student_id, subject_id, value from journal.term_grade where term_id = any($1::int[]) and student_id = any($2::int[])${active('term_grade')}`,
          [intArray(classTerms.map((t) => t.term_id)), intArray(studentIds)],
        )
      : [];
    const academicYearIds = [...new Set(classTerms.map((t) => t.academic_year_id))];
    const yearGrades = yearTableExists
      ? await q<YearGradeRow>(
          `select student_id, subject_id, value from journal.year_grade where academic_year_id = any($1::int[]) and student_id = any($2::int[])${active('year_grade')}`,
          [intArray(academicYearIds), intArray(studentIds)],
        )
      : [];

    return assemble({
      cg,
      academicYear,
      options,
      lessonRows,
      takes,
      enrolments,
      marks,
      attendance,
      records,
      terms: classTerms,
      people,
      staff,
      grades,
      tableExists,
      yearGrades,
      yearTableExists,
    });
  });
}

interface Loaded {
  cg: ClassRow;
  academicYear: string;
  options: ArchiveOptions;
  lessonRows: LessonRow[];
  takes: { lesson_id: number; student_id: number }[];
  enrolments: { student_id: number; start_date: string; end_date: string | null }[];
  marks: MarkRow[];
  attendance: AttendanceRow[];
  records: RecordRow[];
  terms: TermRow[];
  people: PersonRow[];
  staff: PersonRow[];
  grades: GradeRow[];
  tableExists: boolean;
  yearGrades: YearGradeRow[];
  yearTableExists: boolean;
}

function assemble(d: Loaded): ArchiveData {
  const staffName = new Map(d.staff.map((s) => [s.id, teacherName(s)]));

  // Students: by surname, name, patronymic; short names made unique within the class.
  const sortedPeople = [...d.people].sort(
    (a, b) =>
      collator.compare(a.last_name, b.last_name) ||
      collator.compare(a.first_name, b.first_name) ||
      collator.compare(a.middle_name ?? '', b.middle_name ?? '') ||
      a.id - b.id,
  );
  const short = (p: PersonRow) => `${p.last_name} ${initial(p.first_name)}`;
  const shortCounts = new Map<string, number>();
  for (const p of sortedPeople) shortCounts.set(short(p), (shortCounts.get(short(p)) ?? 0) + 1);
  const students: ArchiveStudent[] = sortedPeople.map((p) => ({
    studentId: p.id,
    fullName: fullName(p),
    shortName: (shortCounts.get(short(p)) ?? 0) > 1 && p.middle_name ? `${short(p)} ${initial(p.middle_name)}` : short(p),
    enrolments: d.enrolments.filter((e) => e.student_id === p.id).map((e) => ({ from: e.start_date, to: e.end_date })),
  }));
  const order = new Map(students.map((s, i) => [s.studentId, i]));

  const recordByLesson = new Map(d.records.map((r) => [r.lesson_id, r]));
  const marksByCell = new Map<string, MarkRow[]>();
  for (const m of d.marks) {
    const key = `${m.lesson_id}:${m.student_id}`;
    const list = marksByCell.get(key);
    if (list) list.push(m);
    else marksByCell.set(key, [m]);
  }
  const marksByLesson = new Map<number, MarkRow[]>();
  for (const m of d.marks) {
    const list = marksByLesson.get(m.lesson_id);
    if (list) list.push(m);
    else marksByLesson.set(m.lesson_id, [m]);
  }
  const attendanceByCell = new Map(d.attendance.map((a) => [`${a.lesson_id}:${a.student_id}`, a.code]));
  const takesSet = new Set(d.takes.map((t) => `${t.lesson_id}:${t.student_id}`));
  const studentsByLesson = new Map<number, Set<number>>();
  const addStudent = (lessonId: number, studentId: number) => {
    const set = studentsByLesson.get(lessonId);
    if (set) set.add(studentId);
    else studentsByLesson.set(lessonId, new Set([studentId]));
  };
  // Somebody with an entry is shown even if the roster no longer says they took the lesson.
  for (const t of d.takes) addStudent(t.lesson_id, t.student_id);
  for (const m of d.marks) addStudent(m.lesson_id, m.student_id);
  for (const a of d.attendance) addStudent(a.lesson_id, a.student_id);

  // Subjects (split by group), in the order of their first lesson (lessons come sorted by date, period).
  const subjectKey = (l: LessonRow) => `${l.subject_id}:${l.group_name ?? ''}`;
  const groups = new Map<string, LessonRow[]>();
  for (const l of d.lessonRows) {
    const list = groups.get(subjectKey(l));
    if (list) list.push(l);
    else groups.set(subjectKey(l), [l]);
  }

  // Weighted averages per student, subject (both groups together) and term, over the
  // same marks the journal's term-grade sheet averages: active marks of the term's lessons.
  const marksForAverage = new Map<string, MarkRow[]>();
  const lessonById = new Map(d.lessonRows.map((l) => [l.lesson_id, l]));
  for (const m of d.marks) {
    const l = lessonById.get(m.lesson_id);
    if (!l) continue;
    const key = `${m.student_id}:${l.subject_id}:${l.term_id}`;
    const list = marksForAverage.get(key);
    if (list) list.push(m);
    else marksForAverage.set(key, [m]);
  }
  const gradeOf = new Map(d.grades.map((g) => [`${g.student_id}:${g.subject_id}:${g.term_id}`, g.value]));
  const yearGradeOf = new Map(d.yearGrades.map((g) => [`${g.student_id}:${g.subject_id}`, g.value]));

  const subjects: ArchiveSubject[] = [...groups.values()].map((lessons) => {
    const first = lessons[0]!;
    const rowIds = [...new Set(lessons.flatMap((l) => [...(studentsByLesson.get(l.lesson_id) ?? [])]))].sort(
      (a, b) => (order.get(a) ?? 1e9) - (order.get(b) ?? 1e9) || a - b,
    );
    const archiveLessons: ArchiveLesson[] = lessons.map((l) => {
      const record = recordByLesson.get(l.lesson_id);
      const forms: { name: string; weight: number }[] = [];
      for (const m of marksByLesson.get(l.lesson_id) ?? []) {
        if (!forms.some((f) => f.name === m.form && f.weight === Number(m.weight))) forms.push({ name: m.form, weight: Number(m.weight) });
      }
      forms.sort((a, b) => a.weight - b.weight || collator.compare(a.name, b.name));
      return {
        lessonId: l.lesson_id,
        date: l.date,
        period: l.period,
        termId: l.term_id,
        cancelled: l.status === 'CANCELLED',
        topic: record?.topic ?? null,
        homework: record?.homework ?? null,
        substitute:
          l.substitute_staff_id !== null && l.substitute_staff_id !== l.teacher_staff_id
            ? (staffName.get(l.substitute_staff_id) ?? `сотрудник ${l.substitute_staff_id}`)
            : null,
        forms,
      };
    });
    const subjectTerms = d.terms.filter((t) => lessons.some((l) => l.term_id === t.term_id));
    const rows: ArchiveRow[] = rowIds.map((studentId) => ({
      studentId,
      cells: lessons.map((l) => {
        const key = `${l.lesson_id}:${studentId}`;
        return {
          takes: takesSet.has(key),
          marks: (marksByCell.get(key) ?? []).map((m) => ({ value: m.value, weight: Number(m.weight), form: m.form })),
          attendance: attendanceByCell.get(key) ?? null,
        };
      }),
      terms: subjectTerms.map((t) => {
        const list = marksForAverage.get(`${studentId}:${first.subject_id}:${t.term_id}`) ?? [];
        return {
          termId: t.term_id,
          average: weightedAverage(list.map((m) => ({ value: m.value, weight: m.weight }))),
          marks: list.length,
          grade: gradeOf.get(`${studentId}:${first.subject_id}:${t.term_id}`) ?? null,
        };
      }),
      yearGrade: yearGradeOf.get(`${studentId}:${first.subject_id}`) ?? null,
    }));
    const teachers = [...new Set(lessons.map((l) => l.teacher_staff_id))].map((id) => staffName.get(id) ?? `сотрудник ${id}`);
    return {
      subjectId: first.subject_id,
      name: first.subject_name,
      groupName: first.group_name,
      title: first.group_name ? `${first.subject_name} (${first.group_name})` : first.subject_name,
      grading: first.grading,
      teachers,
      lessons: archiveLessons,
      rows,
    };
  });

  const cancelled = d.lessonRows.filter((l) => l.status === 'CANCELLED').length;
  const classTeacher = d.cg.class_teacher_id === null ? null : (staffName.get(d.cg.class_teacher_id) ?? null);
  const fullClassTeacher = d.cg.class_teacher_id === null ? null : d.staff.find((s) => s.id === d.cg.class_teacher_id);
  return {
    school: { name: d.options.schoolName?.trim() || (d.options.schoolCode ? `Школа ${d.options.schoolCode}` : 'Школа'), code: d.options.schoolCode ?? null },
    classGroup: {
      classGroupId: d.cg.class_group_id,
      name: d.cg.name,
      yearOfStudy: d.cg.year_of_study,
      academicYear: d.academicYear,
      classTeacher: fullClassTeacher ? fullName(fullClassTeacher) : classTeacher,
    },
    terms: d.terms.map((t) => ({
      termId: t.term_id,
      name: t.name,
      kind: t.kind,
      number: t.number,
      startDate: t.start_date,
      endDate: t.end_date,
      closed: t.closed,
    })),
    students,
    subjects,
    termGrades: { tableExists: d.tableExists, count: d.grades.length },
    yearGrades: { tableExists: d.yearTableExists, count: d.yearGrades.length },
    totals: {
      lessons: d.lessonRows.length,
      cancelled,
      marks: d.marks.filter((m) => lessonById.has(m.lesson_id)).length,
      attendance: d.attendance.length,
      withTopic: d.lessonRows.filter((l) => recordByLesson.get(l.lesson_id)?.topic).length,
      withHomework: d.lessonRows.filter((l) => recordByLesson.get(l.lesson_id)?.homework).length,
    },
  };
}

/** The data and its hash, stamped with the time of production. */
export async function loadArchiveModel(db: ArchiveDb, options: ArchiveOptions): Promise<ArchiveModel> {
  const data = await loadArchiveData(db, options);
  return { ...data, producedAt: (options.producedAt ?? new Date()).toISOString(), dataSha256: dataSha256(data) };
}
