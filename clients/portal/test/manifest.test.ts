import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse, print, specifiedRules, validate } from 'graphql';
import { DEFAULT_LIMITS, loadPortalSafelist, queryLimitsRule, SUPERGRAPH_FILE } from '@district/gateway';
import { PERSISTED_OPERATIONS } from '../src/generated/persisted-operations';
import { MANIFEST_FILE, manifestText, portalManifest } from '../src/manifest';

/**
 * The gateway runs for the portal only the operations of its committed
 * manifest (gateway/portal-operations.json): it must hold exactly what this
 * SDK sends, or the portal's questions are refused PERSISTED_QUERY_NOT_ALLOWED.
 */

const OPERATIONS_DIR = join(__dirname, '..', 'src', 'operations');
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

it('the committed manifest is the one the operations make (else: npm run codegen, then npm run manifest -w clients/portal)', () => {
  expect(readFileSync(MANIFEST_FILE, 'utf8')).toBe(manifestText());
});

it('the SDK’s generated operations are the .graphql files’ (else: npm run codegen -w clients/portal)', () => {
  const files = readdirSync(OPERATIONS_DIR).filter((f) => f.endsWith('.graphql'));
  expect(files.sort()).toEqual(['PortalDiary.graphql', 'PortalProgress.graphql']);
  for (const file of files) {
    const name = file.replace(/\.graphql$/, '') as keyof typeof PERSISTED_OPERATIONS;
    const operation = PERSISTED_OPERATIONS[name];
    expect(operation.body).toBe(print(parse(readFileSync(join(OPERATIONS_DIR, file), 'utf8'))));
    expect(operation.id).toBe(sha256(operation.body));
  }
});

it('every id is the sha256 of its body, and the gateway accepts the manifest', () => {
  const { format, version, operations } = portalManifest();
  expect([format, version]).toEqual(['apollo-persisted-query-manifest', 1]);
  expect(operations.map((op) => [op.name, op.type, op.id === sha256(op.body)])).toEqual([
    ['PortalDiary', 'query', true],
    ['PortalProgress', 'query', true],
  ]);
  expect(loadPortalSafelist(MANIFEST_FILE).size).toBe(2);
});

it('every operation is valid against the supergraph and within the gateway’s default query limits', () => {
  const schema = buildSchema(readFileSync(SUPERGRAPH_FILE, 'utf8'));
  const errors = portalManifest().operations.map((op) => [
    op.name,
    validate(schema, parse(op.body), [...specifiedRules, queryLimitsRule(DEFAULT_LIMITS)]).map((e) => e.message),
  ]);
  expect(errors).toEqual([
    ['PortalDiary', []],
    ['PortalProgress', []],
  ]);
});
