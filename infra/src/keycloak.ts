/**
 * Start (or reuse) the local Keycloak that the demo and the test suites use.
 *
 * Keycloak is the real server distribution (fetched by infra/keycloak/fetch.sh
 * into a cache folder outside git) run with `kc.sh start-dev`, with the DEMO
 * realm `district` imported: the production realm
 * infra/keycloak/realm-district.json with the demo overlay
 * infra/keycloak/realm-district.demo.json merged onto it by
 * infra/keycloak/realm.js (see infra/keycloak/README.md). Only node built-ins
 * are used so this file can run before any workspace is built.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const KEYCLOAK_REALM = 'district';
export const DEFAULT_KEYCLOAK_PORT = 8080;
const DEFAULT_TIMEOUT_MS = 180_000;
const POLL_MS = 500;
const STOP_GRACE_MS = 10_000;
const REALM_FILE = path.join('infra', 'keycloak', 'realm-district.json');
const REALM_COMPOSER = path.join('infra', 'keycloak', 'realm.js');
/** Bootstrap admin of the master realm of a Keycloak started here. */
const MASTER_ADMIN = { username: 'admin', password: 'admin' };
/**
 * Demo/test only (start.sh passes it too): since Keycloak 26 brute-force
 * protection refuses a login while another login of the same user is in
 * progress, and the suite's processes log the same demo users in at once.
 * Production keeps Keycloak's default (infra/keycloak/README.md, "Production").
 */
const ALLOW_CONCURRENT_LOGINS = '--spi-brute-force-protector--default-brute-force-detector--allow-concurrent-requests=true';

export interface KeycloakHandle {
  /** Base URL, e.g. http://localhost:8080 (no trailing slash, no /realms/...). */
  url: string;
  realm: string;
  /** true when this call spawned the server; stop() then ends it. */
  startedHere: boolean;
  stop(): Promise<void>;
}

export interface KeycloakEnvConfig {
  port: number;
  url: string;
  realm: string;
  /** Cache folder shared with fetch.sh (DISTRICT_CACHE or ~/.cache/district-ejournal). */
  cacheDir: string;
}

/** The only place this module reads the environment. */
export function keycloakConfigFromEnv(env: NodeJS.ProcessEnv = process.env): KeycloakEnvConfig {
  let port = DEFAULT_KEYCLOAK_PORT;
  if (env.KC_PORT !== undefined && env.KC_PORT !== '') {
    port = Number(env.KC_PORT);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(`KC_PORT must be a TCP port number, got "${env.KC_PORT}"`);
    }
  }
  const cacheDir = env.DISTRICT_CACHE && env.DISTRICT_CACHE !== '' ? env.DISTRICT_CACHE : path.join(env.HOME ?? os.homedir(), '.cache', 'district-ejournal');
  return { port, url: `http://localhost:${port}`, realm: KEYCLOAK_REALM, cacheDir };
}

/**
 * The repository root: the nearest directory holding
 * infra/keycloak/realm-district.json above `start` (default: this file's
 * directory, then the current working directory).
 */
export function findRepoRoot(start?: string): string {
  const starts = start !== undefined ? [start] : [__dirname, process.cwd()];
  for (const s of starts) {
    let dir = path.resolve(s);
    for (;;) {
      if (fs.existsSync(path.join(dir, REALM_FILE))) return dir;
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error(`cannot find ${REALM_FILE} above ${starts.join(' or ')}`);
}

/** `production`: the committed realm a district imports; `demo`: it plus the demo overlay. */
export type RealmVariant = 'production' | 'demo';

/** The parts of a Keycloak RealmRepresentation this repository reads. */
export interface RealmClient {
  clientId: string;
  publicClient?: boolean;
  secret?: string;
  standardFlowEnabled?: boolean;
  implicitFlowEnabled?: boolean;
  directAccessGrantsEnabled?: boolean;
  serviceAccountsEnabled?: boolean;
  redirectUris?: string[];
  webOrigins?: string[];
  attributes?: Record<string, string>;
  [key: string]: unknown;
}
export interface RealmUser {
  username: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  serviceAccountClientId?: string;
  attributes?: Record<string, string[]>;
  credentials?: Array<{ type: string; value?: string; secretData?: string; credentialData?: string; temporary?: boolean }>;
  realmRoles?: string[];
  [key: string]: unknown;
}
export interface RealmRepresentation {
  realm: string;
  clients?: RealmClient[];
  users?: RealmUser[];
  attributes?: Record<string, string>;
  [key: string]: unknown;
}

interface RealmComposer {
  DIGEST_ATTRIBUTE: string;
  composeRealm(variant: RealmVariant, options?: { hashPasswords?: boolean }): RealmRepresentation;
}

function realmComposer(repoRoot: string): RealmComposer {
  // Plain CommonJS beside the realm files (start.sh runs it before any build); loaded at run time by path.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(repoRoot, REALM_COMPOSER)) as RealmComposer;
}

/**
 * The realm `district` as infra/keycloak/realm.js composes it. The demo
 * variant's password credentials are pre-hashed unless `hashPasswords` is
 * false (then they are the overlay's plain text, e.g. `demo`).
 */
export function composeRealm(variant: RealmVariant, options: { hashPasswords?: boolean; repoRoot?: string } = {}): RealmRepresentation {
  return realmComposer(options.repoRoot ?? findRepoRoot()).composeRealm(variant, { hashPasswords: options.hashPasswords });
}

function realmUrl(url: string, realm: string): string {
  return `${url.replace(/\/+$/, '')}/realms/${encodeURIComponent(realm)}`;
}

async function realmAnswers(url: string, realm: string): Promise<boolean> {
  try {
    const res = await fetch(`${realmUrl(url, realm)}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(3000),
    });
    await res.arrayBuffer().catch(() => undefined);
    return res.status === 200;
  } catch {
    return false;
  }
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (inUse: boolean) => {
      socket.destroy();
      resolve(inUse);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function runFetch(repoRoot: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('bash', [path.join(repoRoot, 'infra', 'keycloak', 'fetch.sh')], { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`infra/keycloak/fetch.sh failed: ${err.message}\n${stderr}`));
        return;
      }
      const lines = stdout.trim().split('\n');
      const home = lines[lines.length - 1]?.trim() ?? '';
      if (!home || !fs.existsSync(path.join(home, 'bin', 'kc.sh'))) {
        reject(new Error(`infra/keycloak/fetch.sh printed no Keycloak home (got "${stdout.trim()}")`));
        return;
      }
      resolve(home);
    });
  });
}

function logTail(file: string, lines = 40): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function processGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Lock so two processes (e.g. parallel jest global setups) do not both start a
 * Keycloak on the same port. Returns a release function, or null when another
 * live process holds the lock (that process is starting Keycloak).
 */
function tryLock(lockFile: string): (() => void) | null {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockFile, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      return () => {
        try {
          fs.unlinkSync(lockFile);
        } catch {
          /* already gone */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(fs.readFileSync(lockFile, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && pidAlive(holder)) return null;
      fs.rmSync(lockFile, { force: true }); // stale: its owner died
    }
  }
  return null;
}

/** Sends SIGTERM to the process group, SIGKILL after `graceMs`, resolves when it is gone. */
async function killGroup(child: ChildProcess, graceMs: number): Promise<void> {
  const pgid = child.pid;
  if (pgid === undefined) return;
  let exited = child.exitCode !== null || child.signalCode !== null;
  const exitPromise = new Promise<void>((resolve) => {
    if (exited) {
      resolve();
      return;
    }
    child.once('exit', () => {
      exited = true;
      resolve();
    });
  });
  const gone = () => exited && !processGroupAlive(pgid);
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pgid, sig);
    } catch {
      /* gone */
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (!gone() && Date.now() < deadline) {
    await Promise.race([exitPromise, sleep(200)]);
  }
  if (!gone()) {
    signal('SIGKILL');
    const hardDeadline = Date.now() + 5000;
    while (!gone() && Date.now() < hardDeadline) await Promise.race([exitPromise, sleep(100)]);
  }
}

function reused(url: string): KeycloakHandle {
  return { url, realm: KEYCLOAK_REALM, startedHere: false, stop: async () => undefined };
}

/**
 * Whether the realm `district` of a running Keycloak was imported from the
 * demo realm the committed files compose now: `current` / `stale` (compared
 * by the digest realm.js stores in the realm attribute district.realm.digest;
 * a realm from before that attribute is `stale`), or `unknown` when the realm
 * cannot be read with the master admin a Keycloak started here has.
 */
export async function runningRealmIsCurrent(url: string, repoRoot: string = findRepoRoot()): Promise<'current' | 'stale' | 'unknown'> {
  try {
    const token = await tokenRequest(url, 'master', {
      grant_type: 'password',
      client_id: 'admin-cli',
      username: MASTER_ADMIN.username,
      password: MASTER_ADMIN.password,
    });
    const res = await fetch(`${url.replace(/\/+$/, '')}/admin/realms/${encodeURIComponent(KEYCLOAK_REALM)}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) return 'unknown';
    const realm = (await res.json()) as RealmRepresentation;
    const composer = realmComposer(repoRoot);
    const expected = composer.composeRealm('demo', { hashPasswords: false }).attributes?.[composer.DIGEST_ATTRIBUTE];
    return realm.attributes?.[composer.DIGEST_ATTRIBUTE] === expected ? 'current' : 'stale';
  } catch {
    return 'unknown';
  }
}

/**
 * Returns a Keycloak serving realm `district` on localhost:<port> (default
 * 8080; pass `port: keycloakConfigFromEnv().port` to honour KC_PORT): reuses
 * one that already answers (logging a warning when its realm is not the one
 * the committed files compose now), otherwise starts a fresh one (H2 data
 * wiped, the DEMO realm imported: production realm + demo overlay) in its own
 * process group, logging to <cache>/keycloak.log. Only a handle with
 * startedHere true stops anything.
 */
export async function ensureKeycloak(opts: { port?: number; log?: (line: string) => void; timeoutMs?: number } = {}): Promise<KeycloakHandle> {
  const env = keycloakConfigFromEnv(); // for the cache folder; KC_PORT only through opts.port
  const port = opts.port ?? DEFAULT_KEYCLOAK_PORT;
  const url = `http://localhost:${port}`;
  const log = opts.log ?? (() => undefined);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const started = Date.now();

  if (await realmAnswers(url, KEYCLOAK_REALM)) {
    log(`keycloak: reusing ${url} (realm ${KEYCLOAK_REALM} answers)`);
    if ((await runningRealmIsCurrent(url)) === 'stale') {
      log(
        `keycloak: WARNING the realm on ${url} was imported from other realm files than infra/keycloak/ holds now; ` +
          'stop that Keycloak and run again to import the current demo realm',
      );
    }
    return reused(url);
  }

  fs.mkdirSync(env.cacheDir, { recursive: true });
  const logFile = path.join(env.cacheDir, 'keycloak.log');
  const lockFile = path.join(env.cacheDir, `keycloak-${port}.lock`);
  const release = tryLock(lockFile);
  if (!release) {
    // Another process is starting it right now: wait for it instead.
    log(`keycloak: another process is starting Keycloak on port ${port}, waiting`);
    while (Date.now() - started < timeoutMs) {
      if (await realmAnswers(url, KEYCLOAK_REALM)) return reused(url);
      if (!fs.existsSync(lockFile) && !(await portInUse(port))) {
        return ensureKeycloak({ ...opts, timeoutMs: Math.max(1000, timeoutMs - (Date.now() - started)) });
      }
      await sleep(POLL_MS);
    }
    throw new Error(
      `Keycloak on ${url} did not answer within ${timeoutMs} ms (started by another process)\n` + `--- ${logFile} (tail) ---\n${logTail(logFile)}`,
    );
  }

  let child: ChildProcess | undefined;
  try {
    if (await portInUse(port)) {
      throw new Error(
        `port ${port} is in use, but ${realmUrl(url, KEYCLOAK_REALM)} does not answer: ` +
          'something else (or a Keycloak without the district realm) listens there. Stop it or set KC_PORT.',
      );
    }
    const repoRoot = findRepoRoot();
    log('keycloak: fetching distribution (infra/keycloak/fetch.sh)');
    const kcHome = await runFetch(repoRoot);

    // start-dev keeps an H2 database; --import-realm skips realms that already
    // exist, so wipe it to import exactly the committed realm files: the
    // production realm with the demo overlay merged onto it.
    fs.rmSync(path.join(kcHome, 'data', 'h2'), { recursive: true, force: true });
    const importDir = path.join(kcHome, 'data', 'import');
    fs.mkdirSync(importDir, { recursive: true });
    for (const f of fs.readdirSync(importDir)) fs.rmSync(path.join(importDir, f), { recursive: true, force: true });
    const demoRealm = composeRealm('demo', { repoRoot });
    fs.writeFileSync(path.join(importDir, 'realm-district.json'), `${JSON.stringify(demoRealm, null, 2)}\n`, { mode: 0o600 });

    const out = fs.openSync(logFile, 'w');
    log(`keycloak: starting ${kcHome} on port ${port} (log: ${logFile})`);
    try {
      child = spawn(path.join(kcHome, 'bin', 'kc.sh'), ['start-dev', `--http-port=${port}`, '--import-realm', ALLOW_CONCURRENT_LOGINS], {
        cwd: kcHome,
        detached: true, // own process group: stop() kills kc.sh and java together
        stdio: ['ignore', out, out],
        env: {
          ...process.env,
          KC_BOOTSTRAP_ADMIN_USERNAME: MASTER_ADMIN.username,
          KC_BOOTSTRAP_ADMIN_PASSWORD: MASTER_ADMIN.password,
        },
      });
    } finally {
      fs.closeSync(out);
    }
    const proc = child;
    proc.unref();
    fs.writeFileSync(path.join(env.cacheDir, `keycloak-${port}.pid`), String(proc.pid));
    let exitInfo: string | undefined;
    proc.once('exit', (code, sig) => {
      exitInfo = sig ? `signal ${sig}` : `code ${code}`;
    });
    proc.once('error', (err) => {
      exitInfo = `spawn error: ${err.message}`;
    });

    while (!(await realmAnswers(url, KEYCLOAK_REALM))) {
      if (exitInfo !== undefined) {
        throw new Error(`Keycloak exited (${exitInfo}) before realm ${KEYCLOAK_REALM} answered\n` + `--- ${logFile} (tail) ---\n${logTail(logFile)}`);
      }
      if (Date.now() - started > timeoutMs) {
        throw new Error(`Keycloak did not serve realm ${KEYCLOAK_REALM} on ${url} within ${timeoutMs} ms\n` + `--- ${logFile} (tail) ---\n${logTail(logFile)}`);
      }
      await sleep(POLL_MS);
    }
    log(`keycloak: ready on ${url} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    release();

    let stopping: Promise<void> | undefined;
    return {
      url,
      realm: KEYCLOAK_REALM,
      startedHere: true,
      stop: () => {
        stopping ??= killGroup(proc, STOP_GRACE_MS).then(() => {
          fs.rmSync(path.join(env.cacheDir, `keycloak-${port}.pid`), { force: true });
          log('keycloak: stopped');
        });
        return stopping;
      },
    };
  } catch (err) {
    if (child) {
      await killGroup(child, STOP_GRACE_MS);
      fs.rmSync(path.join(env.cacheDir, `keycloak-${port}.pid`), { force: true });
    }
    release();
    throw err;
  }
}

interface TokenResponse {
  access_token?: string;
  error?: string;
  error_description?: string;
}

async function tokenRequest(url: string, realm: string, form: Record<string, string>): Promise<string> {
  const endpoint = `${realmUrl(url, realm)}/protocol/openid-connect/token`;
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(form).toString(),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let body: TokenResponse = {};
  try {
    body = JSON.parse(text) as TokenResponse;
  } catch {
    /* not JSON */
  }
  if (!res.ok || typeof body.access_token !== 'string') {
    const detail = body.error ? `${body.error}${body.error_description ? `: ${body.error_description}` : ''}` : text.slice(0, 500);
    throw new Error(`Keycloak token request (${form.grant_type}, client ${form.client_id}) failed: ` + `HTTP ${res.status} ${detail}`);
  }
  return body.access_token;
}

/** Direct access grant (resource-owner password). Returns the access token. */
export async function passwordToken(opts: { url: string; username: string; password?: string; clientId?: string; realm?: string }): Promise<string> {
  const form = {
    grant_type: 'password',
    client_id: opts.clientId ?? 'district-web',
    username: opts.username,
    password: opts.password ?? 'demo',
  };
  // With brute-force detection on, Keycloak answers "invalid_grant" to a login
  // that arrives while another login of the same user (from another test
  // process) is being checked. A demo login (no password given) is therefore
  // retried briefly; an explicit password is never retried, so a wrong one
  // fails at once.
  for (let attempt = 1; ; attempt++) {
    try {
      return await tokenRequest(opts.url, opts.realm ?? KEYCLOAK_REALM, form);
    } catch (err) {
      const collided = opts.password === undefined && /invalid_grant/.test(String(err));
      if (!collided || attempt >= 4) throw err;
      await sleep(200 * attempt);
    }
  }
}

/** Client-credentials grant for a confidential client's service account. */
export async function serviceAccountToken(opts: { url: string; clientId: string; clientSecret: string; realm?: string }): Promise<string> {
  return tokenRequest(opts.url, opts.realm ?? KEYCLOAK_REALM, {
    grant_type: 'client_credentials',
    client_id: opts.clientId,
    client_secret: opts.clientSecret,
  });
}
