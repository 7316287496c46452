import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { dropDatabase, gqlAt, keycloakUrl, tokenFor } from '@district/kit/testing';

/**
 * `npm run demo` gives every person of its schools an account through
 * identity (DEMO_ACCOUNTS=on): run here on a school code of its own (the
 * shared test Keycloak's s001–s003 belong to the other suites), after which
 * the district's reconciliation finds no drift. The accounts made are deleted.
 */
const root = join(__dirname, '..', '..');
const school = `s${600 + Math.floor(Math.random() * 99)}`;
const prefix = `t_accounts_${randomBytes(3).toString('hex')}`;
let demo: ChildProcess | undefined;
let output = '';

async function admin<T>(method: string, path: string): Promise<T> {
  const token = await tokenFor('admin', { realm: 'master', clientId: 'admin-cli', password: 'admin' });
  const response = await fetch(`${keycloakUrl()}/admin/realms/district${path}`, { method, headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  return (text ? JSON.parse(text) : null) as T;
}

afterAll(async () => {
  if (demo && demo.exitCode === null) {
    demo.kill('SIGTERM');
    await new Promise((r) => demo!.once('exit', r));
  }
  for (const user of await admin<{ id: string }[]>('GET', `/users?q=school_ids:${school}&max=5000`)) await admin('DELETE', `/users/${user.id}`);
  for (const suffix of ['', `_${school}`]) await dropDatabase(`${prefix}${suffix}`);
});

it('the demo provisions every person of its school, and the reconciliation then finds no drift', async () => {
  const { NODE_ENV: _jest, ...env } = process.env;
  demo = spawn(process.execPath, ['-r', join(root, 'services/kit/test/support/ts-register.js'), join(root, 'demo/src/demo.ts')], {
    cwd: root,
    env: {
      ...env,
      DEMO_GATEWAY_PORT: '0',
      DEMO_MONITORING_PORT: '0',
      DEMO_IDENTITY_PORT: '0',
      DEMO_PORTAL_PORT: '0',
      DEMO_PEOPLE_BASE_PORT: '0',
      DEMO_DATABASE_PREFIX: prefix,
      DEMO_SCHOOLS: school,
      DEMO_STUDENTS_PER_CLASS: '1',
      DEMO_ACCOUNTS: 'on',
    },
  });
  demo.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  demo.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const done = new RegExp(`\\[demo\\] accounts ${school}: (\\w+), (\\d+) created, (\\d+) already there`);
  const started = Date.now();
  while (!done.test(output) && !output.includes(`accounts ${school}: not provisioned`)) {
    if (demo.exitCode !== null || Date.now() - started > 400_000) throw new Error(`the demo did not provision ${school}:\n${output}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const [, state, created, existing] = done.exec(output) ?? [output];
  expect(state).toBe('SUCCEEDED');
  // Staff (the school has no demo logins), one student a class and their guardians: all made now, none there before.
  expect(Number(created)).toBeGreaterThan(60);
  expect(Number(existing)).toBe(0);
  const gateway = /Gateway \(GraphQL\):\s+(http:\/\/\S+\/graphql)/.exec(output)![1]!;
  const drift = await gqlAt(gateway, await tokenFor('sso.admin'), `query($s: ID!) { accountDrift(schoolId: $s) { kind fullName } }`, { s: school });
  expect(drift.errors).toBeUndefined();
  expect(drift.data!.accountDrift).toEqual([]);
  const accounts = await admin<{ attributes?: Record<string, string[]> }[]>('GET', `/users?q=school_ids:${school}&max=5000`);
  expect(accounts).toHaveLength(Number(created));
  expect(accounts.every((a) => a.attributes?.person_id?.length === 1)).toBe(true);
}, 600_000);
