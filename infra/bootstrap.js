#!/usr/bin/env node
// `npm run demo` and `npm test` on a fresh clone: install dependencies when
// they are missing, build, make sure PostgreSQL answers (the embedded one when
// nothing listens at the configured address), then start the demo or run the
// suite. Plain JavaScript with no dependencies, because nothing is installed yet.
// `node infra/bootstrap.js postgres` does the PostgreSQL part alone: it prints
// the server's version and stops what it started (CI shows the fallback so).
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const { existsSync, statSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const [mode, ...rest] = process.argv.slice(2);
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };
if (!['demo', 'test', 'postgres'].includes(mode)) {
  console.error('usage: node infra/bootstrap.js demo|test|postgres [args]');
  process.exit(2);
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function needsInstall() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  return !existsSync(marker) || statSync(path.join(root, 'package-lock.json')).mtimeMs > statSync(marker).mtimeMs;
}

if (needsInstall()) {
  console.log('[bootstrap] installing dependencies (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}
/** On PATH? (`command -v`, without a shell of ours: plain PATH lookup.) */
function onPath(name) {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && existsSync(path.join(dir, name)));
}

// The browser tests (clients/web/e2e) drive Debian's Chromium (`/usr/bin/chromium`; Playwright's own download
// is not available here). On a fresh Debian machine run as root, install it; otherwise say what is missing.
if (mode === 'test' && !existsSync('/usr/bin/chromium')) {
  if (process.getuid?.() === 0 && onPath('apt-get')) {
    console.log('[bootstrap] installing Chromium for the browser tests: apt-get update && apt-get install -y chromium');
    const quiet = { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env: { ...env, DEBIAN_FRONTEND: 'noninteractive' } };
    for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'chromium']]) {
      const result = spawnSync('apt-get', args, quiet);
      if (result.status !== 0) {
        console.error(`[bootstrap] apt-get ${args.join(' ')} failed (exit ${result.status}); the browser tests will fail`);
        break;
      }
    }
  } else {
    console.log('[bootstrap] /usr/bin/chromium is missing: the browser tests need it (as root: apt-get install -y chromium)');
  }
}

console.log('[bootstrap] building');
run('npx', ['turbo', 'run', 'build', '--output-logs=errors-only']);

// The web client's component tests (Vitest + Testing Library, jsdom): seconds, before the jest run.
if (mode === 'test') {
  console.log('[bootstrap] web component tests (vitest)');
  run('npx', ['vitest', 'run', '--root', 'clients/web']);
}

// PostgreSQL for the whole command: the configured one (PG_ADMIN_URL, default 127.0.0.1:5432) when it answers,
// else the embedded server started at that address (infra/src/postgres.ts). Children find it at the same URL.
// The embedded server has a session of its own, so Ctrl-C reaches the demo (which drains) but not the database;
// it is stopped here once the demo or jest has exited.
const { ensurePostgresOrEmbedded, serverVersion } = require(path.join(root, 'infra', 'dist', 'postgres.js'));
const log = (line) => console.log(`[bootstrap] ${line}`);

async function main() {
  const postgres = await ensurePostgresOrEmbedded({ log });
  if (mode === 'postgres') {
    try {
      log(`${postgres.startedHere ? 'embedded' : 'existing'} server at ${postgres.url}: ${await serverVersion(postgres.url)}`);
    } finally {
      await postgres.stop();
    }
    process.exit(0);
  }
  const child = mode === 'demo'
    ? spawn(process.execPath, [path.join(root, 'demo', 'dist', 'demo.js'), ...rest], { cwd: root, stdio: 'inherit', env })
    : spawn(process.execPath, [path.join(root, 'node_modules', 'jest', 'bin', 'jest.js'), ...rest], { cwd: root, stdio: 'inherit', env });
  // Ctrl-C reaches the child through the terminal's process group; forward a plain SIGTERM too.
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  process.on('SIGINT', () => undefined);
  const [code, signal] = await new Promise((resolve) => child.on('exit', (c, s) => resolve([c, s])));
  await postgres.stop().catch((err) => console.error(`[bootstrap] ${err.message}`));
  process.exit(code ?? (signal ? 1 : 0));
}

main().catch((err) => {
  console.error(`[bootstrap] ${err.message}`);
  process.exit(1);
});
