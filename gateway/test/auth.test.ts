import { decodeClaims, tokenFor } from '@district/kit/testing';
import type { District } from '@district/demo';
import { gql, testDistrict } from './district';

let district: District;
beforeAll(async () => {
  district = await testDistrict({ schools: ['s001'], studentsPerClass: 1 });
});
afterAll(async () => {
  await district?.close({ dropDatabases: true });
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const QUERY = `{ classGroups(schoolId: "s001") { name } }`;

/** Bad tokens, each built from a real one. */
async function badTokens(): Promise<Record<string, string>> {
  const good = await tokenFor('s001.teacher', { fresh: true });
  const [header, , signature] = good.split('.');
  const claims = decodeClaims(good);
  const expiring = await tokenFor('s001.teacher', { clientId: 'district-test-expiry', fresh: true });
  const expiry = decodeClaims(expiring);
  await new Promise((r) => setTimeout(r, Math.max(0, (expiry.exp as number) * 1000 - Date.now()) + 1_200));
  return {
    tampered: `${header}.${b64({ ...claims, school_ids: ['s001', 's002'], realm_access: { roles: ['district-admin'] } })}.${signature}`,
    expired: expiring,
    'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`,
    'wrong issuer': await tokenFor('admin', { realm: 'master', clientId: 'admin-cli', password: 'admin', fresh: true }),
    'wrong audience': await tokenFor('s001.teacher', { clientId: 'other-app', fresh: true }),
    garbage: 'not-a-jwt',
  };
}

describe('tokens', () => {
  let tokens: Record<string, string>;
  beforeAll(async () => {
    tokens = await badTokens();
  });

  it('a valid token passes the gateway', async () => {
    const answer = await gql(district.gateway.url, await tokenFor('s001.teacher'), QUERY);
    expect(answer.status).toBe(200);
    expect((answer.data!.classGroups as unknown[]).length).toBe(22);
  });

  it('the wrong-issuer and wrong-audience tokens really differ from good ones only in that', () => {
    expect(decodeClaims(tokens['wrong issuer']!).iss).toMatch(/\/realms\/master$/);
    const aud = decodeClaims(tokens['wrong audience']!).aud;
    expect([aud].flat()).not.toContain('district-api');
    expect(decodeClaims(tokens['wrong audience']!).iss).toMatch(/\/realms\/district$/);
  });

  it.each(['tampered', 'expired', 'alg none', 'wrong issuer', 'wrong audience', 'garbage'])('the gateway answers 401 to a %s token', async (kind) => {
    const before = district.schools.get('s001')!.requests();
    const answer = await gql(district.gateway.url, tokens[kind], QUERY);
    expect(answer.status).toBe(401);
    expect(answer.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    expect(answer.data).toBeUndefined();
    expect(district.schools.get('s001')!.requests()).toBe(before);
  });

  it('the gateway answers 401 without a token', async () => {
    const answer = await gql(district.gateway.url, undefined, QUERY);
    expect(answer.status).toBe(401);
    expect(answer.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
  });

  it.each(['tampered', 'expired', 'alg none', 'wrong issuer', 'wrong audience'])('a subgraph called directly refuses a %s token', async (kind) => {
    const answer = await gql(district.schools.get('s001')!.people.url, tokens[kind], QUERY);
    expect(answer.status).toBe(401);
    expect(answer.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
  });

  it.each([
    ['a query', QUERY],
    ['_service', '{ _service { sdl } }'],
    ['_entities', '{ _entities(representations: [{ __typename: "School", id: "s001" }]) { ... on School { studentCount } } }'],
  ])('a subgraph called directly without a token refuses %s', async (_label, query) => {
    for (const url of [district.schools.get('s001')!.people.url, district.monitoring.url]) {
      const answer = await gql(url, undefined, query);
      expect(answer.status).toBe(401);
      expect(answer.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
      expect(answer.data).toBeUndefined();
    }
  });
});
