/**
 * Small helpers around the PostgreSQL client programs (pg_dump, pg_restore)
 * and connection URLs. Node built-ins only.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

/** A failure the operator can act on; the CLIs print its message without a stack. */
export class BackupError extends Error {
  override name = 'BackupError';
}

// The connection URL helpers are the kit's, shared with the journal's archive CLI.
export { DEFAULT_ADMIN_URL, defaultAdminUrl, redactUrl, withDatabase } from '@district/kit';

/**
 * How to hand a connection URL to a libpq program without putting the
 * password on its command line (where `ps` shows it): the URL without the
 * password, and PGPASSWORD in the environment.
 */
export function libpqTarget(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (u.password !== '') {
    env.PGPASSWORD = decodeURIComponent(u.password);
    u.password = '';
  }
  return { dbname: u.toString(), env };
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

function debianBinDirs(): { major: number; dir: string }[] {
  const root = '/usr/lib/postgresql';
  try {
    return readdirSync(root)
      .filter((v) => /^\d+$/.test(v))
      .map((v) => ({ major: Number(v), dir: path.join(root, v, 'bin') }))
      .sort((a, b) => b.major - a.major);
  } catch {
    return [];
  }
}

/**
 * Where a PostgreSQL client program is: `binDir` (or env PG_BIN_DIR) when
 * given; else the Debian build matching the server's major version; else
 * PATH; else the newest Debian build installed.
 */
export function findPgTool(name: 'pg_dump' | 'pg_restore', opts: { binDir?: string; serverMajor?: number } = {}): string {
  const binDir = opts.binDir ?? (process.env.PG_BIN_DIR && process.env.PG_BIN_DIR !== '' ? process.env.PG_BIN_DIR : undefined);
  if (binDir !== undefined) {
    const candidate = path.join(binDir, name);
    if (!existsSync(candidate)) throw new BackupError(`${name} not found in ${binDir} (PG_BIN_DIR / --pg-bin-dir)`);
    return candidate;
  }
  const debian = debianBinDirs();
  const matching = debian.find((d) => d.major === opts.serverMajor && existsSync(path.join(d.dir, name)));
  if (matching) return path.join(matching.dir, name);
  const found = onPath(name);
  if (found) return found;
  const newest = debian.find((d) => existsSync(path.join(d.dir, name)));
  if (newest) return path.join(newest.dir, name);
  throw new BackupError(`${name} not found: install the PostgreSQL client programs (Debian: postgresql-client-${opts.serverMajor ?? 'NN'}) or set PG_BIN_DIR`);
}

export interface ToolRun {
  stdout: string;
  stderr: string;
}

/** Runs a program; rejects with a BackupError carrying the end of its stderr when it fails. */
export function runTool(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(new BackupError(e.code === 'ENOENT' ? `${path.basename(file)} not found at ${file}` : `${path.basename(file)} could not start: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (code === 0) return resolve({ stdout, stderr });
      const tail = stderr.trim().split('\n').slice(-15).join('\n');
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      reject(new BackupError(`${path.basename(file)} ${how}${tail ? `:\n${tail}` : ''}`));
    });
  });
}

/** `pg_dump --version` → its text and major version. */
export async function toolVersion(file: string): Promise<{ text: string; major: number }> {
  const { stdout } = await runTool(file, ['--version']);
  const text = stdout.trim();
  const m = /\)\s+(\d+)(?:\.\d+)?/.exec(text) ?? /(\d+)\.\d+/.exec(text);
  if (!m) throw new BackupError(`cannot read the version of ${file} from "${text}"`);
  return { text, major: Number(m[1]) };
}
