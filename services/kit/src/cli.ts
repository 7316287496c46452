/**
 * What the operators' command-line tools share (backup, restore, the journal's
 * archive): plain argv parsing, the PostgreSQL server they connect to, and
 * checks of the names they put into file paths and connection URLs.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** Bad usage: the tools print the message and their usage, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export type FlagSpec = Record<string, 'string' | 'boolean'>;

/**
 * Parses `--name value`, `--name=value` and boolean `--name` flags. Unknown
 * flags, repeated flags, missing values and positional arguments are errors.
 */
export function parseFlags(argv: string[], spec: FlagSpec): Map<string, string | true> {
  const out = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h') {
      out.set('help', true);
      continue;
    }
    if (!arg.startsWith('--') || arg === '--') throw new UsageError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const type = spec[name];
    if (type === undefined) throw new UsageError(`unknown option --${name}`);
    if (out.has(name)) throw new UsageError(`--${name} given twice`);
    if (type === 'boolean') {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      out.set(name, true);
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) value = argv[++i];
    if (value === undefined || value === '') throw new UsageError(`--${name} needs a value`);
    out.set(name, value);
  }
  return out;
}

export function stringFlag(flags: Map<string, string | true>, name: string): string | undefined {
  const v = flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The server the tools connect to: env PG_ADMIN_URL, else the local demo server. */
export function defaultAdminUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.PG_ADMIN_URL && env.PG_ADMIN_URL !== '' ? env.PG_ADMIN_URL : DEFAULT_ADMIN_URL;
}

/** The same server and user as `url`, another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return '<unparsable connection URL>';
  }
}

/** Database names the tools accept: one identifier, at most 63 bytes, no path or quote tricks. */
export function checkDatabaseName(name: string, what = 'database name'): string {
  if (!/^[A-Za-z_][A-Za-z0-9_$-]*$/.test(name) || Buffer.byteLength(name) > 63) {
    throw new UsageError(`bad ${what} "${name}": use letters, digits, _ or - (at most 63 characters, starting with a letter or _)`);
  }
  return name;
}

/** A school's registry code as the tools put it into file names (s001). */
export function checkSchoolCode(school: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,40}$/.test(school)) {
    throw new UsageError(`bad school code "${school}" (expected a registry code such as s001)`);
  }
  return school;
}

/** The repository's root (the package.json with workspaces) above this file or the working directory; else the working directory. */
export function workspaceRoot(): string {
  for (const start of [__dirname, process.cwd()]) {
    let dir = path.resolve(start);
    for (;;) {
      const pkg = path.join(dir, 'package.json');
      if (existsSync(pkg)) {
        try {
          if ((JSON.parse(readFileSync(pkg, 'utf8')) as { workspaces?: unknown }).workspaces) return dir;
        } catch {
          // not a readable package.json: keep looking
        }
      }
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return process.cwd();
}
