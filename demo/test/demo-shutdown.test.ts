import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { databaseUrl, dropDatabase, tokenFor } from '@district/kit/testing';

const root = join(__dirname, '..', '..');

/**
 * SIGTERM to a running demo district (its own ports and databases, beside any
 * other demo): it used to log "stopping…" and hang with its listeners open
 * (and warn MaxListenersExceededWarning at start). Now a request in flight
 * completes, the process exits 0 within seconds, and every port is free.
 */

interface RunningDemo {
  process: ChildProcess;
  gateway: string;
  /** Every port the demo listens on (gateway, monitoring, identity, portal, 3 × 3 school services). */
  ports: string[];
  output(): string;
  exited: Promise<number | null>;
}

/** Starts the demo's own sources the way `npm run demo` runs its build: a plain node process, NODE_ENV unset, here on free ports and its own databases. */
async function startDemo(prefix: string): Promise<RunningDemo> {
  const { NODE_ENV: _jest, ...env } = process.env;
  const child = spawn(process.execPath, ['-r', join(root, 'services/kit/test/support/ts-register.js'), join(root, 'demo/src/demo.ts')], {
    cwd: root,
    env: {
      ...env,
      DEMO_GATEWAY_PORT: '0',
      DEMO_MONITORING_PORT: '0',
      DEMO_IDENTITY_PORT: '0',
      DEMO_PORTAL_PORT: '0',
      DEMO_PEOPLE_BASE_PORT: '0',
      DEMO_DATABASE_PREFIX: prefix,
      DEMO_STUDENTS_PER_CLASS: '2',
      DEMO_ACCOUNTS: 'off',
    },
  });
  running.push(child);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const started = Date.now();
  while (!output.includes('DEMO READY')) {
    if (child.exitCode !== null || Date.now() - started > 200_000) throw new Error(`the demo did not come up:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const gateway = /Gateway \(GraphQL\):\s+(\S+)/.exec(output)![1]!;
  const ports = [...new Set([...output.matchAll(/https?:\/\/(?:localhost|127\.0\.0\.1):(\d+)\/graphql/g)].map((m) => m[1]!))];
  return { process: child, gateway, ports, output: () => output, exited };
}

/** How the demo ended after the signal: exit code and milliseconds since `signalled` (or 'hung' after 25 s). */
async function ending(demo: RunningDemo, signalled: number): Promise<{ code: number | null | 'hung'; stopMs: number }> {
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([demo.exited, new Promise<'hung'>((r) => (timer = setTimeout(() => r('hung'), 25_000)))]);
  clearTimeout(timer);
  return { code, stopMs: Date.now() - signalled };
}

async function expectStoppedCleanly(demo: RunningDemo, code: number | null | 'hung', stopMs: number, withinMs: number): Promise<void> {
  // The whole output when it did not exit 0, to see what hung.
  expect({ code, output: code === 0 ? '' : demo.output() }).toEqual({ code: 0, output: '' });
  expect(stopMs).toBeLessThan(withinMs);
  expect(demo.output()).not.toContain('MaxListenersExceededWarning');
  expect(demo.output()).toContain('[demo] SIGTERM: stopping gateway, school s003, school s002, school s001, portal, identity, monitoring, keycloak');
  expect(demo.output()).toMatch(/\[demo\] stopped in \d+ ms/);
  expect(demo.ports).toHaveLength(1 + 1 + 1 + 1 + 3 * 3);
  for (const port of demo.ports) await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
}

const running: ChildProcess[] = [];
const prefixes: string[] = [];
const newPrefix = () => {
  const prefix = `t_stop_${randomBytes(3).toString('hex')}`;
  prefixes.push(prefix);
  return prefix;
};

afterAll(async () => {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
  }
  for (const prefix of prefixes) for (const suffix of ['', '_s001', '_s002', '_s003']) await dropDatabase(`${prefix}${suffix}`);
});

describe('stopping the demo district', () => {
  it('an idle demo exits 0 within 5 s of SIGTERM, every port closed, no listener warning', async () => {
    const demo = await startDemo(newPrefix());
    const signalled = Date.now();
    demo.process.kill('SIGTERM');
    const { code, stopMs } = await ending(demo, signalled);
    await expectStoppedCleanly(demo, code, stopMs, 5_000);
  }, 300_000);

  it('a request in flight at SIGTERM completes, then the demo exits 0 within 8 s', async () => {
    const prefix = newPrefix();
    const demo = await startDemo(prefix);
    // A request held in flight: s001's class groups are locked until the test lets go.
    const lock = new Client({ connectionString: databaseUrl(`${prefix}_s001`) });
    await lock.connect();
    let answer: Promise<{ status: number; body: { data?: { classGroups: { name: string }[] }; errors?: unknown[] } }>;
    let signalled: number;
    try {
      await lock.query('begin');
      await lock.query('lock table people.class_group in access exclusive mode');
      const token = await tokenFor('s001.teacher');
      answer = fetch(demo.gateway, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ classGroups(schoolId: "s001") { name } }' }),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as never }));
      const waiting = async () =>
        (await lock.query(`select count(*)::int as n from pg_stat_activity where datname = $1 and wait_event_type = 'Lock'`, [`${prefix}_s001`])).rows[0].n > 0;
      while (!(await waiting())) await new Promise((r) => setTimeout(r, 50));

      signalled = Date.now();
      demo.process.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 1_000));
      // Still draining: the request has not been answered, so nothing may have exited.
      expect(demo.process.exitCode).toBeNull();
    } finally {
      await lock.query('commit');
      await lock.end();
    }

    const { status, body } = await answer;
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data!.classGroups).toHaveLength(22);
    const { code, stopMs } = await ending(demo, signalled!);
    await expectStoppedCleanly(demo, code, stopMs, 8_000);
  }, 300_000);
});
