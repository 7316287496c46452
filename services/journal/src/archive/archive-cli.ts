/**
 * npm run archive -- --school s001 --class 5А --year 2026/2027 [--database district_s001] [--out archive/] [--school-name "…"]
 *
 * Writes the year-end archive of one class's journal as a PDF to
 * <out>/<school>/<school>-<class>-<year, / as _>.pdf and prints its path.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import {
  checkDatabaseName,
  checkSchoolCode,
  defaultAdminUrl,
  errorMessage,
  parseFlags,
  redactUrl,
  stringFlag,
  UsageError,
  withDatabase,
  workspaceRoot,
} from '@district/kit';
import { ArchiveError, checkAcademicYear } from './archive-model';
import { buildClassArchiveWithModel } from './journal-archive';

export const ARCHIVE_USAGE = `usage: npm run archive -- --school <code> --class <name> --year <YYYY/YYYY> [--database <name>] [--out <dir>] [--school-name <name>]

  --school       school registry code, e.g. s001 (required)
  --class        class group, e.g. 5А (required; a Latin 5A is read as 5А)
  --year         academic year, e.g. 2026/2027 (required)
  --database     the school's database (default district_<school>)
  --out          archive directory (default env ARCHIVE_DIR, else <repo>/archive); files go to <out>/<school>/
  --school-name  the school's name for the title page (default "Школа <code>")

Connects with env PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres), the database swapped in.`;

export interface ArchiveArgs {
  help: boolean;
  school: string;
  className: string;
  academicYear: string;
  database?: string;
  outDir?: string;
  schoolName?: string;
}

/** env ARCHIVE_DIR, else <repo>/archive (git-ignored), next to the backups directory (<repo>/backups). */
export function defaultArchiveDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ARCHIVE_DIR && env.ARCHIVE_DIR !== '') return path.resolve(env.ARCHIVE_DIR);
  return path.join(workspaceRoot(), 'archive');
}

/** s001-5А-2026_2027.pdf */
export function archiveFileName(school: string, className: string, academicYear: string): string {
  return `${school}-${className}-${academicYear.replace('/', '_')}.pdf`;
}

/** `baseDir` resolves a relative --out (npm runs scripts in the repo root; INIT_CWD is where the user was). */
export function parseArgs(argv: string[], baseDir: string = process.env.INIT_CWD ?? process.cwd()): ArchiveArgs {
  const flags = parseFlags(argv, {
    help: 'boolean',
    school: 'string',
    class: 'string',
    year: 'string',
    database: 'string',
    out: 'string',
    'school-name': 'string',
  });
  if (flags.has('help')) return { help: true, school: '', className: '', academicYear: '' };
  const school = stringFlag(flags, 'school');
  const className = stringFlag(flags, 'class');
  const year = stringFlag(flags, 'year');
  const missing = [school === undefined && '--school', className === undefined && '--class', year === undefined && '--year'].filter(Boolean);
  if (missing.length > 0) throw new UsageError(`${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} required`);
  if (!/^[0-9]{1,2}\s*[A-Za-zА-ЯЁа-яё]{0,3}$/.test(className!.trim())) throw new UsageError(`bad class "${className}" (e.g. 5А)`);
  let academicYear: string;
  try {
    academicYear = checkAcademicYear(year!);
  } catch (e) {
    throw new UsageError(errorMessage(e));
  }
  const out = stringFlag(flags, 'out');
  return {
    help: false,
    school: school!,
    className: className!.trim(),
    academicYear,
    database: stringFlag(flags, 'database'),
    outDir: out === undefined ? undefined : path.resolve(baseDir, out),
    schoolName: stringFlag(flags, 'school-name'),
  };
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {
  let args: ArchiveArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    console.error(`archive: ${errorMessage(e)}\n\n${ARCHIVE_USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(ARCHIVE_USAGE);
    return 0;
  }
  let client: Client | undefined;
  try {
    checkSchoolCode(args.school);
    const database = checkDatabaseName(args.database ?? `district_${args.school}`);
    const url = withDatabase(defaultAdminUrl(), database);
    client = new Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (e) {
      throw new ArchiveError(`нет соединения с базой школы (cannot connect to PostgreSQL at ${redactUrl(url)}): ${errorMessage(e)}`);
    }
    const started = Date.now();
    const { pdf, model } = await buildClassArchiveWithModel(client, {
      classGroupName: args.className,
      academicYear: args.academicYear,
      schoolCode: args.school,
      schoolName: args.schoolName,
    });
    const dir = path.join(args.outDir ?? defaultArchiveDir(), args.school);
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, archiveFileName(args.school, model.classGroup.name, model.classGroup.academicYear));
    // Written beside and renamed, so a half-written file never carries the final name.
    const partial = `${file}.partial`;
    writeFileSync(partial, pdf);
    renameSync(partial, file);
    const t = model.totals;
    console.error(
      `archive of ${model.classGroup.name} ${model.classGroup.academicYear} (school ${args.school}): ${model.subjects.length} subjects, ${t.lessons} lessons, ` +
        `${t.marks} marks, ${t.attendance} attendance entries, ${pdf.length} bytes in ${Date.now() - started} ms; data sha256 ${model.dataSha256}`,
    );
    console.log(file);
    return 0;
  } catch (e) {
    const known = e instanceof ArchiveError || e instanceof UsageError;
    console.error(`archive failed: ${errorMessage(e)}`);
    if (!known && process.env.DEBUG) console.error(e);
    return 1;
  } finally {
    await client?.end().catch(() => undefined);
  }
}

if (require.main === module) {
  void main().then((code) => {
    process.exitCode = code;
  });
}
