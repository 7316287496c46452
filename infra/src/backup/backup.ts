/**
 * Per-school backups and the restore drill.
 *
 * backupDatabase: `pg_dump -Fc` of one school's database into
 *   <out>/<school>/<school>-YYYYMMDDTHHMMSSZ.dump, checked with
 *   `pg_restore --list`, with a sidecar <file>.json manifest (sha256, sizes,
 *   versions, exact row count of every table). The counts are taken in the
 *   very snapshot pg_dump dumps (pg_export_snapshot + pg_dump --snapshot), so
 *   they describe the dump exactly even while the school keeps writing.
 * restoreDatabase: checks the dump against its manifest, restores it into a
 *   new database with `pg_restore --no-owner --exit-on-error` and compares the
 *   restored row counts with the manifest.
 * tableCounts / compareDatabases: row counts, and a row-by-row comparison of
 *   two databases (every table of every non-system schema, and sequences).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { checkDatabaseName, checkSchoolCode, workspaceRoot } from '@district/kit';
import { BackupError, defaultAdminUrl, findPgTool, libpqTarget, quoteIdent, quoteLiteral, redactUrl, runTool, toolVersion, withDatabase } from './pg-tools';

export { BackupError } from './pg-tools';

export const DEFAULT_KEEP = 14;
export const MANIFEST_FORMAT = 'district-backup/1';

export interface TableCount {
  schema: string;
  table: string;
  rows: number;
}

export interface BackupManifest {
  format: typeof MANIFEST_FORMAT;
  school: string;
  database: string;
  /** File name of the dump, relative to the manifest. */
  file: string;
  /** ISO time the snapshot was taken (also in the file name). */
  created_at: string;
  /** Size of the dump in bytes. */
  size: number;
  sha256: string;
  pg_dump_version: string;
  server_version: string;
  encoding: string;
  lc_collate: string;
  lc_ctype: string;
  /** Every table (plain and partitioned) of every non-system schema, sorted by schema, table. */
  tables: TableCount[];
}

export interface BackupOptions {
  school: string;
  /** Default `district_<school>` (demo naming). */
  database?: string;
  /** Default env BACKUP_DIR, else <repo>/backups. The dump goes to <outDir>/<school>/. */
  outDir?: string;
  /** Newest backups of the school to keep, this one included (default 14). */
  keep?: number;
  /** Default env PG_ADMIN_URL, else postgres://postgres@127.0.0.1:5432/postgres; the database is swapped in. */
  adminUrl?: string;
  /** Directory of pg_dump / pg_restore (default env PG_BIN_DIR, else found automatically). */
  pgBinDir?: string;
  /** The time stamped on the backup (tests). */
  now?: Date;
  log?: (line: string) => void;
}

export interface BackupResult {
  file: string;
  manifestFile: string;
  manifest: BackupManifest;
  /** Older dumps removed by the retention rule. */
  deleted: string[];
}

export interface RestoreOptions {
  file: string;
  /** Name of the database to create. */
  into: string;
  /** Overwrite `into` if it exists (only after the restore has been checked). */
  replace?: boolean;
  /** Default `<file>.json`. */
  manifestFile?: string;
  adminUrl?: string;
  pgBinDir?: string;
  /** pg_restore --no-privileges: skip GRANTs (restoring onto a server without the same roles). */
  noPrivileges?: boolean;
  log?: (line: string) => void;
}

export interface RestoreCheck {
  /** schema.table */
  table: string;
  expected: number | null;
  restored: number | null;
  ok: boolean;
}

export interface RestoreResult {
  /** The database that now holds the restored data (a staging name when a replace was held back). */
  database: string;
  url: string;
  /** true when an existing database was replaced. */
  replaced: boolean;
  checks: RestoreCheck[];
  ok: boolean;
  manifest: BackupManifest;
}

export type DifferenceKind = 'only-in-a' | 'only-in-b' | 'rows' | 'content' | 'sequence';

export interface TableDifference {
  /** schema.table (or schema.sequence) */
  table: string;
  kind: DifferenceKind;
  a: string | null;
  b: string | null;
}

// ---------------------------------------------------------------- helpers

/** env BACKUP_DIR, else <repo>/backups (git-ignored). */
export function defaultBackupDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.BACKUP_DIR && env.BACKUP_DIR !== '' ? path.resolve(env.BACKUP_DIR) : path.join(workspaceRoot(), 'backups');
}

/** 2024-05-01T02:03:04.567Z → 20240501T020304Z */
export function backupStamp(d: Date): string {
  return d
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:]/g, '');
}

const NAME_RE = /^(.+)-(\d{8}T\d{6}Z)(?:-(\d+))?\.dump$/;

interface ListedBackup {
  file: string;
  stamp: string;
  seq: number;
}

/** The school's dumps in `dir`, newest first. */
export function listBackups(dir: string, school: string): ListedBackup[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const found: ListedBackup[] = [];
  for (const name of names) {
    const m = NAME_RE.exec(name);
    if (!m || m[1] !== school) continue;
    found.push({ file: path.join(dir, name), stamp: m[2], seq: m[3] ? Number(m[3]) : 1 });
  }
  return found.sort((x, y) => (x.stamp === y.stamp ? y.seq - x.seq : x.stamp < y.stamp ? 1 : -1));
}

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (e) {
    await client.end().catch(() => undefined);
    throw new BackupError(`cannot connect to PostgreSQL at ${redactUrl(url)}: ${(e as Error).message}`);
  }
  client.on('error', () => undefined);
  return client;
}

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = await connect(url);
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function databaseExists(admin: Client, name: string): Promise<boolean> {
  const r = await admin.query('select 1 from pg_database where datname = $1', [name]);
  return (r.rowCount ?? 0) > 0;
}

async function serverMajor(client: Client): Promise<{ major: number; version: string }> {
  const r = await client.query<{ num: string; version: string }>(
    "select current_setting('server_version_num') as num, current_setting('server_version') as version",
  );
  return { major: Math.floor(Number(r.rows[0].num) / 10_000), version: r.rows[0].version };
}

function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (b) => hash.update(b))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

const SYSTEM_SCHEMA_FILTER = `n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_toast' and n.nspname !~ '^pg_temp_'
  and not exists (select 1 from pg_depend d
                  where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')`;

interface Relation {
  schema: string;
  table: string;
  kind: string;
}

/** Tables (relkind r/p, or sequences S) of every non-system schema, not owned by an extension. */
async function relations(client: Client, kinds: string[]): Promise<Relation[]> {
  const r = await client.query<Relation>(
    `select n.nspname as schema, c.relname as table, c.relkind as kind
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind = any($1::"char"[]) and ${SYSTEM_SCHEMA_FILTER}`,
    [kinds],
  );
  return r.rows.sort((x, y) => compareKeys([x.schema, x.table], [y.schema, y.table]));
}

function compareKeys(a: [string, string], b: [string, string]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return 0;
}

function qualified(schema: string, table: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}

export function tableLabel(schema: string, table: string): string {
  return `${schema}.${table}`;
}

async function countRows(client: Client, tables: Relation[]): Promise<TableCount[]> {
  const out: TableCount[] = [];
  for (const t of tables) {
    const r = await client.query<{ n: string }>(`select count(*) as n from ${qualified(t.schema, t.table)}`);
    out.push({ schema: t.schema, table: t.table, rows: Number(r.rows[0].n) });
  }
  return out;
}

/** Exact row count of every table of every non-system schema, in one snapshot. */
export async function tableCounts(url: string): Promise<TableCount[]> {
  return withClient(url, async (c) => {
    await c.query('begin isolation level repeatable read read only');
    try {
      return await countRows(c, await relations(c, ['r', 'p']));
    } finally {
      await c.query('rollback').catch(() => undefined);
    }
  });
}

// ----------------------------------------------------------------- backup

export async function backupDatabase(opts: BackupOptions): Promise<BackupResult> {
  const school = checkSchoolCode(opts.school);
  const database = checkDatabaseName(opts.database ?? `district_${school}`);
  const keep = opts.keep ?? DEFAULT_KEEP;
  if (!Number.isInteger(keep) || keep < 1) throw new BackupError(`--keep must be a whole number of at least 1, got ${keep}`);
  const adminUrl = opts.adminUrl ?? defaultAdminUrl();
  const dir = path.join(path.resolve(opts.outDir ?? defaultBackupDir()), school);
  const now = opts.now ?? new Date();
  const log = opts.log ?? (() => undefined);

  const exists = await withClient(adminUrl, (admin) => databaseExists(admin, database));
  if (!exists) {
    throw new BackupError(
      `database "${database}" does not exist on ${redactUrl(withDatabase(adminUrl, database))}` +
        (opts.database === undefined ? ` (the default for school ${school}; pass --database to name another)` : ''),
    );
  }

  const url = withDatabase(adminUrl, database);
  const client = await connect(url);
  const stamp = backupStamp(now);
  let base = `${school}-${stamp}`;
  for (let seq = 2; existsSync(path.join(dir, `${base}.dump`)) || existsSync(path.join(dir, `${base}.dump.json`)); seq++) {
    base = `${school}-${stamp}-${seq}`;
  }
  const file = path.join(dir, `${base}.dump`);
  const manifestFile = `${file}.json`;
  const partial = `${file}.partial`;
  const manifestPartial = `${manifestFile}.partial`;
  try {
    mkdirSync(dir, { recursive: true });
    const server = await serverMajor(client);
    const pgDump = findPgTool('pg_dump', { binDir: opts.pgBinDir, serverMajor: server.major });
    const dumpVersion = await toolVersion(pgDump);
    if (dumpVersion.major < server.major) {
      throw new BackupError(
        `${pgDump} is version ${dumpVersion.major} but the server is PostgreSQL ${server.version}; ` +
          `pg_dump must be at least as new as the server (set PG_BIN_DIR)`,
      );
    }
    const pgRestore = findPgTool('pg_restore', { binDir: opts.pgBinDir, serverMajor: server.major });

    // One snapshot for pg_dump and for our row counts.
    await client.query('begin isolation level repeatable read read only');
    const snapshot = (await client.query<{ s: string }>('select pg_export_snapshot() as s')).rows[0].s;
    const db = (
      await client.query<{ encoding: string; collate: string; ctype: string }>(
        `select pg_encoding_to_char(encoding) as encoding, datcollate as collate, datctype as ctype
           from pg_database where datname = current_database()`,
      )
    ).rows[0];
    const tables = await relations(client, ['r', 'p']);
    log(`dumping ${database} (${tables.length} tables) to ${file}`);
    const target = libpqTarget(url);
    const dumping = runTool(
      pgDump,
      ['--format=custom', '--no-password', `--snapshot=${snapshot}`, '--lock-wait-timeout=300s', `--file=${partial}`, `--dbname=${target.dbname}`],
      target.env,
    );
    const counting = countRows(client, tables);
    const [dumped, counted] = await Promise.allSettled([dumping, counting]);
    await client.query('rollback').catch(() => undefined);
    if (dumped.status === 'rejected') throw dumped.reason;
    if (counted.status === 'rejected') throw counted.reason;
    const counts = counted.value;

    // The archive must be readable and hold the data of every plain table.
    const listed = await runTool(pgRestore, ['--list', partial]);
    const dataEntries = listed.stdout.split('\n').filter((l) => / TABLE DATA /.test(l));
    const missing = tables.filter((t) => t.kind === 'r').filter((t) => !dataEntries.some((l) => l.includes(` TABLE DATA ${t.schema} ${t.table} `)));
    if (missing.length > 0) {
      throw new BackupError(`pg_restore --list of the new dump has no data for ${missing.map((t) => tableLabel(t.schema, t.table)).join(', ')}`);
    }

    const manifest: BackupManifest = {
      format: MANIFEST_FORMAT,
      school,
      database,
      file: path.basename(file),
      created_at: now.toISOString(),
      size: statSync(partial).size,
      sha256: await sha256File(partial),
      pg_dump_version: dumpVersion.text,
      server_version: server.version,
      encoding: db.encoding,
      lc_collate: db.collate,
      lc_ctype: db.ctype,
      tables: counts,
    };
    writeFileSync(manifestPartial, `${JSON.stringify(manifest, null, 2)}\n`);
    renameSync(manifestPartial, manifestFile);
    renameSync(partial, file);
    log(`wrote ${file} (${manifest.size} bytes, sha256 ${manifest.sha256})`);

    // Retention, only now that the new backup is complete. The new one always stays.
    const others = listBackups(dir, school).filter((b) => b.file !== file);
    const deleted: string[] = [];
    for (const old of others.slice(keep - 1)) {
      rmSync(old.file, { force: true });
      rmSync(`${old.file}.json`, { force: true });
      deleted.push(old.file);
      log(`removed old backup ${old.file}`);
    }
    return { file, manifestFile, manifest, deleted };
  } catch (e) {
    rmSync(partial, { force: true });
    rmSync(manifestPartial, { force: true });
    if (!existsSync(file)) rmSync(manifestFile, { force: true });
    throw e;
  } finally {
    await client.end().catch(() => undefined);
  }
}

// ---------------------------------------------------------------- restore

export function readManifest(manifestFile: string): BackupManifest {
  let raw: string;
  try {
    raw = readFileSync(manifestFile, 'utf8');
  } catch {
    throw new BackupError(`manifest ${manifestFile} not found (every dump has a sidecar <dump>.json; pass --manifest if it moved)`);
  }
  let m: BackupManifest;
  try {
    m = JSON.parse(raw) as BackupManifest;
  } catch (e) {
    throw new BackupError(`manifest ${manifestFile} is not valid JSON: ${(e as Error).message}`);
  }
  if (m.format !== MANIFEST_FORMAT || !Array.isArray(m.tables) || typeof m.sha256 !== 'string') {
    throw new BackupError(`manifest ${manifestFile} is not a ${MANIFEST_FORMAT} manifest`);
  }
  return m;
}

function compareCounts(expected: TableCount[], restored: TableCount[]): RestoreCheck[] {
  const rows = new Map<string, RestoreCheck & { key: [string, string] }>();
  const key = (t: TableCount) => JSON.stringify([t.schema, t.table]);
  for (const t of expected) {
    rows.set(key(t), { key: [t.schema, t.table], table: tableLabel(t.schema, t.table), expected: t.rows, restored: null, ok: false });
  }
  for (const t of restored) {
    const row = rows.get(key(t));
    if (row) row.restored = t.rows;
    else rows.set(key(t), { key: [t.schema, t.table], table: tableLabel(t.schema, t.table), expected: null, restored: t.rows, ok: false });
  }
  return [...rows.values()]
    .sort((x, y) => compareKeys(x.key, y.key))
    .map(({ table, expected: e, restored: r }) => ({ table, expected: e, restored: r, ok: e !== null && e === r }));
}

export async function restoreDatabase(opts: RestoreOptions): Promise<RestoreResult> {
  const file = path.resolve(opts.file);
  const into = checkDatabaseName(opts.into, 'target database name');
  const log = opts.log ?? (() => undefined);
  const adminUrl = opts.adminUrl ?? defaultAdminUrl();
  if (!existsSync(file)) throw new BackupError(`dump ${file} not found`);
  const manifest = readManifest(path.resolve(opts.manifestFile ?? `${file}.json`));
  const sha = await sha256File(file);
  if (sha !== manifest.sha256) {
    throw new BackupError(
      `dump ${file} does not match its manifest (sha256 ${sha}, manifest says ${manifest.sha256}): the file is damaged or not the one the manifest describes`,
    );
  }

  const admin = await connect(adminUrl);
  let created: string | undefined;
  try {
    const adminDb = (await admin.query<{ db: string }>('select current_database() as db')).rows[0].db;
    if (into === adminDb || into === 'template0' || into === 'template1') {
      throw new BackupError(`refusing to restore into "${into}"`);
    }
    const exists = await databaseExists(admin, into);
    if (exists && !opts.replace) {
      throw new BackupError(`database "${into}" already exists; pass --replace to overwrite it`);
    }
    // A replace restores beside the old database first, so a failed restore leaves it untouched.
    const restoreName = exists ? `${into.slice(0, 40)}_restore_${randomBytes(4).toString('hex')}` : into;
    const server = await serverMajor(admin);
    const pgRestore = findPgTool('pg_restore', { binDir: opts.pgBinDir, serverMajor: server.major });

    const settings = [`template template0`];
    if (manifest.encoding) settings.push(`encoding ${quoteLiteral(manifest.encoding)}`);
    if (manifest.lc_collate) settings.push(`lc_collate ${quoteLiteral(manifest.lc_collate)}`);
    if (manifest.lc_ctype) settings.push(`lc_ctype ${quoteLiteral(manifest.lc_ctype)}`);
    try {
      await admin.query(`create database ${quoteIdent(restoreName)} ${settings.join(' ')}`);
    } catch (e) {
      throw new BackupError(`cannot create database "${restoreName}": ${(e as Error).message}`);
    }
    created = restoreName;
    const url = withDatabase(adminUrl, restoreName);
    log(`restoring ${path.basename(file)} into ${restoreName}`);
    const target = libpqTarget(url);
    const args = ['--no-owner', '--exit-on-error', '--no-password', `--dbname=${target.dbname}`];
    if (opts.noPrivileges) args.push('--no-privileges');
    await runTool(pgRestore, [...args, file], target.env);

    const checks = compareCounts(manifest.tables, await tableCounts(url));
    const ok = checks.every((c) => c.ok);
    created = undefined; // from here on the restored database is kept
    if (!ok) {
      log(`row counts differ from the manifest; the restored copy stays in ${restoreName} for inspection`);
      return { database: restoreName, url, replaced: false, checks, ok, manifest };
    }
    if (restoreName !== into) {
      log(`replacing ${into}`);
      await admin.query(`drop database ${quoteIdent(into)} with (force)`);
      await admin.query(`alter database ${quoteIdent(restoreName)} rename to ${quoteIdent(into)}`);
    }
    return { database: into, url: withDatabase(adminUrl, into), replaced: exists, checks, ok, manifest };
  } finally {
    if (created !== undefined) {
      await admin.query(`drop database if exists ${quoteIdent(created)} with (force)`).catch(() => undefined);
    }
    await admin.end().catch(() => undefined);
  }
}

// ---------------------------------------------------------------- compare

interface Fingerprint {
  tables: Map<string, { label: string; rows: string; hash: string }>;
  sequences: Map<string, { label: string; state: string }>;
}

/**
 * Every table's row count and an order-independent hash of its rows
 * (md5 of each row's text, summed as two 64-bit halves: constant memory, no
 * sort, so it scales to big tables), and every sequence's state; all in one
 * snapshot, with the settings that shape row text pinned.
 */
async function fingerprint(url: string): Promise<Fingerprint> {
  return withClient(url, async (c) => {
    await c.query('begin isolation level repeatable read read only');
    try {
      await c.query(
        `set local timezone = 'UTC'; set local datestyle = 'ISO, YMD'; set local intervalstyle = 'postgres';
         set local extra_float_digits = 3; set local bytea_output = 'hex'; set local lc_monetary = 'C';
         set local search_path = pg_catalog`,
      );
      const fp: Fingerprint = { tables: new Map(), sequences: new Map() };
      for (const t of await relations(c, ['r', 'p'])) {
        const r = await c.query<{ rows: string; h1: string; h2: string }>(
          `select count(*)::text as rows,
                  coalesce(sum(('x' || substr(h, 1, 16))::bit(64)::bigint), 0)::text as h1,
                  coalesce(sum(('x' || substr(h, 17, 16))::bit(64)::bigint), 0)::text as h2
             from (select md5(t::text) as h from ${qualified(t.schema, t.table)} t) s`,
        );
        fp.tables.set(JSON.stringify([t.schema, t.table]), {
          label: tableLabel(t.schema, t.table),
          rows: r.rows[0].rows,
          hash: `${r.rows[0].h1}/${r.rows[0].h2}`,
        });
      }
      for (const s of await relations(c, ['S'])) {
        const r = await c.query<{ state: string }>(
          `select last_value::text || case when is_called then '' else ' (not called)' end as state from ${qualified(s.schema, s.table)}`,
        );
        fp.sequences.set(JSON.stringify([s.schema, s.table]), { label: tableLabel(s.schema, s.table), state: r.rows[0].state });
      }
      return fp;
    } finally {
      await c.query('rollback').catch(() => undefined);
    }
  });
}

/**
 * Compares every table of every non-system schema of two databases row by
 * row (and their sequences). Returns the differences, sorted; [] when equal.
 */
export async function compareDatabases(urlA: string, urlB: string): Promise<TableDifference[]> {
  const [a, b] = await Promise.all([fingerprint(urlA), fingerprint(urlB)]);
  const diffs: (TableDifference & { key: string })[] = [];
  for (const [key, ta] of a.tables) {
    const tb = b.tables.get(key);
    if (!tb) diffs.push({ key, table: ta.label, kind: 'only-in-a', a: ta.rows, b: null });
    else if (ta.rows !== tb.rows) diffs.push({ key, table: ta.label, kind: 'rows', a: ta.rows, b: tb.rows });
    else if (ta.hash !== tb.hash) diffs.push({ key, table: ta.label, kind: 'content', a: ta.hash, b: tb.hash });
  }
  for (const [key, tb] of b.tables) {
    if (!a.tables.has(key)) diffs.push({ key, table: tb.label, kind: 'only-in-b', a: null, b: tb.rows });
  }
  for (const [key, sa] of a.sequences) {
    const sb = b.sequences.get(key);
    if (!sb) diffs.push({ key, table: sa.label, kind: 'only-in-a', a: sa.state, b: null });
    else if (sa.state !== sb.state) diffs.push({ key, table: sa.label, kind: 'sequence', a: sa.state, b: sb.state });
  }
  for (const [key, sb] of b.sequences) {
    if (!a.sequences.has(key)) diffs.push({ key, table: sb.label, kind: 'only-in-b', a: null, b: sb.state });
  }
  return diffs
    .sort((x, y) => compareKeys(JSON.parse(x.key) as [string, string], JSON.parse(y.key) as [string, string]) || (x.kind < y.kind ? -1 : 1))
    .map(({ table, kind, a: va, b: vb }) => ({ table, kind, a: va, b: vb }));
}
