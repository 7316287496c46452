import { captureLogs, tokenFor, type CapturedLogs, type LogLine } from '@district/kit/testing';
import type { District } from '@district/demo';
import { currentMonth } from '@district/monitoring';
import type { RunningGateway } from '@district/gateway';
import { startExtraGateway } from './extra-gateway';
import { testDistrict } from './district';

/**
 * Operating the district: one request id from the gateway's log line into the
 * lines of the school instances it called, Prometheus metrics of the gateway
 * (requests, per-school subgraph calls) and of a school's subgraph (requests,
 * database pool), monitoring's collection runs, and the gateway's /ready and
 * /metrics in production.
 */

let district: District;
let logs: CapturedLogs;
beforeAll(async () => {
  logs = captureLogs();
  district = await testDistrict({ schools: ['s001', 's002'], studentsPerClass: 1 });
});
afterAll(async () => {
  await district?.close({ dropDatabases: true });
  logs?.restore();
});

async function ask(user: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const token = await tokenFor(user);
  const response = await fetch(district.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { token, requestId: response.headers.get('x-request-id'), body: (await response.json()) as { data?: any; errors?: any[] } };
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

/** Only these keys may appear in a request line: ids, names of operations, codes, times. */
const LINE_KEYS = ['durationMs', 'level', 'msg', 'operation', 'outcome', 'pid', 'requestId', 'school', 'schools', 'service', 'status', 'time'];

describe('one request id across the district', () => {
  it('the gateway keeps the caller’s X-Request-Id, answers it, and every instance it called logs the same id', async () => {
    const query = `query ChildrenAndSchools { myChildren { id fullName school { id shortName } } }`;
    const { token, requestId, body } = await ask('parent.multi', query, {}, { 'x-request-id': 'trace-0001' });
    expect(body.errors).toBeUndefined();
    expect(requestId).toBe('trace-0001');

    const lines = await linesOf('trace-0001');
    const byService = (service: string, school?: string) => lines.filter((l) => l.service === service && l.school === school);
    expect(byService('gateway')).toEqual([
      expect.objectContaining({
        level: 'info',
        requestId: 'trace-0001',
        operation: 'ChildrenAndSchools',
        outcome: 'ok',
        status: 200,
        schools: ['s001', 's002'],
      }),
    ]);
    // parent.multi has a child in each school: both people instances were called, then monitoring for the schools' names.
    for (const school of ['s001', 's002']) {
      expect(byService('people', school)).toEqual([
        expect.objectContaining({ requestId: 'trace-0001', operation: expect.stringMatching(/^ChildrenAndSchools__people__\d+$/), outcome: 'ok', status: 200 }),
      ]);
    }
    expect(byService('monitoring')).toEqual([
      expect.objectContaining({ requestId: 'trace-0001', operation: expect.stringMatching(/^ChildrenAndSchools__monitoring__\d+$/), outcome: 'ok' }),
    ]);
    expect(lines.every((l) => typeof l.durationMs === 'number' && l.durationMs >= 0)).toBe(true);

    // No personal data: no token, no names from the answer, only the allowed keys.
    const written = JSON.stringify(lines);
    expect(written).not.toContain(token);
    for (const child of body.data.myChildren as { fullName: string }[]) expect(written).not.toContain(child.fullName.split(' ')[0]);
    for (const line of lines) expect(Object.keys(line).filter((k) => !LINE_KEYS.includes(k))).toEqual([]);
  });

  it('an unsafe X-Request-Id is replaced by a new id, which the subgraph logs too; variables are not logged', async () => {
    const { body: children } = await ask('s001.parent', `{ myChildren { id } }`);
    const childId = children.data.myChildren[0].id as string;
    const { requestId, body } = await ask(
      's001.parent',
      `query Child($id: ID!) { student(id: $id) { fullName } }`,
      { id: childId },
      { 'x-request-id': 'a b<script>' },
    );
    expect(body.errors).toBeUndefined();
    expect(requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const lines = await linesOf(requestId!);
    expect(lines.map((l) => [l.service, l.school, l.outcome])).toEqual(
      expect.arrayContaining([
        ['gateway', undefined, 'ok'],
        ['people', 's001', 'ok'],
      ]),
    );
    expect(JSON.stringify(lines)).not.toContain(childId);
    expect(JSON.stringify(logs.lines)).not.toContain('<script>');
  });

  it('a refused request is one line too, with its code', async () => {
    const response = await fetch(district.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'trace-401' },
      body: '{"query":"{ __typename }"}',
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('x-request-id')).toBe('trace-401');
    expect(await linesOf('trace-401')).toEqual([
      expect.objectContaining({ service: 'gateway', outcome: 'UNAUTHENTICATED', status: 401, operation: 'POST /graphql' }),
    ]);
  });
});

/** Parses the Prometheus text format: the value of the one series of `name` carrying all of `labels` (undefined: no such series). */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return undefined;
}

/** The label values of `label` among the series of `name` carrying `labels`. */
function labelValues(text: string, name: string, label: string, labels: Record<string, string> = {}): string[] {
  const values: string[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)\{(.*)\} \S+$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...match[2]!.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v) && found[label] !== undefined) values.push(found[label]!);
  }
  return values;
}

async function scrape(graphqlUrl: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(graphqlUrl.replace(/\/graphql$/, '/metrics'), { headers });
  expect(response.status).toBe(200);
  return response.text();
}

describe('metrics', () => {
  const CLASS_NAMES = `query ClassNames($schoolId: ID!) { classGroups(schoolId: $schoolId) { name } }`;

  it('a request counts at the gateway (operation, outcome, latency; a call to s001 people) and at the school’s people instance', async () => {
    const people = district.schools.get('s001')!.people;
    const gatewayBefore = await scrape(district.gateway.url);
    const peopleBefore = await scrape(people.url);

    const { body } = await ask('s001.teacher', CLASS_NAMES, { schoolId: 's001' });
    expect(body.errors).toBeUndefined();
    await new Promise((r) => setTimeout(r, 100));

    const gatewayAfter = await scrape(district.gateway.url);
    const request = { service: 'gateway', operation: 'ClassNames', outcome: 'ok' };
    const delta = (name: string, labels: Record<string, string>, before: string, after: string) =>
      (sample(after, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);
    expect(delta('district_requests_total', request, gatewayBefore, gatewayAfter)).toBe(1);
    expect(delta('district_request_duration_seconds_count', request, gatewayBefore, gatewayAfter)).toBe(1);
    expect(sample(gatewayAfter, 'district_request_duration_seconds_bucket', { ...request, le: '+Inf' })).toBe(
      sample(gatewayAfter, 'district_requests_total', request),
    );
    const call = { subgraph: 'people', school: 's001', outcome: 'ok' };
    expect(delta('district_subgraph_calls_total', call, gatewayBefore, gatewayAfter)).toBe(1);
    expect(delta('district_subgraph_call_duration_seconds_count', call, gatewayBefore, gatewayAfter)).toBe(1);

    const peopleAfter = await scrape(people.url);
    const [operation] = labelValues(peopleAfter, 'district_requests_total', 'operation', { service: 'people', school: 's001' }).filter((o) =>
      o.startsWith('ClassNames__'),
    );
    expect(operation).toMatch(/^ClassNames__people__\d+$/);
    const subgraphRequest = { service: 'people', school: 's001', operation: operation!, outcome: 'ok' };
    expect(delta('district_requests_total', subgraphRequest, peopleBefore, peopleAfter)).toBe(1);
    expect(delta('district_request_duration_seconds_count', subgraphRequest, peopleBefore, peopleAfter)).toBe(1);
    // The school database's pool (5 connections in the test district), read at scrape time.
    expect(sample(peopleAfter, 'district_db_pool_max', { service: 'people', school: 's001' })).toBe(5);
    for (const state of ['used', 'free', 'pending'])
      expect(sample(peopleAfter, 'district_db_pool_connections', { service: 'people', school: 's001', state })).toBeGreaterThanOrEqual(0);
  });

  it('monitoring counts its collection runs by outcome', async () => {
    const before = await scrape(district.monitoring.url);
    const run = await district.monitoring.collector.collect(currentMonth('Europe/Moscow'), 'MANUAL', 'observability-test');
    expect(run.state).toBe('SUCCEEDED');
    const after = await scrape(district.monitoring.url);
    const labels = { service: 'monitoring', outcome: 'SUCCEEDED' };
    expect(
      (sample(after, 'district_monitoring_collection_runs_total', labels) ?? 0) - (sample(before, 'district_monitoring_collection_runs_total', labels) ?? 0),
    ).toBe(1);
    expect(sample(after, 'district_db_pool_max', { service: 'monitoring' })).toBeGreaterThan(0);
  });

  it('a school that is down shows as SCHOOL_UNAVAILABLE calls for that school, the others as ok', async () => {
    await district.stopSchool('s002');
    const { requestId, body } = await ask('district.admin', `query StudentCounts { schools { id studentCount } }`);
    expect(body.errors?.map((e) => [e.extensions.code, e.extensions.schoolId])).toEqual([['SCHOOL_UNAVAILABLE', 's002']]);
    const metrics = await scrape(district.gateway.url);
    expect(sample(metrics, 'district_subgraph_calls_total', { subgraph: 'people', school: 's002', outcome: 'SCHOOL_UNAVAILABLE' })).toBeGreaterThanOrEqual(1);
    expect(sample(metrics, 'district_subgraph_calls_total', { subgraph: 'people', school: 's001', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(sample(metrics, 'district_requests_total', { operation: 'StudentCounts', outcome: 'SCHOOL_UNAVAILABLE' })).toBe(1);
    // Failures the caller cannot fix are warnings, so LOG_LEVEL=warn still shows them.
    expect(await linesOf(requestId!)).toContainEqual(
      expect.objectContaining({ service: 'gateway', level: 'warn', outcome: 'SCHOOL_UNAVAILABLE', schools: ['s001', 's002'] }),
    );
  });
});

describe('the gateway’s /health, /ready and /metrics', () => {
  const extra: RunningGateway[] = [];
  afterAll(async () => {
    for (const gateway of extra) await gateway.close();
  });
  const at = (gateway: RunningGateway, path: string, headers: Record<string, string> = {}) => fetch(gateway.url.replace('/graphql', path), { headers });

  it('is ready once the realm keys are loaded, and not ready (naming them) while Keycloak cannot be reached; alive either way', async () => {
    const ready = await at(district.gateway, '/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', schools: expect.any(Number), registry: 'ok' });

    const cut = await startExtraGateway(district, { keycloakUrl: 'http://127.0.0.1:9' });
    extra.push(cut);
    const notReady = await at(cut, '/ready');
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ status: 'not ready', notReady: { tokenKeys: 'Keycloak keys not loaded' } });
    expect((await at(cut, '/health')).status).toBe(200);
  });

  it('in production /metrics is served only behind METRICS_TOKEN', async () => {
    const without = await startExtraGateway(district, { production: true });
    extra.push(without);
    expect((await at(without, '/metrics')).status).toBe(404);

    const token = 'scrape-token-0123456789';
    const withToken = await startExtraGateway(district, { production: true, metricsToken: token });
    extra.push(withToken);
    expect((await at(withToken, '/metrics')).status).toBe(401);
    const scraped = await at(withToken, '/metrics', { authorization: `Bearer ${token}` });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('# TYPE district_subgraph_calls_total counter');
  });
});
