/**
 * npm run restore -- --file <dump> --into <new database> [--replace] [--manifest <file>] [--no-privileges]
 *
 * Checks the dump against its manifest (sha256), restores it into a new
 * database (pg_restore --no-owner --exit-on-error), prints the row counts per
 * table against the manifest and exits non-zero on any difference.
 */
import * as path from 'node:path';
import { errorMessage, parseFlags, stringFlag, UsageError } from './args';
import { BackupError, restoreDatabase, type RestoreCheck } from './backup';

export const RESTORE_USAGE = `usage: npm run restore -- --file <dump> --into <database> [--replace] [--manifest <file>] [--no-privileges] [--pg-bin-dir <dir>]

  --file           a dump written by npm run backup (its manifest <dump>.json beside it)
  --into           database to create and restore into
  --replace        overwrite --into if it exists (the old database is dropped only after the restore checked out)
  --manifest       manifest file (default <dump>.json)
  --no-privileges  skip GRANT/REVOKE (restoring onto a server without the same roles)
  --pg-bin-dir     directory holding pg_restore (default env PG_BIN_DIR, else found automatically)

Connects with env PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres).`;

export interface RestoreArgs {
  help: boolean;
  file: string;
  into: string;
  replace: boolean;
  manifestFile?: string;
  noPrivileges: boolean;
  pgBinDir?: string;
}

export function parseArgs(argv: string[], baseDir: string = process.env.INIT_CWD ?? process.cwd()): RestoreArgs {
  const flags = parseFlags(argv, {
    help: 'boolean',
    file: 'string',
    into: 'string',
    replace: 'boolean',
    manifest: 'string',
    'no-privileges': 'boolean',
    'pg-bin-dir': 'string',
  });
  const base = { replace: flags.has('replace'), noPrivileges: flags.has('no-privileges') };
  if (flags.has('help')) return { help: true, file: '', into: '', ...base };
  const file = stringFlag(flags, 'file');
  const into = stringFlag(flags, 'into');
  if (file === undefined) throw new UsageError('--file is required');
  if (into === undefined) throw new UsageError('--into is required');
  if (!/^[A-Za-z_][A-Za-z0-9_$-]*$/.test(into) || Buffer.byteLength(into) > 63) {
    throw new UsageError(`bad database name "${into}"`);
  }
  const manifest = stringFlag(flags, 'manifest');
  const binDir = stringFlag(flags, 'pg-bin-dir');
  return {
    help: false,
    file: path.resolve(baseDir, file),
    into,
    manifestFile: manifest === undefined ? undefined : path.resolve(baseDir, manifest),
    pgBinDir: binDir === undefined ? undefined : path.resolve(baseDir, binDir),
    ...base,
  };
}

export function formatChecks(checks: RestoreCheck[]): string {
  const header = ['schema.table', 'expected', 'restored', 'check'];
  const rows = checks.map((c) => [
    c.table,
    c.expected === null ? '-' : String(c.expected),
    c.restored === null ? '-' : String(c.restored),
    c.ok ? 'ok' : 'DIFFERS',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((cell, i) => (i === 0 || i === 3 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {
  let args: RestoreArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    console.error(`restore: ${errorMessage(e)}\n\n${RESTORE_USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(RESTORE_USAGE);
    return 0;
  }
  try {
    const r = await restoreDatabase({
      file: args.file,
      into: args.into,
      replace: args.replace,
      manifestFile: args.manifestFile,
      noPrivileges: args.noPrivileges,
      pgBinDir: args.pgBinDir,
      log: (line) => console.log(line),
    });
    console.log(formatChecks(r.checks));
    const bad = r.checks.filter((c) => !c.ok).length;
    if (!r.ok) {
      console.error(`restore check FAILED: ${bad} of ${r.checks.length} tables differ from the manifest; the restored copy is in database ${r.database}`);
      return 1;
    }
    console.log(
      `restored ${path.basename(args.file)} (school ${r.manifest.school}, ${r.manifest.created_at}) into ${r.database}` +
        `${r.replaced ? ' (replaced)' : ''}: ${r.checks.length} tables, row counts match the manifest`,
    );
    return 0;
  } catch (e) {
    console.error(`restore failed: ${errorMessage(e)}`);
    if (!(e instanceof BackupError || e instanceof UsageError) && process.env.DEBUG) console.error(e);
    return 1;
  }
}

if (require.main === module) {
  void main().then((code) => {
    process.exitCode = code;
  });
}
