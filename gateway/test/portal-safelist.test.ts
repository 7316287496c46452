import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureLogs, keycloakUrl, tokenFor, type CapturedLogs, type LogLine } from '@district/kit/testing';
import type { District } from '@district/demo';
import { gatewayConfigFromEnv, loadPortalSafelist, PORTAL_OPERATIONS_FILE, sha256Hex, type RunningGateway } from '@district/gateway';
import { startExtraGateway } from './extra-gateway';
import { testDistrict } from './district';

/**
 * The state portal (client `state-portal`, realm role `portal`) through the
 * gateway: only the operations of the persisted-operation manifest, refused
 * before any subgraph otherwise; a token bucket per client; its own
 * X-Request-Id kept from the gateway's log line into the subgraph's.
 */

const PORTAL_SCHOOLS = 'query PortalSchools { schools { id } }';
const PORTAL_SCHOOLS_ID = sha256Hex(PORTAL_SCHOOLS);
const byHash = (sha256Hash: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash } } });

let district: District;
let logs: CapturedLogs;
let dir: string;
/** A gateway whose manifest holds PortalSchools, with a limit the tests here never reach. */
let gateway: RunningGateway;
/** The same manifest, and a portal client may send 2 requests, then 1 a minute. */
let limited: RunningGateway;

function writeManifest(name: string, operations: { id: string; name: string; type: string; body: string }[]): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations }));
  return path;
}

beforeAll(async () => {
  logs = captureLogs();
  dir = mkdtempSync(join(tmpdir(), 'portal-ops-'));
  district = await testDistrict({ schools: ['s001'], studentsPerClass: 1 });
  const portalOperationsPath = writeManifest('portal-operations.json', [{ id: PORTAL_SCHOOLS_ID, name: 'PortalSchools', type: 'query', body: PORTAL_SCHOOLS }]);
  gateway = await startExtraGateway(district, { portalOperationsPath, portalRateLimit: { perMinute: 6_000, burst: 1_000 } });
  limited = await startExtraGateway(district, { portalOperationsPath, portalRateLimit: { perMinute: 1, burst: 2 } });
});
afterAll(async () => {
  await limited?.close();
  await gateway?.close();
  await district?.close({ dropDatabases: true });
  logs?.restore();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A client-credentials token of the state portal's service account, as the portal gets it. */
async function portalToken(): Promise<string> {
  const response = await fetch(`${keycloakUrl()}/realms/district/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'state-portal', client_secret: 'state-portal-secret' }),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no token for the state portal: ${JSON.stringify(body)}`);
  return body.access_token;
}

interface Answer {
  status: number;
  headers: Headers;
  body: { data?: any; errors?: { message: string; extensions?: Record<string, any> }[] };
}

async function post(to: RunningGateway | District['gateway'], token: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(to.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Answer['body'] };
}

const codes = (answer: Answer) => (answer.body.errors ?? []).map((e) => e.extensions?.code);

/** Every call the gateway made to any subgraph so far (its district_subgraph_calls_total, all series summed). */
async function subgraphCalls(of: RunningGateway): Promise<number> {
  const text = await of.metrics.render();
  return text
    .split('\n')
    .filter((line) => line.startsWith('district_subgraph_calls_total{'))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

/** The request lines written for one request id, once the gateway's own (written last) is there. */
async function linesOf(requestId: string): Promise<LogLine[]> {
  const deadline = Date.now() + 5_000;
  const of = () => logs.lines.filter((l) => l.msg === 'request' && l.requestId === requestId);
  while (!of().some((l) => l.service === 'gateway')) {
    if (Date.now() > deadline) throw new Error(`no gateway line for ${requestId}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return of();
}

/** The portal's operation went through the gateway: Apollo ran the manifest's body, monitoring answered it. */
function expectRan(answer: Answer): void {
  expect(answer.status).toBe(200);
  expect(answer.body.errors).toBeUndefined();
  expect(Array.isArray(answer.body.data?.schools)).toBe(true);
}

describe('a portal token runs only the manifest’s operations', () => {
  it('a manifest operation named by its hash alone runs the manifest’s body, calling the subgraph', async () => {
    const before = await subgraphCalls(gateway);
    expectRan(await post(gateway, await portalToken(), { operationName: 'PortalSchools', ...byHash(PORTAL_SCHOOLS_ID) }));
    expect((await subgraphCalls(gateway)) - before).toBe(1);
  });

  it('the same operation by its query text runs, and so does the text with its own hash', async () => {
    const token = await portalToken();
    expectRan(await post(gateway, token, { query: PORTAL_SCHOOLS }));
    expectRan(await post(gateway, token, { query: PORTAL_SCHOOLS, ...byHash(PORTAL_SCHOOLS_ID) }));
  });

  const adHoc = '{ schools { id shortName } }';
  it.each([
    ['an unknown hash', byHash(sha256Hex(adHoc)), 'UNKNOWN_OPERATION'],
    ['an unknown hash with its own query text', { query: adHoc, ...byHash(sha256Hex(adHoc)) }, 'UNKNOWN_OPERATION'],
    ['a hash that is not a string', byHash(42 as unknown as string), 'UNKNOWN_OPERATION'],
    ['an ad-hoc query', { query: adHoc }, 'AD_HOC_QUERY'],
    ['the manifest operation’s text reformatted (another hash)', { query: `${PORTAL_SCHOOLS}\n` }, 'AD_HOC_QUERY'],
    ['no operation at all', { variables: {} }, 'AD_HOC_QUERY'],
    ['a manifest hash with another query text', { query: adHoc, ...byHash(PORTAL_SCHOOLS_ID) }, 'HASH_MISMATCH'],
    ['a batch of manifest operations', [{ query: PORTAL_SCHOOLS }, byHash(PORTAL_SCHOOLS_ID)], 'BATCH'],
  ])('%s is refused with PERSISTED_QUERY_NOT_ALLOWED before any subgraph is called', async (_what, body, reason) => {
    const before = await subgraphCalls(gateway);
    const answer = await post(gateway, await portalToken(), body);
    expect(answer.status).toBe(400);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors).toEqual([{ message: expect.stringMatching(/^[А-Яа-яЁё]/), extensions: { code: 'PERSISTED_QUERY_NOT_ALLOWED', reason } }]);
    expect((await subgraphCalls(gateway)) - before).toBe(0);
  });

  it('a GET is refused, with a query or with a manifest hash', async () => {
    const token = await portalToken();
    const before = await subgraphCalls(gateway);
    for (const params of [{ query: PORTAL_SCHOOLS }, { extensions: JSON.stringify(byHash(PORTAL_SCHOOLS_ID).extensions) }]) {
      const response = await fetch(`${gateway.url}?${new URLSearchParams(params)}`, {
        headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' },
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        errors: [{ message: expect.any(String), extensions: { code: 'PERSISTED_QUERY_NOT_ALLOWED', reason: 'METHOD' } }],
      });
    }
    expect((await subgraphCalls(gateway)) - before).toBe(0);
  });

  it('a refused request is one gateway log line with its code, and no subgraph line', async () => {
    await post(gateway, await portalToken(), { query: '{ schools { id } }' }, { 'x-request-id': 'portal-refused-0001' });
    expect(await linesOf('portal-refused-0001')).toEqual([
      expect.objectContaining({ service: 'gateway', outcome: 'PERSISTED_QUERY_NOT_ALLOWED', status: 400, operation: 'POST /graphql' }),
    ]);
  });

  it('a portal token that fails verification is refused as any other: 401, not a safelist answer', async () => {
    const token = await portalToken();
    const [header, payload] = token.split('.');
    const answer = await post(gateway, `${header}.${payload}.${'A'.repeat(342)}`, byHash(PORTAL_SCHOOLS_ID));
    expect(answer.status).toBe(401);
    expect(codes(answer)).toEqual(['UNAUTHENTICATED']);
  });

  it('the committed manifest is valid, and the district’s own gateway (which reads it) refuses the portal’s ad-hoc queries', async () => {
    const committed = JSON.parse(readFileSync(PORTAL_OPERATIONS_FILE, 'utf8')) as { operations: unknown[] };
    expect(loadPortalSafelist().size).toBe(committed.operations.length);
    const answer = await post(district.gateway, await portalToken(), { query: PORTAL_SCHOOLS });
    expect([answer.status, codes(answer)]).toEqual([400, ['PERSISTED_QUERY_NOT_ALLOWED']]);
  });
});

describe('other tokens are unaffected', () => {
  it('a teacher still runs ad-hoc queries, also on the gateway with the tiny portal limit', async () => {
    const teacher = await tokenFor('s001.teacher');
    for (const to of [gateway, limited, limited, limited, limited]) {
      const answer = await post(to, teacher, { query: '{ classGroups(schoolId: "s001") { name } }' });
      expect(answer.status).toBe(200);
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data?.classGroups.length).toBeGreaterThan(0);
    }
  });
});

describe('per-client rate limit', () => {
  it('over its bucket the portal gets 429 RATE_LIMITED with Retry-After; refused operations spend nothing', async () => {
    const token = await portalToken();
    const before = await subgraphCalls(limited);
    // More ad-hoc queries than the burst: refused by the safelist, each one, none by the limit.
    for (let i = 0; i < 3; i++) expect(codes(await post(limited, token, { query: '{ schools { id } }' }))).toEqual(['PERSISTED_QUERY_NOT_ALLOWED']);
    expectRan(await post(limited, token, byHash(PORTAL_SCHOOLS_ID)));
    expectRan(await post(limited, token, { query: PORTAL_SCHOOLS }));

    const over = await post(limited, token, byHash(PORTAL_SCHOOLS_ID));
    expect(over.status).toBe(429);
    const retryAfter = over.headers.get('retry-after');
    expect(retryAfter).toMatch(/^\d+$/);
    // One token a minute, the last one just spent.
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
    expect(over.body).toEqual({
      errors: [
        { message: expect.stringContaining(`повторите через ${retryAfter} с`), extensions: { code: 'RATE_LIMITED', retryAfterSeconds: Number(retryAfter) } },
      ],
    });
    // Still not safelisted: the safelist answers first.
    expect(codes(await post(limited, token, { query: '{ schools { id } }' }))).toEqual(['PERSISTED_QUERY_NOT_ALLOWED']);
    expect((await subgraphCalls(limited)) - before).toBe(2);
  });

  it('the buckets are per gateway replica: another one with the same limit still answers the client', async () => {
    const token = await portalToken();
    expect((await post(limited, token, byHash(PORTAL_SCHOOLS_ID))).status).toBe(429);
    const replica = await startExtraGateway(district, {
      portalOperationsPath: join(dir, 'portal-operations.json'),
      portalRateLimit: { perMinute: 1, burst: 2 },
    });
    try {
      expectRan(await post(replica, token, byHash(PORTAL_SCHOOLS_ID)));
    } finally {
      await replica.close();
    }
  });
});

describe('the portal’s X-Request-Id', () => {
  it('a sane one is kept: answered, in the gateway’s line and in the subgraph’s line', async () => {
    const reference = 'portal-2026.12_000123';
    const answer = await post(gateway, await portalToken(), byHash(PORTAL_SCHOOLS_ID), { 'x-request-id': reference });
    expectRan(answer);
    expect(answer.headers.get('x-request-id')).toBe(reference);
    const lines = await linesOf(reference);
    expect(lines.find((l) => l.service === 'gateway')).toMatchObject({ requestId: reference, operation: 'PortalSchools', outcome: 'ok', status: 200 });
    expect(lines.filter((l) => l.service === 'monitoring')).toEqual([
      expect.objectContaining({ requestId: reference, operation: expect.stringMatching(/^PortalSchools__monitoring__\d+$/), outcome: 'ok' }),
    ]);
  });

  it.each([
    ['spaces and markup', 'portal ref <1>'],
    ['too long', 'p'.repeat(65)],
    ['empty', ''],
  ])('one with %s is replaced by a new id, which reaches the subgraph', async (_what, reference) => {
    const answer = await post(gateway, await portalToken(), byHash(PORTAL_SCHOOLS_ID), { 'x-request-id': reference });
    expectRan(answer);
    const requestId = answer.headers.get('x-request-id')!;
    expect(requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect((await linesOf(requestId)).map((l) => l.service).sort()).toEqual(['gateway', 'monitoring']);
    if (reference) expect(logs.lines.some((l) => l.requestId === reference)).toBe(false);
  });
});

describe('the manifest at start', () => {
  it('a manifest whose id is not the sha256 of its body stops the gateway’s start, naming the operation', async () => {
    const path = writeManifest('tampered.json', [
      { id: PORTAL_SCHOOLS_ID, name: 'PortalSchools', type: 'query', body: 'query PortalSchools { schools { id shortName } }' },
    ]);
    const start = startExtraGateway(district, { portalOperationsPath: path });
    await expect(start).rejects.toThrow(`The portal's operation manifest ${path} (PORTAL_OPERATIONS) is not valid`);
    await expect(start).rejects.toThrow(
      new RegExp(`operations\\.0 \\(PortalSchools\\): id ${PORTAL_SCHOOLS_ID} is not the sha256 of its body \\([0-9a-f]{64}\\)`),
    );
  });

  it('every problem is listed at once: shape, duplicate ids, a body that is not the named operation', () => {
    const other = 'query Other { schools { id } }';
    const path = writeManifest('broken.json', [
      { id: PORTAL_SCHOOLS_ID, name: 'PortalSchools', type: 'query', body: PORTAL_SCHOOLS },
      { id: PORTAL_SCHOOLS_ID, name: 'PortalSchools', type: 'query', body: PORTAL_SCHOOLS },
      { id: sha256Hex(other), name: 'PortalSchools', type: 'mutation', body: other },
    ]);
    let message = '';
    try {
      loadPortalSafelist(path);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n').slice(1)).toEqual([
      `  operations.1 (PortalSchools): id ${PORTAL_SCHOOLS_ID} appears twice`,
      '  operations.2 (PortalSchools): body is query Other, not mutation PortalSchools',
    ]);

    writeFileSync(
      path,
      JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 2, operations: [{ id: 'ABC', name: '', type: 'query', body: '{ a }' }] }),
    );
    expect(() => loadPortalSafelist(path)).toThrow(/version: .*\n.*operations\.0\.id: must be a lowercase sha256 hex digest\n.*operations\.0\.name/);
    expect(() => loadPortalSafelist(join(dir, 'missing.json'))).toThrow(/missing\.json \(PORTAL_OPERATIONS\) is not valid:\n {2}ENOENT/);
  });

  it('PORTAL_OPERATIONS, PORTAL_RATE_LIMIT_PER_MINUTE and PORTAL_RATE_BURST are read from the environment', () => {
    expect(gatewayConfigFromEnv({})).toMatchObject({ portalOperationsPath: undefined, portalRateLimit: { perMinute: 120, burst: 20 } });
    expect(
      gatewayConfigFromEnv({ PORTAL_OPERATIONS: '/etc/district/portal-operations.json', PORTAL_RATE_LIMIT_PER_MINUTE: '30', PORTAL_RATE_BURST: '5' }),
    ).toMatchObject({ portalOperationsPath: '/etc/district/portal-operations.json', portalRateLimit: { perMinute: 30, burst: 5 } });
    expect(() => gatewayConfigFromEnv({ PORTAL_RATE_BURST: '0' })).toThrow(/PORTAL_RATE_BURST/);
  });
});
