import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dropDatabase, tokenFor } from '@district/kit/testing';
import { currentMonth, previousMonth } from '@district/monitoring';

const root = join(__dirname, '..', '..');

/** The example the README shows: the first graphql block after the marker, and the login it names. */
function readmeExample(): { login: string; query: string } {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.split('<!-- readme-example -->')[1];
  if (!section) throw new Error('README has no <!-- readme-example --> section');
  const login = /login `([\w.]+)`/.exec(section)?.[1];
  const query = /```graphql\n([\s\S]*?)```/.exec(section)?.[1];
  if (!login || !query) throw new Error('README example needs a login `...` and a ```graphql block');
  return { login, query };
}

describe('npm run demo', () => {
  const prefix = `t_demo_${randomBytes(3).toString('hex')}`;
  let demo: ChildProcess | undefined;
  let output = '';

  afterAll(async () => {
    if (demo?.pid) {
      try {
        process.kill(-demo.pid, 'SIGINT');
      } catch {
        // already gone
      }
      await new Promise((r) => demo!.once('exit', r));
    }
    for (const suffix of ['', '_s001', '_s002', '_s003']) await dropDatabase(`${prefix}${suffix}`);
  });

  it('brings the district up, and the README example query works with its demo login', async () => {
    demo = spawn('npm', ['run', 'demo'], {
      cwd: root,
      detached: true,
      env: {
        ...process.env,
        DEMO_GATEWAY_PORT: '0',
        DEMO_MONITORING_PORT: '0',
        DEMO_IDENTITY_PORT: '0',
        DEMO_PORTAL_PORT: '0',
        DEMO_PEOPLE_BASE_PORT: '0',
        DEMO_DATABASE_PREFIX: prefix,
        DEMO_STUDENTS_PER_CLASS: '4',
        // Hundreds of Keycloak users would outlive the test in the shared Keycloak; identity's own tests provision schools of their own.
        DEMO_ACCOUNTS: 'off',
      },
    });
    demo.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    demo.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (output.includes('DEMO READY')) done(resolve);
        else if (/\[demo\] failed|npm error/.test(output)) done(() => reject(new Error(output)));
      }, 250);
      const done = (fn: () => void) => {
        clearInterval(timer);
        fn();
      };
      demo!.once('exit', (code) => done(() => reject(new Error(`demo exited with ${code}:\n${output}`))));
    });
    const gateway = /Gateway \(GraphQL\):\s+(\S+)/.exec(output)![1]!;
    expect(output).toContain('s001.teacher');

    const { login, query } = readmeExample();
    const response = await fetch(gateway, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(login)}` },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as {
      data?: { classGroups: { name: string; studentCount: number }[]; schools: { id: string; studentCount: number }[] };
      errors?: unknown[];
    };
    expect(body.errors).toBeUndefined();
    expect(body.data!.classGroups).toHaveLength(22);
    expect(body.data!.classGroups[0]).toMatchObject({ name: '1А', studentCount: 4 });
    // The teacher sees their own school in the registry, with its figures.
    expect(body.data!.schools).toEqual([{ id: 's001', shortName: 'Школа № 1', studentCount: 22 * 4 + 2 }]);

    // The district's monitoring starts with last month closed into a report, every school collected.
    const lastMonth = previousMonth(currentMonth('Europe/Moscow'));
    expect(output).toContain(`monitoring ${lastMonth}: 3/3 schools collected, report v1`);
    const report = await fetch(gateway, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor('analyst')}` },
      body: JSON.stringify({ query: `{ monthlyReport(month: "${lastMonth}") { version schools { schoolId state figures { heldLessons marksEntered } } } }` }),
    });
    const { data } = (await report.json()) as {
      data: { monthlyReport: { version: number; schools: { schoolId: string; state: string; figures: { heldLessons: number; marksEntered: number } }[] } };
    };
    expect(data.monthlyReport.version).toBe(1);
    expect(data.monthlyReport.schools.map((s) => [s.schoolId, s.state])).toEqual([
      ['s001', 'CURRENT'],
      ['s002', 'CURRENT'],
      ['s003', 'CURRENT'],
    ]);
    for (const school of data.monthlyReport.schools) expect(school.figures.marksEntered).toBeGreaterThan(school.figures.heldLessons);
  }, 240_000);
});
