import { raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { parse } from 'csv-parse/sync';
import { DomainError, parseGlobalId, RunState, Validator, type FieldProblem, type RunHandle } from '@district/kit';
import { accessOf } from '../access';
import { ClassGroup, Enrollment } from '../class-groups/class-group.entity';
import { academicYearOf, parseClassName, validAcademicYear } from '../class-groups/class-group.service';
import { Guardian, Guardianship, type GuardianRelation } from '../guardians/guardian.entity';
import { RELATIONS, validGuardian } from '../guardians/guardian.service';
import type { PeopleContext } from '../context';
import { Student } from '../students/student.entity';
import { validStudent } from '../students/student.service';
import { rosterImportRuns, toRosterImportRun, type RosterImportResult, type RosterImportRun } from './roster-run';

/** Columns of a roster file, in Russian headers or English ones. */
export const ROSTER_COLUMNS = {
  class: ['класс', 'class'],
  lastName: ['фамилия', 'last_name'],
  firstName: ['имя', 'first_name'],
  middleName: ['отчество', 'middle_name'],
  birthDate: ['дата рождения', 'birth_date'],
  snils: ['снилс', 'snils'],
  guardianLastName: ['фамилия представителя', 'guardian_last_name'],
  guardianFirstName: ['имя представителя', 'guardian_first_name'],
  guardianMiddleName: ['отчество представителя', 'guardian_middle_name'],
  guardianPhone: ['телефон представителя', 'guardian_phone'],
  guardianEmail: ['email представителя', 'guardian_email'],
  guardianRelation: ['кем приходится', 'guardian_relation'],
  guardianSnils: ['снилс представителя', 'guardian_snils'],
} as const;

type Column = keyof typeof ROSTER_COLUMNS;
const REQUIRED: Column[] = ['class', 'lastName', 'firstName', 'birthDate'];
const RELATION_WORDS: Record<string, GuardianRelation> = { мать: 'mother', отец: 'father', опекун: 'guardian', другое: 'other' };
const MAX_ROWS = 5000;
/**
 * importRoster answers in the request up to this many rows (well under a
 * second); a bigger file goes through startRosterImport, so no file is ever
 * answered by a gateway timeout while it is still being written.
 */
export const SYNC_MAX_ROWS = 500;
/** Rows written per flush, and how often a run's progress moves. */
const WRITE_CHUNK = 500;

export type { RosterImportResult } from './roster-run';

/** A file whose arguments and structure are fine; its rows are checked when it is imported. */
interface RosterFile {
  academicYear: string;
  startDate: string;
  /** SNILS in the file are stored as the district's keys (kit identity-keys), never as numbers. */
  identityKeySecret: string;
  lines: { line: number; record: Partial<Record<Column, string>> }[];
}

interface RosterRow {
  line: number;
  className: string;
  yearOfStudy: number;
  student: ReturnType<typeof validStudent>;
  guardian?: ReturnType<typeof validGuardian> & { relation: GuardianRelation };
}

const studentKey = (s: { lastName: string; firstName: string; middleName: string | null; birthDate: string }) =>
  [s.lastName, s.firstName, s.middleName ?? '', s.birthDate].join('|').toLowerCase();
const guardianKey = (g: { lastName: string; firstName: string; middleName: string | null; phone: string | null }) =>
  [g.lastName, g.firstName, g.middleName ?? '', g.phone ?? ''].join('|').toLowerCase();

/**
 * Imports a school's roster (students, their class groups and guardians) from
 * CSV. Every row is checked first; one bad row rejects the whole file with the
 * line of each problem, and nothing is written. A small file is imported in
 * the request (importRoster); any file can be imported as a run
 * (startRosterImport) that answers at once and is followed by query.
 */
export class RosterService {
  constructor(private readonly ctx: PeopleContext) {}

  /** In the request, for files up to SYNC_MAX_ROWS rows. */
  async import(csv: string, academicYearInput: string | null, startDate: string | null): Promise<RosterImportResult> {
    accessOf(this.ctx).requireAdmin();
    const file = this.read(csv, academicYearInput, startDate);
    if (file.lines.length > SYNC_MAX_ROWS) {
      throw DomainError.invalid(
        `В файле ${file.lines.length} строк: файл больше ${SYNC_MAX_ROWS} строк импортируется в фоне (startRosterImport); ничего не записано`,
        [{ field: 'csv', message: `не больше ${SYNC_MAX_ROWS} строк` }],
      );
    }
    return importRoster(this.ctx.em, file);
  }

  /**
   * As a run: the arguments and the file's structure are checked here (an
   * error answers at once, no run is made); the rows are checked and written
   * in the background, and the run records the counts or every refused line.
   */
  async start(csv: string, academicYearInput: string | null, startDate: string | null): Promise<RosterImportRun> {
    accessOf(this.ctx).requireAdmin();
    const file = this.read(csv, academicYearInput, startDate);
    const runs = rosterImportRuns(this.ctx.em);
    const { run } = await runs.submit(
      this.ctx.em,
      (tx) => runs.insert(tx, this.ctx.viewer.username, { academic_year: file.academicYear, start_date: file.startDate }, file.lines.length),
      (handle) => importRoster(handle.em, file, handle).then((result) => ({ state: RunState.SUCCEEDED, result })),
    );
    return toRosterImportRun(run);
  }

  /** An import run of this school (its admins, who may import). */
  async run(id: string): Promise<RosterImportRun> {
    accessOf(this.ctx).requireAdmin();
    const { localId } = parseGlobalId(id, 'RosterImportRun', this.ctx.schoolId);
    const runs = rosterImportRuns(this.ctx.em);
    // An import whose process is gone is marked interrupted before anyone is told it is still running.
    await runs.sweep();
    const run = await runs.find(localId, this.ctx.em);
    if (!run) throw DomainError.notFound('Импорт списка', id);
    return toRosterImportRun(run);
  }

  async runs(limit: number): Promise<RosterImportRun[]> {
    accessOf(this.ctx).requireAdmin();
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      throw DomainError.invalid(`Число импортов — от 1 до 100: ${limit}`, [{ field: 'limit', message: '1–100' }]);
    const runs = rosterImportRuns(this.ctx.em);
    await runs.sweep();
    return (await runs.latest(limit, this.ctx.em)).map(toRosterImportRun);
  }

  /** The arguments and the file's structure (header, row count); BAD_USER_INPUT before anything is started. */
  private read(csv: string, academicYearInput: string | null, startDate: string | null): RosterFile {
    const head = new Validator();
    const academicYear = academicYearInput ? validAcademicYear(head, academicYearInput) : academicYearOf(new Date());
    const start = startDate ? head.date('startDate', startDate, { label: 'Дата зачисления' }) : `${academicYear.slice(0, 4)}-09-01`;
    head.check(csv.length <= 5_000_000, 'csv', 'Файл больше 5 МБ');
    head.done('Импорт не выполнен');
    return { academicYear, startDate: start!, identityKeySecret: this.ctx.loaders.settings.identityKeySecret, lines: this.parse(csv) };
  }

  private parse(csv: string): { line: number; record: Partial<Record<Column, string>> }[] {
    const text = csv.replace(/^\uFEFF/, '');
    const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
    const delimiter = firstLine.includes(';') ? ';' : ',';
    let records: { record: string[]; info: { lines: number } }[];
    try {
      records = parse(text, { delimiter, info: true, skip_empty_lines: true, relax_column_count: true, trim: true });
    } catch (error) {
      throw DomainError.invalid(`Файл не читается как CSV: ${(error as Error).message}`);
    }
    const [header, ...data] = records;
    if (!header) throw DomainError.invalid('Файл пуст');
    const index = new Map<Column, number>();
    header.record.forEach((name, i) => {
      const normalized = name.trim().toLowerCase();
      const column = (Object.keys(ROSTER_COLUMNS) as Column[]).find((c) => (ROSTER_COLUMNS[c] as readonly string[]).includes(normalized));
      if (column) index.set(column, i);
    });
    const missing = REQUIRED.filter((c) => !index.has(c));
    if (missing.length)
      throw DomainError.invalid(`В заголовке нет столбцов: ${missing.map((c) => ROSTER_COLUMNS[c][0]).join(', ')}`, [{ line: 1, message: 'header' }]);
    if (data.length === 0) throw DomainError.invalid('В файле нет строк с обучающимися');
    if (data.length > MAX_ROWS) throw DomainError.invalid(`Не больше ${MAX_ROWS} строк за один импорт`);
    return data.map(({ record, info }) => ({
      line: info.lines,
      record: Object.fromEntries([...index].map(([c, i]) => [c, record[i]])) as Partial<Record<Column, string>>,
    }));
  }
}

/**
 * Checks every row, then writes the file in one transaction: all rows or
 * none. Imports of a school take turns (a transaction lock), so the check for
 * students already in the school sees what an earlier import wrote. As a run,
 * the progress moves per chunk written and the outcome commits with the rows.
 */
async function importRoster(em: EntityManager, file: RosterFile, run?: RunHandle): Promise<RosterImportResult> {
  const rows = checkRows(file);
  return em.transactional(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(hashtext('people:roster-import'))`);
    const present = await existing(tx, rows);
    if (present.length) throw refused(present);
    const result = await write(tx, rows, file.academicYear, file.startDate, (written) => run?.progress(written));
    await run?.complete(tx, { state: RunState.SUCCEEDED, processed: rows.length, result });
    return result;
  });
}

function refused(problems: FieldProblem[]): DomainError {
  const lines = [...new Set(problems.map((p) => p.line))].join(', ');
  return DomainError.invalid(`Файл не импортирован: ошибок ${problems.length} (строки ${lines}); ничего не записано`, problems);
}

/** Every row's own rules and repeats within the file; every problem with its line. */
function checkRows(file: RosterFile): RosterRow[] {
  const problems: FieldProblem[] = [];
  const parsed: RosterRow[] = [];
  const seen = new Map<string, number>();
  for (const { line, record } of file.lines) {
    const v = new Validator(line);
    const cls = parseClassName(record.class ?? '');
    v.check(cls !== null, 'class', `Класс «${record.class ?? ''}»: ожидается вида «5А»`);
    const student = validStudent(
      v,
      { lastName: record.lastName!, firstName: record.firstName!, middleName: record.middleName, birthDate: record.birthDate!, snils: record.snils },
      file.identityKeySecret,
    );
    let guardian: RosterRow['guardian'];
    const hasGuardian = ['guardianLastName', 'guardianFirstName', 'guardianPhone', 'guardianEmail', 'guardianSnils'].some((c) => record[c as Column]?.trim());
    if (hasGuardian) {
      const g = validGuardian(
        v,
        {
          lastName: record.guardianLastName!,
          firstName: record.guardianFirstName!,
          middleName: record.guardianMiddleName,
          phone: record.guardianPhone,
          email: record.guardianEmail,
          snils: record.guardianSnils,
        },
        'guardian.',
        file.identityKeySecret,
      );
      const word = (record.guardianRelation ?? '').trim().toLowerCase();
      const relation = RELATION_WORDS[word] ?? (RELATIONS.includes(word as GuardianRelation) ? (word as GuardianRelation) : word ? undefined : 'other');
      v.check(relation !== undefined, 'guardian.relation', `Кем приходится: мать, отец, опекун или другое (получено «${word}»)`);
      guardian = { ...g, relation: relation ?? 'other' };
    }
    if (v.ok) {
      const key = studentKey(student);
      const first = seen.get(key);
      v.check(first === undefined, 'lastName', `Повтор: тот же обучающийся уже в строке ${first}`);
      seen.set(key, line);
    }
    if (!v.ok) problems.push(...v.problems);
    else parsed.push({ line, className: cls!.name, yearOfStudy: cls!.yearOfStudy, student, guardian });
  }
  if (problems.length > 0) throw refused(problems);
  return parsed;
}

/** Students already in the school are refused: the import adds a roster, it does not merge. */
async function existing(em: EntityManager, rows: RosterRow[]): Promise<FieldProblem[]> {
  // Compared without letter case, like studentKey: "ОРЛОВ" in a file is the Орлов already enrolled.
  const names = [...new Set(rows.map((r) => r.student.lastName.toLowerCase()))];
  const present = await em.find(
    Student,
    { [raw((alias: string) => `lower(${alias}.last_name)`)]: { $in: names } },
    { fields: ['lastName', 'firstName', 'middleName', 'birthDate'] },
  );
  const keys = new Set(present.map((s) => studentKey({ ...s, middleName: s.middleName ?? null })));
  return rows
    .filter((r) => keys.has(studentKey(r.student)))
    .map((r) => ({ line: r.line, field: 'lastName', message: `${r.student.lastName} ${r.student.firstName} (${r.student.birthDate}) уже есть в школе` }));
}

/** Writes checked rows in chunks inside the caller's transaction, reporting how many are written. */
async function write(
  em: EntityManager,
  rows: RosterRow[],
  academicYear: string,
  startDate: string,
  written: (rows: number) => void,
): Promise<RosterImportResult> {
  const result: RosterImportResult = { studentsCreated: 0, guardiansCreated: 0, classGroupsCreated: 0 };
  const groups = new Map((await em.find(ClassGroup, { academicYear })).map((g) => [g.name, g]));
  for (const row of rows) {
    if (!groups.has(row.className)) {
      groups.set(row.className, em.create(ClassGroup, { name: row.className, yearOfStudy: row.yearOfStudy, academicYear }));
      result.classGroupsCreated++;
    }
  }
  const guardianNames = [...new Set(rows.flatMap((r) => (r.guardian ? [r.guardian.lastName] : [])))];
  const knownGuardians = new Map(
    (guardianNames.length ? await em.find(Guardian, { lastName: { $in: guardianNames } }) : []).map((g) => [
      guardianKey({ ...g, middleName: g.middleName ?? null, phone: g.phone ?? null }),
      g,
    ]),
  );
  for (let from = 0; from < rows.length; from += WRITE_CHUNK) {
    const chunk = rows.slice(from, from + WRITE_CHUNK);
    const students = chunk.map((row) => em.create(Student, row.student));
    for (const row of chunk) {
      if (!row.guardian) continue;
      const key = guardianKey(row.guardian);
      if (!knownGuardians.has(key)) {
        const { relation: _relation, ...data } = row.guardian;
        knownGuardians.set(key, em.create(Guardian, data));
        result.guardiansCreated++;
      }
    }
    await em.flush();
    chunk.forEach((row, i) => {
      const student = students[i]!;
      em.create(Enrollment, { studentId: student.id, classGroupId: groups.get(row.className)!.id, startDate, endDate: null });
      if (row.guardian)
        em.create(Guardianship, {
          studentId: student.id,
          guardianId: knownGuardians.get(guardianKey(row.guardian))!.id,
          relation: row.guardian.relation,
        });
    });
    await em.flush();
    result.studentsCreated += students.length;
    written(result.studentsCreated);
  }
  return result;
}
