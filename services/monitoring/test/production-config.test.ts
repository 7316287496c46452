import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { monitoringConfigFromEnv } from '@district/monitoring';

const root = join(__dirname, '..', '..', '..');

/** Runs a service's entry point (its sources, compiled on the fly) with exactly `env`, and reports how it ended. */
function runEntryPoint(file: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', join(root, 'services/kit/test/support/ts-register.js'), join(root, file)], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('production configuration', () => {
  it('monitoring keeps its demo defaults outside production', () => {
    const config = monitoringConfigFromEnv({});
    expect(config.collection.clientSecret).toBe('district-monitoring-secret');
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/district');
  });

  it('monitoring in production refuses the committed demo secret and the default database, naming both', () => {
    expect(() => monitoringConfigFromEnv({ NODE_ENV: 'production' })).toThrow(
      new Error(
        [
          'Invalid configuration:',
          '  DATABASE_URL: required when NODE_ENV=production (the built-in default is for the demo only)',
          '  MONITORING_CLIENT_SECRET: required when NODE_ENV=production (the built-in default is for the demo only)',
        ].join('\n'),
      ),
    );
    const config = monitoringConfigFromEnv({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://monitoring@db.district.internal/district',
      MONITORING_CLIENT_SECRET: 'from-the-vault',
    });
    expect(config.collection.clientSecret).toBe('from-the-vault');
    expect(config.production).toBe(true);
  });

  it('a school service process started in production without DATABASE_URL (and people without the SNILS key secret) stops at once with exit 1 and the message', async () => {
    const { code, stdout, stderr } = await runEntryPoint('services/people/src/server.ts', { NODE_ENV: 'production', SCHOOL_ID: 's002' });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      [
        'people failed to start: Invalid configuration:',
        '  DATABASE_URL: required when NODE_ENV=production (the built-in default is for the demo only)',
        '  IDENTITY_KEY_SECRET: required when NODE_ENV=production (the built-in default is for the demo only)',
        '',
      ].join('\n'),
    );
  }, 60_000);

  it('the monitoring process started in production without its secret stops at once naming the variable', async () => {
    const { code, stderr } = await runEntryPoint('services/monitoring/src/server.ts', {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/unused',
    });
    expect(code).toBe(1);
    expect(stderr).toBe(
      'monitoring failed to start: Invalid configuration:\n  MONITORING_CLIENT_SECRET: required when NODE_ENV=production (the built-in default is for the demo only)\n',
    );
  }, 60_000);
});
