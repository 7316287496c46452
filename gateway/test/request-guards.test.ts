import { getIntrospectionQuery } from 'graphql';
import { tokenFor } from '@district/kit/testing';
import type { District } from '@district/demo';
import { DEFAULT_LIMITS, type RunningGateway } from '@district/gateway';
import { codes, gql, testDistrict } from './district';
import { delayingProxy, expectNoInternals, startExtraGateway } from './extra-gateway';

let district: District;
let production: RunningGateway;
beforeAll(async () => {
  district = await testDistrict({ schools: ['s001'], studentsPerClass: 1, limits: { maxDepth: 12 } });
  production = await startExtraGateway(district, { production: true });
});
afterAll(async () => {
  await production?.close();
  await district?.close({ dropDatabases: true });
});

/** Sends a raw body, as a broken or hostile client would; returns the status, headers and text. */
async function raw(
  url: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; type: string; text: string; json: () => any; headers: Headers }> {
  const token = await tokenFor('s001.teacher');
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers }, body });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type') ?? '', text, json: () => JSON.parse(text), headers: response.headers };
}

const nested = (levels: number, field: string, leaf = 'name') => `${field} { `.repeat(levels) + leaf + ' }'.repeat(levels);

describe('depth limit on introspection', () => {
  it('refuses a 30-level nested __type … ofType query, naming the depth limit', async () => {
    const answer = await gql(district.gateway.url, await tokenFor('s001.teacher'), `{ __type(name: "Query") { ${nested(30, 'ofType')} } }`);
    expect(answer.status).toBe(400);
    expect(answer.data).toBeUndefined();
    expect(codes(answer)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(answer.errors![0]!.extensions!.limit).toBe('depth');
    expect(answer.errors![0]!.message).toMatch(/глубина 32, предел 12/);
  });

  it('refuses a 30-level nested __schema query', async () => {
    const answer = await gql(district.gateway.url, await tokenFor('s001.teacher'), `{ __schema { queryType { ${nested(30, 'ofType')} } } }`);
    expect(answer.status).toBe(400);
    expect(answer.errors!.map((e) => e.extensions!.limit)).toEqual(['depth']);
    expect(answer.errors![0]!.message).toMatch(/глубина 33, предел 12/);
  });

  it('a deep cycle through __Type.fields is refused for both reasons', async () => {
    const chain = Array.from({ length: 14 }, () => 'fields { type {').join(' ') + ' name ' + '} }'.repeat(14);
    const answer = await gql(district.gateway.url, await tokenFor('s001.teacher'), `{ __schema { types { ${chain} } } }`);
    expect(answer.status).toBe(400);
    expect(answer.errors!.map((e) => e.extensions!.limit)).toEqual(['depth', 'introspection']);
  });

  it('refuses a cyclic introspection query even within the depth limit (types → fields → type → fields)', async () => {
    const cyclic = `{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }`;
    const answer = await gql(district.gateway.url, await tokenFor('s001.teacher'), cyclic);
    expect(answer.status).toBe(400);
    expect(answer.errors!.map((e) => e.extensions!.limit)).toEqual(['introspection']);
    expect(answer.errors![0]!.message).toMatch(/__Type\.fields/);
  });

  it('a depth-limited introspection query within the limit is answered', async () => {
    const answer = await gql(
      district.gateway.url,
      await tokenFor('s001.teacher'),
      `{ __type(name: "Student") { name fields { name type { kind ofType { name } } } } }`,
    );
    expect(answer.status).toBe(200);
    expect(answer.errors).toBeUndefined();
    const names = (answer.data!.__type as { fields: { name: string }[] }).fields.map((f) => f.name);
    expect(names).toContain('diary');
  });

  it('the standard introspection query has depth 15: refused at 12, answered by a gateway allowing 15', async () => {
    const token = await tokenFor('s001.teacher');
    const refused = await gql(district.gateway.url, token, getIntrospectionQuery());
    expect(refused.status).toBe(400);
    expect(refused.errors![0]!.message).toMatch(/глубина 15, предел 12/);
    const tools = await startExtraGateway(district, { limits: { ...DEFAULT_LIMITS, maxDepth: 15 } });
    try {
      const answered = await gql(tools.url, token, getIntrospectionQuery());
      expect(answered.status).toBe(200);
      expect(answered.errors).toBeUndefined();
      expect((answered.data!.__schema as { queryType: { name: string } }).queryType.name).toBe('Query');
    } finally {
      await tools.close();
    }
  });
});

describe('request errors are GraphQL-shaped JSON, in every mode', () => {
  const modes = () =>
    [
      ['development', district.gateway],
      ['production', production],
    ] as const;

  it.each(['development', 'production'])('a malformed JSON body is a 400 BAD_REQUEST without stack or paths (%s)', async (mode) => {
    const gateway = modes().find(([m]) => m === mode)![1];
    const answer = await raw(gateway.url, '{"query": "{ classGroups(schoolId: \\"s001\\") { name } }", ');
    expect(answer.status).toBe(400);
    expect(answer.type).toMatch(/^application\/json/);
    expect(answer.json()).toEqual({ errors: [{ message: expect.stringMatching(/JSON/), extensions: { code: 'BAD_REQUEST' } }] });
    expectNoInternals(answer.text);
  });

  it.each(['development', 'production'])('a body over the size limit is a 413 PAYLOAD_TOO_LARGE, same shape (%s)', async (mode) => {
    const gateway = modes().find(([m]) => m === mode)![1];
    const big = JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(1_100_000) } });
    const answer = await raw(gateway.url, big);
    expect(answer.status).toBe(413);
    expect(answer.type).toMatch(/^application\/json/);
    expect(answer.json()).toEqual({
      errors: [{ message: expect.stringMatching(/1024 КБ/), extensions: { code: 'PAYLOAD_TOO_LARGE', limitBytes: 1_048_576 } }],
    });
    expectNoInternals(answer.text);
  });

  it('a body just under the size limit is accepted', async () => {
    const fits = JSON.stringify({ query: 'query($pad: String!) { __type(name: $pad) { name } }', variables: { pad: 'x'.repeat(1_000_000) } });
    const answer = await raw(district.gateway.url, fits);
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({ data: { __type: null } });
  });

  it('an unsupported body encoding (another body-parser error) is a JSON 415', async () => {
    const answer = await raw(production.url, '{}', { 'content-encoding': 'compress-me' });
    expect(answer.status).toBe(415);
    expect(answer.type).toMatch(/^application\/json/);
    expect(answer.json().errors[0].extensions.code).toBe('BAD_REQUEST');
    expectNoInternals(answer.text);
  });

  it('a POST without a JSON content type gets a GraphQL-shaped 400', async () => {
    const answer = await raw(production.url, 'query=%7B__typename%7D', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(answer.status).toBe(400);
    expect(answer.type).toMatch(/^application\/json/);
    expect(answer.json().errors[0].extensions.code).toBe('BAD_REQUEST');
    expectNoInternals(answer.text);
  });

  it('an undecodable URL is a JSON 400, not an HTML page', async () => {
    const token = await tokenFor('district.admin');
    const response = await fetch(production.url.replace('/graphql', '/exports/%E0%A4%A.csv'), { headers: { authorization: `Bearer ${token}` } });
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(text).errors[0].extensions.code).toBe('BAD_REQUEST');
    expectNoInternals(text);
  });

  it('an unknown path is a JSON 404', async () => {
    const response = await fetch(production.url.replace('/graphql', '/nothing-here'));
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'NOT_FOUND' } }] });
  });
});

describe('operation resolution', () => {
  it('an unknown operationName is a 400 OPERATION_RESOLUTION_FAILURE, not a 500', async () => {
    const body = JSON.stringify({ query: 'query Classes { classGroups(schoolId: "s001") { name } }', operationName: 'Nope' });
    for (const gateway of [district.gateway, production]) {
      const answer = await raw(gateway.url, body);
      expect(answer.status).toBe(400);
      expect(answer.type).toMatch(/^application\/json/);
      expect(codes(answer.json())).toEqual(['OPERATION_RESOLUTION_FAILURE']);
      expect(answer.json().errors[0].message).toMatch(/Nope/);
      expectNoInternals(answer.text);
    }
  });

  it('two operations without an operationName is the same 400', async () => {
    const answer = await raw(production.url, JSON.stringify({ query: 'query A { __typename } query B { __typename }' }));
    expect(answer.status).toBe(400);
    expect(codes(answer.json())).toEqual(['OPERATION_RESOLUTION_FAILURE']);
  });

  it('the named operation of a multi-operation document still runs', async () => {
    const answer = await raw(
      production.url,
      JSON.stringify({ query: 'query A { __typename } query B { classGroups(schoolId: "s001") { name } }', operationName: 'B' }),
    );
    expect(answer.status).toBe(200);
    expect(answer.json().data.classGroups).toHaveLength(22);
  });
});

describe('request timeout', () => {
  it('a request running longer than REQUEST_TIMEOUT_MS gets a retryable 504 GraphQL error, whole, and the gateway keeps serving', async () => {
    const school = district.schools.get('s001')!;
    const slow = await delayingProxy(school.urls.people, 2_500);
    const gateway = await startExtraGateway(district, { requestTimeoutMs: 800, schoolTimeoutMs: 5_000 });
    await district.registerSchool('s001', { ...school.urls, people: slow.url });
    await gateway.directory.refresh();
    try {
      const token = await tokenFor('s001.teacher');
      const started = Date.now();
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ classGroups(schoolId: "s001") { name } }' }),
      });
      const text = await response.text();
      const elapsed = Date.now() - started;
      expect(response.status).toBe(504);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(JSON.parse(text)).toEqual({
        errors: [{ message: expect.stringMatching(/800 мс/), extensions: { code: 'REQUEST_TIMEOUT', retryable: true, timeoutMs: 800 } }],
      });
      expectNoInternals(text);
      expect(elapsed).toBeGreaterThanOrEqual(750);
      expect(elapsed).toBeLessThan(2_300);
      expect(slow.seen()).toBe(1);

      // The late answer from the school does not reach anyone, and the gateway still answers a fast query.
      await new Promise((r) => setTimeout(r, 2_200));
      const fast = await gql(gateway.url, token, `{ schools { id } }`);
      expect(fast.status).toBe(200);
      expect(fast.data!.schools).toEqual([{ id: 's001' }]);
    } finally {
      await district.registerSchool('s001', school.urls);
      await gateway.close();
      await slow.close();
    }
  });

  it('a mutation that timed out is not marked retryable: its outcome is unknown', async () => {
    const school = district.schools.get('s001')!;
    const slow = await delayingProxy(school.urls.people, 2_000);
    const gateway = await startExtraGateway(district, { requestTimeoutMs: 600, schoolTimeoutMs: 5_000 });
    await district.registerSchool('s001', { ...school.urls, people: slow.url });
    await gateway.directory.refresh();
    try {
      const director = await tokenFor('s001.director');
      const answer = await gql(
        gateway.url,
        director,
        `mutation($s: ID!) { createClassGroup(schoolId: $s, input: { name: "not a class", academicYear: "2026/2027" }) { id } }`,
        { s: 's001' },
      );
      expect(answer.status).toBe(504);
      expect(answer.errors![0]!.extensions).toEqual({ code: 'REQUEST_TIMEOUT', retryable: false, timeoutMs: 600 });
    } finally {
      await new Promise((r) => setTimeout(r, 1_600));
      await district.registerSchool('s001', school.urls);
      await gateway.close();
      await slow.close();
    }
  });
});
