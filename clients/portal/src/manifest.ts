import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PERSISTED_OPERATIONS } from './generated/persisted-operations';

/** The gateway's safelist of the portal's operations (committed; the gateway reads it at start). */
export const MANIFEST_FILE = join(__dirname, '..', '..', '..', 'gateway', 'portal-operations.json');

/** Apollo's persisted query manifest format, as the gateway reads it. */
export interface PersistedQueryManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: { id: string; name: string; type: 'query' | 'mutation' | 'subscription'; body: string }[];
}

/** Every operation this SDK sends, with the very body whose sha256 is the id it sends. */
export function portalManifest(): PersistedQueryManifest {
  const operations = Object.values(PERSISTED_OPERATIONS)
    .map(({ id, name, type, body }) => ({ id, name, type, body }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { format: 'apollo-persisted-query-manifest', version: 1, operations };
}

/** The manifest file's text: one layout, so a stale file shows as a plain diff. */
export function manifestText(): string {
  return `${JSON.stringify(portalManifest(), null, 2)}\n`;
}

export function writeManifest(path: string = MANIFEST_FILE): void {
  writeFileSync(path, manifestText());
}

// `npm run manifest -w clients/portal`: builds (codegen --check first), then writes the gateway's file.
if (require.main === module) {
  writeManifest();
  const names = portalManifest().operations.map((op) => op.name);
  process.stdout.write(`${relative(process.cwd(), MANIFEST_FILE)}: ${names.join(', ')}\n`);
}
