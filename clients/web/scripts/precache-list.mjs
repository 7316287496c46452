// Lists the files of the build the service worker (public/sw.js) keeps, so
// the school sections — every one, not only the one opened first — work after
// a reload without a connection.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const DIST = new URL('../dist/', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(DIST, '.vite', 'manifest.json'), 'utf8'));
// Offline matters in schools (a teacher's lesson, a family's diary), not for the district office's
// dashboard (its charts alone are ~180 KB gzip) nor for account administration, which needs Keycloak:
// their chunks are left to the network.
const ONLINE_ONLY = /^src\/features\/(district|accounts)\//;
const files = new Set();
function add(key) {
  const chunk = manifest[key];
  if (!chunk || files.has(`/${chunk.file}`)) return;
  files.add(`/${chunk.file}`);
  for (const css of chunk.css ?? []) files.add(`/${css}`);
  for (const asset of chunk.assets ?? []) files.add(`/${asset}`);
  for (const dep of chunk.imports ?? []) if (!ONLINE_ONLY.test(dep)) add(dep);
}
for (const key of Object.keys(manifest)) if (!ONLINE_ONLY.test(key) && (manifest[key].isEntry || manifest[key].isDynamicEntry)) add(key);
const list = JSON.stringify([...files].sort());
writeFileSync(join(DIST, 'precache.json'), list);
// A new build is a new service worker (its cache named by the build), so browsers fetch the new files and drop the old.
const build = createHash('sha256').update(list).digest('hex').slice(0, 12);
const sw = join(DIST, 'sw.js');
writeFileSync(sw, readFileSync(sw, 'utf8').replace("const CACHE = 'district-web-shell';", `const CACHE = 'district-web-shell-${build}';`));
console.log(`precache.json: ${files.size} files`);
