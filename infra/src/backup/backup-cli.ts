/**
 * npm run backup -- --school s001 [--database <name>] [--out <dir>] [--keep 14]
 *
 * Dumps the school's database (pg_dump -Fc) to <out>/<school>/<school>-<UTC stamp>.dump,
 * checks it with pg_restore --list, writes the <dump>.json manifest and then
 * removes the school's backups beyond the newest --keep.
 */
import * as path from 'node:path';
import { checkSchoolCode, errorMessage, parseFlags, stringFlag, UsageError } from './args';
import { backupDatabase, BackupError, DEFAULT_KEEP } from './backup';

export const BACKUP_USAGE = `usage: npm run backup -- --school <code> [--database <name>] [--out <dir>] [--keep <n>] [--pg-bin-dir <dir>]

  --school      school registry code, e.g. s001 (required)
  --database    database to dump (default district_<school>)
  --out         backup directory (default env BACKUP_DIR, else <repo>/backups); files go to <out>/<school>/
  --keep        newest backups of the school to keep, this one included (default ${DEFAULT_KEEP})
  --pg-bin-dir  directory holding pg_dump and pg_restore (default env PG_BIN_DIR, else found automatically)

Connects with env PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres), the database swapped in.`;

export interface BackupArgs {
  help: boolean;
  school: string;
  database?: string;
  outDir?: string;
  keep: number;
  pgBinDir?: string;
}

/** `baseDir` resolves a relative --out (npm runs scripts in the repo root; INIT_CWD is where the user was). */
export function parseArgs(argv: string[], baseDir: string = process.env.INIT_CWD ?? process.cwd()): BackupArgs {
  const flags = parseFlags(argv, {
    help: 'boolean',
    school: 'string',
    database: 'string',
    out: 'string',
    keep: 'string',
    'pg-bin-dir': 'string',
  });
  if (flags.has('help')) return { help: true, school: '', keep: DEFAULT_KEEP };
  const school = stringFlag(flags, 'school');
  if (school === undefined) throw new UsageError('--school is required');
  checkSchoolCode(school);
  const keepText = stringFlag(flags, 'keep');
  const keep = keepText === undefined ? DEFAULT_KEEP : Number(keepText);
  if (!/^\d+$/.test(keepText ?? '1') || !Number.isSafeInteger(keep) || keep < 1) {
    throw new UsageError(`--keep must be a whole number of at least 1, got "${keepText}"`);
  }
  const out = stringFlag(flags, 'out');
  const binDir = stringFlag(flags, 'pg-bin-dir');
  return {
    help: false,
    school,
    database: stringFlag(flags, 'database'),
    outDir: out === undefined ? undefined : path.resolve(baseDir, out),
    keep,
    pgBinDir: binDir === undefined ? undefined : path.resolve(baseDir, binDir),
  };
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {
  let args: BackupArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    console.error(`backup: ${errorMessage(e)}\n\n${BACKUP_USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(BACKUP_USAGE);
    return 0;
  }
  try {
    const r = await backupDatabase({
      school: args.school,
      database: args.database,
      outDir: args.outDir,
      keep: args.keep,
      pgBinDir: args.pgBinDir,
      log: (line) => console.log(line),
    });
    const rows = r.manifest.tables.reduce((n, t) => n + t.rows, 0);
    console.log(`backup of ${r.manifest.database} (school ${r.manifest.school}) done: ${r.file}`);
    console.log(`  ${r.manifest.tables.length} tables, ${rows} rows, ${r.manifest.size} bytes, manifest ${r.manifestFile}`);
    if (r.deleted.length > 0) console.log(`  removed ${r.deleted.length} older backup(s), keeping the newest ${args.keep}`);
    return 0;
  } catch (e) {
    console.error(`backup failed: ${errorMessage(e)}`);
    if (!(e instanceof BackupError || e instanceof UsageError) && process.env.DEBUG) console.error(e);
    return 1;
  }
}

if (require.main === module) {
  void main().then((code) => {
    process.exitCode = code;
  });
}
