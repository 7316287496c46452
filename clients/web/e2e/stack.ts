/**
 * The real district for the web app's end-to-end tests, in this process like
 * gateway/test/district.ts: fresh databases, three schools with a seeded
 * timetable and journal history, monitoring collected, Keycloak (started or
 * reused by jest's global setup), and the gateway serving the built app
 * (clients/web/dist) on the same origin as /graphql.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { keycloakUrl } from '@district/kit/testing';
import { currentMonth, previousMonth } from '@district/monitoring';
import { demoWebPorts, startDistrict, type District, type DistrictOptions } from '@district/demo';
import { launchBrowser, type E2EBrowser } from './browser';

export const WEB_DIST = resolve(__dirname, '..', 'dist');

export interface E2EStack {
  /** The app, e.g. http://localhost:4173/ */
  appUrl: string;
  /** The same gateway's GraphQL endpoint (for checks through the API). */
  gatewayUrl: string;
  district: District;
  /** Stops the district and drops its databases. */
  close(): Promise<void>;
}

export interface StackOptions extends Partial<DistrictOptions> {
  /** Collect last month's and this month's monitoring at start, like `npm run demo` (default true). */
  collectMonitoring?: boolean;
}

/**
 * Starts the stack. The gateway must listen on a port the demo realm admits as
 * the web app's origin (the browser calls Keycloak's token endpoint with CORS,
 * and Keycloak has no port wildcard for web origins), so it takes the first
 * free one of those, held by a lock file against parallel test files.
 */
export async function startStack(options: StackOptions = {}): Promise<E2EStack> {
  if (!existsSync(join(WEB_DIST, 'index.html'))) {
    throw new Error(`${join(WEB_DIST, 'index.html')} is missing: build the web app first (run npm run build; npm test does it)`);
  }
  const { collectMonitoring = true, ...districtOptions } = options;
  const port = await claimWebPort();
  let district: District | undefined;
  try {
    district = await startDistrict({
      schools: ['s001', 's002', 's003'],
      databasePrefix: `e2e_${randomBytes(3).toString('hex')}`,
      keycloakUrl: keycloakUrl(),
      studentsPerClass: 8,
      timetable: true,
      journalHistory: true,
      schoolTimeoutMs: 3_000,
      log: process.env.E2E_LOG ? (line) => console.log(`[e2e] ${line}`) : undefined,
      ...districtOptions,
      gatewayPort: port.number,
      webRoot: WEB_DIST,
    });
    if (collectMonitoring) {
      const current = currentMonth('Europe/Moscow');
      for (const month of [previousMonth(current), current]) await district.monitoring.collector.collect(month, 'MANUAL', 'e2e');
    }
  } catch (error) {
    await district?.close({ dropDatabases: true }).catch(() => undefined);
    port.release();
    throw error;
  }
  const started = district;
  let closing: Promise<void> | undefined;
  return {
    appUrl: `http://localhost:${port.number}/`,
    gatewayUrl: `http://localhost:${port.number}/graphql`,
    district: started,
    close: () =>
      (closing ??= (async () => {
        try {
          await started.close({ dropDatabases: true });
        } finally {
          port.release();
        }
      })()),
  };
}

interface ClaimedPort {
  number: number;
  release(): void;
}

/** Ports a developer is likely to use themselves (the demo, Vite's dev server) come last. */
const LAST = [4000, 5173];

async function claimWebPort(): Promise<ClaimedPort> {
  const ports = demoWebPorts().sort((a, b) => Number(LAST.includes(a)) - Number(LAST.includes(b)));
  if (ports.length === 0)
    throw new Error('the demo realm lists no http://localhost:<port> web origin for district-web (infra/keycloak/realm-district.demo.json)');
  for (const port of ports) {
    const lock = join(tmpdir(), `district-e2e-port-${port}.lock`);
    if (!takeLock(lock)) continue;
    if (await isFree(port)) return { number: port, release: () => rmSync(lock, { force: true }) };
    rmSync(lock, { force: true });
  }
  throw new Error(`no free port for the web app among ${ports.join(', ')} (the demo realm's web origins for district-web): stop what listens there`);
}

/** An exclusive lock file with our pid; one left by a process that is gone is taken over. */
function takeLock(path: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(path, 'utf8').trim());
      if (owner && owner !== process.pid && alive(owner)) return false;
      rmSync(path, { force: true });
    }
  }
  return false;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Free on both loopbacks: the browser resolves localhost to ::1 first, so a server there would answer instead of the gateway. */
async function isFree(port: number): Promise<boolean> {
  for (const host of ['127.0.0.1', '::1']) {
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EADDRNOTAVAIL' || error.code === 'EAFNOSUPPORT'));
      server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
    });
    if (!free) return false;
  }
  return true;
}

/**
 * One stack and one browser for a test file: started before its tests,
 * stopped (databases dropped) after them.
 */
export function e2eWorld(options: StackOptions = {}): { readonly stack: E2EStack; readonly browser: E2EBrowser } {
  let stack: E2EStack | undefined;
  let browser: E2EBrowser | undefined;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(options), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });
  return {
    get stack() {
      if (!stack) throw new Error('the e2e stack is not started');
      return stack;
    },
    get browser() {
      if (!browser) throw new Error('the browser is not launched');
      return browser;
    },
  };
}
