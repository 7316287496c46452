import { execFileSync } from 'node:child_process';
import { adminUrl as configuredAdminUrl } from '@district/kit/testing';
import { Client } from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres';
import { keycloakConfigFromEnv } from './keycloak';

/** null when the server answers `select 1`; else why not, and whether nothing listens there at all. */
async function probe(url: string): Promise<null | { error: string; nothingListens: boolean }> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { errors?: NodeJS.ErrnoException[] };
    // `localhost` may try ::1 and 127.0.0.1 and report both in an AggregateError.
    const codes = [e.code, ...(e.errors ?? []).map((x) => x.code)];
    return { error: e.message || codes.join(', '), nothingListens: codes.includes('ECONNREFUSED') };
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function answers(url: string): Promise<boolean> {
  return (await probe(url)) === null;
}

/** The server's address as a URL names it (`[::1]` unbracketed), and its port (5432 when absent). */
function address(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname.replace(/^\[(.*)\]$/, '$1'), port: u.port === '' ? 5432 : Number(u.port) };
}

/**
 * Starts the Debian clusters (postgresql-common) that are down and configured
 * for the URL's port; true when one was started.
 */
function startDebianClusters(url: string, log: (line: string) => void): boolean {
  let listing: string;
  try {
    listing = execFileSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return false; // not Debian's packaging, or no cluster
  }
  const { port } = address(url);
  let started = false;
  for (const line of listing.split('\n')) {
    const [version, cluster, clusterPort, status] = line.trim().split(/\s+/);
    if (!version || Number(clusterPort) !== port || status !== 'down') continue;
    log(`starting PostgreSQL ${version}/${cluster}`);
    try {
      execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, cluster, 'start'], { stdio: 'inherit' });
      started = true;
    } catch {
      // the wait below decides
    }
  }
  return started;
}

async function waitFor(url: string, tries = 30): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if (await answers(url)) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

/**
 * Makes sure the machine's PostgreSQL answers: starts the Debian cluster
 * configured for that port when it is down. A machine without one gets the
 * embedded server from `npm run demo` / `npm test` (`ensurePostgresOrEmbedded`).
 */
export async function ensurePostgres(adminUrl: string, log: (line: string) => void = () => undefined): Promise<void> {
  if (await answers(adminUrl)) return;
  if (startDebianClusters(adminUrl, log) && (await waitFor(adminUrl))) return;
  const why = await probe(adminUrl);
  throw new Error(
    `PostgreSQL does not answer at ${adminUrl}${why ? ` (${why.error})` : ''}: ` +
      '`npm run demo` and `npm test` start an embedded one there when nothing listens (see README: requirements)',
  );
}

export interface PostgresHandle {
  url: string;
  /** true when this call started the embedded server; stop() then stops it (otherwise it does nothing). */
  startedHere: boolean;
  stop(): Promise<void>;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * The PostgreSQL of `npm run demo` and `npm test` (infra/bootstrap.js): the
 * one at the configured admin URL (PG_ADMIN_URL, default 127.0.0.1:5432) when
 * it answers, starting the Debian cluster first when that is what is down.
 * When nothing listens at that local address, the embedded server (real
 * PostgreSQL binaries, see embedded-postgres.ts) is started right there, so
 * every process that connects (the demo, jest and its workers, services'
 * defaults) finds it without another setting; its data stays in the cache
 * dir (DISTRICT_CACHE) for the next run. Whoever called this stops it.
 */
export async function ensurePostgresOrEmbedded(options: { adminUrl?: string; cacheDir?: string; log?: (line: string) => void } = {}): Promise<PostgresHandle> {
  const url = options.adminUrl ?? configuredAdminUrl();
  const log = options.log ?? (() => undefined);
  const reuse: PostgresHandle = { url, startedHere: false, stop: async () => undefined };
  if (await answers(url)) return reuse;
  if (startDebianClusters(url, log) && (await waitFor(url))) return reuse;

  const why = await probe(url);
  if (why === null) return reuse;
  const { host, port } = address(url);
  if (!why.nothingListens || !LOCAL_HOSTS.has(host)) {
    throw new Error(`PostgreSQL at ${url} does not answer (${why.error}); the embedded one starts only where nothing listens on this machine`);
  }
  log(`nothing listens at ${host}:${port}: starting the embedded PostgreSQL there`);
  const server = await startEmbeddedPostgres({ host, port, baseDir: options.cacheDir ?? keycloakConfigFromEnv().cacheDir, log });
  if (!(await answers(url))) {
    await server.stop();
    throw new Error(`the embedded PostgreSQL started but does not answer at ${url} (its superuser is postgres, trust authentication)`);
  }
  return { url, startedHere: true, stop: () => server.stop() };
}

/** `select version()` at `url`: what the bootstrap's `postgres` check prints. */
export async function serverVersion(url: string): Promise<string> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ version: string }>('select version()');
    return rows[0].version;
  } finally {
    await client.end();
  }
}
