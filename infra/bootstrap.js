#!/usr/bin/env node
// `npm run demo` and `npm test` on a fresh clone: install dependencies when
// they are missing, build, then start the demo or run the suite. Plain
// JavaScript with no dependencies, because nothing is installed yet.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const { existsSync, statSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const [mode, ...rest] = process.argv.slice(2);
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };

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
console.log('[bootstrap] building');
run('npx', ['turbo', 'run', 'build', '--output-logs=errors-only']);

let child;
if (mode === 'demo') child = spawn(process.execPath, [path.join(root, 'infra', 'dist', 'demo.js'), ...rest], { cwd: root, stdio: 'inherit', env });
else if (mode === 'test') child = spawn(process.execPath, [path.join(root, 'node_modules', 'jest', 'bin', 'jest.js'), ...rest], { cwd: root, stdio: 'inherit', env });
else {
  console.error('usage: node infra/bootstrap.js demo|test [args]');
  process.exit(2);
}
// Ctrl-C reaches the child through the terminal's process group; forward a plain SIGTERM too.
process.on('SIGTERM', () => child.kill('SIGTERM'));
process.on('SIGINT', () => undefined);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
