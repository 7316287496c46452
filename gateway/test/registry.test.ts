import { tokenFor } from '@district/kit/testing';
import type { District } from '@district/demo';
import { codes, gql, testDistrict } from './district';

let district: District;
beforeAll(async () => {
  // A long refresh interval: only the registry mutation and the router's on-miss refresh can make s004 known.
  district = await testDistrict({ schools: ['s001', 's002', 's003'], studentsPerClass: 1, registryRefreshMs: 3_600_000 });
});
afterAll(async () => {
  await district?.close({ dropDatabases: true });
});

const REGISTER = `mutation($id: ID!, $input: SchoolInput!) { registerSchool(id: $id, input: $input) { id shortName status version } }`;
const input = (peopleUrl: string) => ({ fullName: 'ГБОУ «Школа № 4»', shortName: 'Школа № 4', address: 'ул. Новая, 4', status: 'PILOT', peopleUrl });

describe('the school registry', () => {
  it('a fourth school registered through the API is routed to without restarting the gateway', async () => {
    const admin = await tokenFor('district.admin');
    const s004 = await district.startSchool('s004');
    const before = await gql(district.gateway.url, admin, `{ classGroups(schoolId: "s004") { name } }`);
    expect(codes(before)).toContain('NOT_FOUND');

    const registered = await gql(district.gateway.url, admin, REGISTER, { id: 's004', input: input(s004.urls.people) });
    expect(registered.errors).toBeUndefined();
    expect(registered.data!.registerSchool).toEqual({ id: 's004', shortName: 'Школа № 4', status: 'PILOT', version: 1 });

    const after = await gql(district.gateway.url, admin, `{ classGroups(schoolId: "s004") { name } schools { id studentCount } }`);
    expect(after.errors).toBeUndefined();
    expect((after.data!.classGroups as unknown[]).length).toBe(22);
    expect((after.data!.schools as { id: string }[]).map((s) => s.id)).toEqual(['s001', 's002', 's003', 's004']);
    expect(s004.requests()).toBeGreaterThan(0);
  });

  it('a school registered elsewhere (another gateway replica, the bootstrap script) is found on the first request naming it', async () => {
    const admin = await tokenFor('district.admin');
    const s005 = await district.startSchool('s005');
    await district.registerSchool('s005', s005.urls); // straight into the district database, not through this gateway
    await new Promise((r) => setTimeout(r, 300)); // past the on-miss refresh rate limit
    const answer = await gql(district.gateway.url, admin, `{ classGroups(schoolId: "s005") { name } }`);
    expect(answer.errors).toBeUndefined();
    expect((answer.data!.classGroups as unknown[]).length).toBe(22);
    await district.stopSchool('s005');
  });

  it('refuses registration by anyone but a district admin, and bad or duplicate input, writing nothing', async () => {
    const director = await tokenFor('s001.director');
    const forbidden = await gql(district.gateway.url, director, REGISTER, { id: 's005', input: input('http://127.0.0.1:1/graphql') });
    expect(codes(forbidden)).toEqual(['FORBIDDEN']);

    const admin = await tokenFor('district.admin');
    const bad = await gql(district.gateway.url, admin, REGISTER, { id: 's005', input: { ...input('ftp://nowhere'), shortName: '' } });
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect((bad.errors![0]!.extensions!.problems as { field: string }[]).map((p) => p.field).sort()).toEqual(['peopleUrl', 'shortName']);

    const badCode = await gql(district.gateway.url, admin, REGISTER, { id: 'school5', input: input('http://127.0.0.1:1/graphql') });
    expect(codes(badCode)).toEqual(['BAD_USER_INPUT']);

    const duplicate = await gql(district.gateway.url, admin, REGISTER, { id: 's001', input: input('http://127.0.0.1:1/graphql') });
    expect(codes(duplicate)).toEqual(['DUPLICATE']);

    const list = await gql(district.gateway.url, admin, `{ schools { id shortName } }`);
    expect((list.data!.schools as { id: string; shortName: string }[]).map((s) => s.id)).toEqual(['s001', 's002', 's003', 's004', 's005']);
    expect((list.data!.schools as { shortName: string }[])[0]!.shortName).toBe('Школа № 1');
  });

  it('updates a school card with its version; a stale version is a CONFLICT', async () => {
    const admin = await tokenFor('district.admin');
    const UPDATE = `mutation($id: ID!, $v: Int!, $input: SchoolInput!) { updateSchool(id: $id, version: $v, input: $input) { status version } }`;
    const current = await gql(district.gateway.url, admin, `{ school(id: "s004") { version instances { people } } }`);
    const { version, instances } = current.data!.school as { version: number; instances: { people: string } };
    const updated = await gql(district.gateway.url, admin, UPDATE, { id: 's004', v: version, input: { ...input(instances.people), status: 'LIVE' } });
    expect(updated.data!.updateSchool).toEqual({ status: 'LIVE', version: version + 1 });
    const stale = await gql(district.gateway.url, admin, UPDATE, { id: 's004', v: version, input: { ...input(instances.people), status: 'NOT_STARTED' } });
    expect(codes(stale)).toEqual(['CONFLICT']);
    expect(stale.errors![0]!.extensions!.current).toEqual({ version: version + 1 });
    const after = await gql(district.gateway.url, admin, `{ school(id: "s004") { status } }`);
    expect(after.data!.school).toEqual({ status: 'LIVE' });
  });

  it('a school-bound user sees only their school in the registry; instance URLs are for district admins', async () => {
    const teacher = await tokenFor('s002.teacher');
    const list = await gql(district.gateway.url, teacher, `{ schools { id } }`);
    expect(list.data!.schools).toEqual([{ id: 's002' }]);
    const urls = await gql(district.gateway.url, teacher, `{ schools { id instances { people } } }`);
    expect(codes(urls)).toContain('FORBIDDEN');
  });
});
