// Prints what each route of the built app costs the browser (JavaScript,
// gzip) and fails the build when the diary — opened on parents' phones —
// needs more than its budget.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const DIST = new URL('../dist/', import.meta.url).pathname;
const BUDGET_KB = { 'src/features/diary/DiaryPage.tsx': 250 };
const ROUTES = {
  diary: 'src/features/diary/DiaryPage.tsx',
  today: 'src/features/teacher/TodayPage.tsx',
  journal: 'src/features/teacher/JournalPage.tsx',
  control: 'src/features/control/ControlPage.tsx',
  rules: 'src/features/control/RulesPage.tsx',
  district: 'src/features/district/DistrictPage.tsx',
  accounts: 'src/features/accounts/AccountsPage.tsx',
  account: 'src/features/accounts/AccountPage.tsx',
};

const manifest = JSON.parse(readFileSync(join(DIST, '.vite', 'manifest.json'), 'utf8'));
const gz = new Map();
const gzipKb = (file) => {
  if (!gz.has(file)) gz.set(file, gzipSync(readFileSync(join(DIST, file))).length / 1024);
  return gz.get(file);
};
/** Every JS file a chunk needs before it runs: itself and its static imports, transitively. */
function closure(key, into = new Set()) {
  const chunk = manifest[key];
  if (!chunk || into.has(chunk.file)) return into;
  into.add(chunk.file);
  for (const dep of chunk.imports ?? []) closure(dep, into);
  return into;
}
const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
const shell = closure(entry);
let failed = false;
console.log('route      JS gzip (with the app shell)');
for (const [route, key] of Object.entries(ROUTES)) {
  if (!manifest[key]) {
    console.log(`${route.padEnd(10)} (no chunk)`);
    continue;
  }
  const files = closure(key, new Set(shell));
  const kb = [...files].filter((f) => f.endsWith('.js')).reduce((sum, f) => sum + gzipKb(f), 0);
  const budget = BUDGET_KB[key];
  const over = budget !== undefined && kb > budget;
  failed ||= over;
  console.log(`${route.padEnd(10)} ${kb.toFixed(1).padStart(7)} KB${budget ? ` (budget ${budget} KB${over ? ' — OVER' : ''})` : ''}`);
}
if (failed) {
  console.error('bundle budget exceeded');
  process.exit(1);
}
