import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Lifecycle } from '../src/lifecycle';

const root = join(__dirname, '..', '..', '..');

/** Runs test/fixtures/lifecycle-child.ts as its own process (sources compiled on the fly), sends `signal` once it is ready, and reports how it ended. */
async function runChild(args: string[], signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; stdout: string; stderr: string; stopMs: number }> {
  const child = spawn(process.execPath, ['-r', join(__dirname, 'support', 'ts-register.js'), join(__dirname, 'fixtures', 'lifecycle-child.ts'), ...args], {
    cwd: root,
    // Apollo Server installs its own signal handlers unless NODE_ENV is "test" (jest's): run as a real process would.
    env: { ...process.env, NODE_ENV: 'development' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  while (!stdout.includes('child ready at')) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`child did not start:\n${stdout}\n${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const signalled = Date.now();
  child.kill(signal);
  const code = await exited;
  return { code, stdout, stderr, stopMs: Date.now() - signalled };
}

describe('process lifecycle', () => {
  it('stops what was registered in reverse order, each once, and reports success', async () => {
    const lines: string[] = [];
    const stopped: string[] = [];
    const lifecycle = new Lifecycle({ name: 'p', log: (l) => lines.push(l) });
    for (const name of ['keycloak', 'monitoring', 'school s001', 'gateway']) lifecycle.add(name, async () => void stopped.push(name));
    const [a, b] = [lifecycle.stop('SIGTERM'), lifecycle.stop('SIGINT')];
    expect(await a).toBe(0);
    expect(await b).toBe(0);
    expect(stopped).toEqual(['gateway', 'school s001', 'monitoring', 'keycloak']);
    expect(lines[0]).toBe('[p] SIGTERM: stopping gateway, school s001, monitoring, keycloak');
    expect(lines[1]).toMatch(/^\[p\] stopped in \d+ ms$/);
    expect(lines).toHaveLength(2);
  });

  it('goes on after a stopper fails, and reports 1 naming it', async () => {
    const lines: string[] = [];
    const stopped: string[] = [];
    const lifecycle = new Lifecycle({ name: 'p', log: (l) => lines.push(l) });
    lifecycle.add('pool', () => void stopped.push('pool'));
    lifecycle.add('server', () => Promise.reject(new Error('already closed')));
    expect(await lifecycle.stop('SIGTERM')).toBe(1);
    expect(stopped).toEqual(['pool']);
    expect(lines).toEqual(['[p] SIGTERM: stopping server, pool', '[p] stopping server failed: already closed']);
  });

  it('gives up at the deadline, naming what is still stopping and what was not reached', async () => {
    const lines: string[] = [];
    const lifecycle = new Lifecycle({ name: 'p', deadlineMs: 200, log: (l) => lines.push(l) });
    lifecycle.add('monitoring', () => undefined);
    lifecycle.add('school s001', () => undefined);
    lifecycle.add('gateway', () => new Promise<void>(() => undefined));
    const started = Date.now();
    expect(await lifecycle.stop('SIGTERM')).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(lines[1]).toBe('[p] did not stop within 200 ms: still stopping gateway; not reached: school s001, monitoring');
  });

  it('a process with eleven Apollo-based servers has one SIGTERM handler and stops on SIGTERM with 0, every server closed', async () => {
    const { code, stdout, stderr, stopMs } = await runChild(['servers', '11']);
    expect(stdout).toContain('listeners SIGINT=1 SIGTERM=1');
    expect(stderr).not.toContain('MaxListenersExceededWarning');
    expect(code).toBe(0);
    expect(stopMs).toBeLessThan(5_000);
    const closed = stdout.split('\n').filter((l) => l.startsWith('closed '));
    expect(closed).toEqual(['closed main', ...Array.from({ length: 11 }, (_, i) => `closed server ${10 - i}`)]);
    expect(stdout).toMatch(/\[child\] stopped in \d+ ms/);
    // The ports are free again.
    const ports = /ports ([\d,]+)/.exec(stdout)![1]!.split(',');
    for (const port of ports) await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  }, 60_000);

  it('SIGINT stops it the same way', async () => {
    const { code, stdout } = await runChild(['servers', '2'], 'SIGINT');
    expect(code).toBe(0);
    expect(stdout).toContain('[child] SIGINT: stopping child, server 1, server 0');
  }, 60_000);

  it('exits 1 at its deadline naming the stopper that hangs', async () => {
    const { code, stdout, stopMs } = await runChild(['hang', '1']);
    expect(code).toBe(1);
    expect(stdout).toContain('[child] did not stop within 800 ms: still stopping stuck job; not reached: server 0');
    expect(stopMs).toBeGreaterThanOrEqual(750);
    expect(stopMs).toBeLessThan(5_000);
  }, 60_000);
});
