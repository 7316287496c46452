import { tokenFor } from '@district/kit/testing';
import type { District } from '@district/demo';
import { codes, gql, testDistrict } from './district';

let district: District;
beforeAll(async () => {
  district = await testDistrict({ schools: ['s001'], studentsPerClass: 1, limits: { maxDepth: 6, maxAliases: 5, maxCost: 5_000, maxTokens: 400 } });
});
afterAll(async () => {
  await district?.close({ dropDatabases: true });
});

describe('query limits', () => {
  it('refuses a query deeper than the limit, naming the limit', async () => {
    const deep = `{ classGroups(schoolId: "s001") { students { guardians { guardian { children { guardians { guardian { fullName } } } } } } } }`;
    const answer = await gql(district.gateway.url, await tokenFor('s001.teacher'), deep);
    expect(answer.status).toBe(400);
    expect(answer.errors![0]!.extensions!.limit).toBe('depth');
    expect(answer.errors![0]!.message).toMatch(/depth limit/);
  });

  it('refuses too many aliases', async () => {
    const aliases = Array.from({ length: 6 }, (_, i) => `a${i}: classGroups(schoolId: "s001") { name }`).join(' ');
    const answer = await gql(district.gateway.url, await tokenFor('s001.teacher'), `{ ${aliases} }`);
    expect(answer.status).toBe(400);
    expect(answer.errors![0]!.extensions!.limit).toBe('aliases');
  });

  it('refuses a query that costs too much', async () => {
    const costly = `{ students(schoolId: "s001", limit: 1000) { fullName classGroup { name students { fullName } } } }`;
    const answer = await gql(district.gateway.url, await tokenFor('s001.teacher'), costly);
    expect(answer.status).toBe(400);
    expect(answer.errors![0]!.extensions!.limit).toBe('cost');
  });

  it('refuses a document with too many tokens', async () => {
    const fields = Array.from({ length: 500 }, () => 'name').join(' ');
    const answer = await gql(district.gateway.url, await tokenFor('s001.teacher'), `{ classGroups(schoolId: "s001") { ${fields} } }`);
    expect(answer.status).toBe(400);
    expect(answer.errors![0]!.message).toMatch(/tokens/);
  });

  it('accepts a query within every limit', async () => {
    const answer = await gql(district.gateway.url, await tokenFor('s001.teacher'), `{ classGroups(schoolId: "s001") { name students { fullName } } }`);
    expect(answer.status).toBe(200);
    expect(answer.errors).toBeUndefined();
  });

  it('refuses a simple GET query without a CSRF-safe header (CSRF prevention)', async () => {
    const token = await tokenFor('s001.teacher');
    const url = `${district.gateway.url}?query=${encodeURIComponent('{ classGroups(schoolId: "s001") { name } }')}`;
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF/);
  });

  it('masks unexpected errors: no stack, no internals', async () => {
    const answer = await gql(district.gateway.url, await tokenFor('s001.teacher'), `{ student(id: "not-an-id") { fullName } }`);
    expect(codes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(JSON.stringify(answer)).not.toMatch(/stacktrace|at .*\.ts:\d+/);
  });

  it('answers /health', async () => {
    const response = await fetch(district.gateway.url.replace('/graphql', '/health'));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', schools: 1, registry: 'ok' });
  });
});
