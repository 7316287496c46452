import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tokenFor } from '@district/kit/testing';
import { toGlobalId } from '@district/kit';
import type { District } from '@district/demo';
import { SchoolRouter } from '@district/gateway';
import { Viewer } from '@district/kit';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import { codes, gql, testDistrict } from './district';

const TIMEOUT_MS = 1_500;
let district: District;
beforeAll(async () => {
  district = await testDistrict({ schoolTimeoutMs: TIMEOUT_MS });
});
afterAll(async () => {
  await district?.close({ dropDatabases: true });
});

const COUNTS = `{ schools { id shortName studentCount classGroupCount } }`;
// Seeded rosters: 22 classes × 3 students, plus the demo student; s001 and s002 also hold a parent.multi child.
const EXPECTED = { s001: 68, s002: 68, s003: 67 };

describe('district-wide queries', () => {
  it('analyst gets one answer per school in one query', async () => {
    const token = await tokenFor('analyst');
    const answer = await gql(district.gateway.url, token, COUNTS);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.schools).toEqual([
      { id: 's001', shortName: 'Школа № 1', studentCount: EXPECTED.s001, classGroupCount: 22 },
      { id: 's002', shortName: 'Гимназия № 2', studentCount: EXPECTED.s002, classGroupCount: 22 },
      { id: 's003', shortName: 'Лицей № 3', studentCount: EXPECTED.s003, classGroupCount: 22 },
    ]);
  });

  it('the analyst cannot read names', async () => {
    const token = await tokenFor('analyst');
    const answer = await gql(district.gateway.url, token, `{ students(schoolId: "s001") { fullName } }`);
    expect(codes(answer)).toContain('FORBIDDEN');
  });

  it('with one school down: the other two answer, and an error names the stopped school, within the timeout', async () => {
    const token = await tokenFor('analyst');
    await district.stopSchool('s002');
    try {
      const started = Date.now();
      const answer = await gql(district.gateway.url, token, COUNTS);
      const elapsed = Date.now() - started;
      expect(answer.status).toBe(200);
      expect(elapsed).toBeLessThan(TIMEOUT_MS + 1_000);
      const schools = answer.data!.schools as { id: string; studentCount: number | null }[];
      expect(schools.map((s) => [s.id, s.studentCount])).toEqual([
        ['s001', EXPECTED.s001],
        ['s002', null],
        ['s003', EXPECTED.s003],
      ]);
      const schoolErrors = (answer.errors ?? []).filter((e) => e.extensions?.schoolId === 's002');
      expect(schoolErrors.length).toBeGreaterThan(0);
      expect(schoolErrors[0]!.extensions!.code).toBe('SCHOOL_UNAVAILABLE');
      expect(schoolErrors[0]!.message).toContain('s002');
    } finally {
      await district.startSchool('s002');
    }
    const again = await gql(district.gateway.url, token, COUNTS);
    expect(again.errors).toBeUndefined();
    expect((again.data!.schools as { studentCount: number }[])[1]!.studentCount).toBe(EXPECTED.s002);
  });

  it('a school that does not answer in time is cut off at the timeout', async () => {
    const token = await tokenFor('analyst');
    const slow = district.schools.get('s003')!;
    // Point s003 at a port that accepts connections but never answers.
    const sockets: Socket[] = [];
    const blackhole = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => blackhole.listen(0, '127.0.0.1', () => r()));
    const port = (blackhole.address() as AddressInfo).port;
    await district.registerSchool('s003', { ...slow.urls, people: `http://127.0.0.1:${port}/graphql` });
    await district.gateway.directory.refresh();
    try {
      const started = Date.now();
      const answer = await gql(district.gateway.url, token, COUNTS);
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
      expect(elapsed).toBeLessThan(TIMEOUT_MS + 1_000);
      const error = (answer.errors ?? []).find((e) => e.extensions?.schoolId === 's003');
      expect(error?.extensions?.code).toBe('SCHOOL_UNAVAILABLE');
      expect((answer.data!.schools as { studentCount: number | null }[]).map((s) => s.studentCount)).toEqual([EXPECTED.s001, EXPECTED.s002, null]);
    } finally {
      await district.registerSchool('s003', slow.urls);
      await district.gateway.directory.refresh();
      sockets.forEach((s) => s.destroy());
      blackhole.close();
    }
  });
});

describe('the school router', () => {
  it('splits an _entities batch mixing schools and reassembles it in the original order', async () => {
    // Class groups, not students: a district admin reads no student without an open personal-data access (docs/security.md).
    const token = await tokenFor('district.admin');
    const classIds: Record<string, string[]> = {};
    for (const schoolId of ['s001', 's002', 's003']) {
      const answer = await gql(district.gateway.url, token, `query($s: ID!) { classGroups(schoolId: $s) { id } }`, { s: schoolId });
      classIds[schoolId] = (answer.data!.classGroups as { id: string }[]).map((c) => c.id);
    }
    // Interleave the schools so that grouping by school changes the order.
    const ids = [
      classIds.s002![0],
      classIds.s001![0],
      classIds.s003![0],
      classIds.s001![1],
      classIds.s002![1],
      classIds.s003![1],
      classIds.s001![2],
    ] as string[];
    const router = new SchoolRouter('people', district.gateway.directory, 2_000);
    const before = Object.fromEntries([...district.schools].map(([id, s]) => [id, s.requests()]));
    const response = await router.process({
      kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION,
      request: {
        query: 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on ClassGroup { id name } } }',
        variables: { representations: ids.map((id) => ({ __typename: 'ClassGroup', id })) },
      },
      context: { viewer: viewerOf(token), token, requestId: 'test', client: 'jest' },
      incomingRequestContext: {} as never,
    } as never);
    expect(response.errors).toBeUndefined();
    const entities = response.data!._entities as { id: string; name: string }[];
    expect(entities.map((e) => e.id)).toEqual(ids);
    expect(entities.every((e) => /^\d{1,2}[А-ЯЁ]$/.test(e.name))).toBe(true);
    // One call per school, in parallel, not one per representation.
    for (const [id, service] of district.schools) expect(service.requests() - before[id]!).toBe(1);
  });

  it('an id from an unknown school yields null and an error for that entry only', async () => {
    const token = await tokenFor('district.admin');
    const router = new SchoolRouter('people', district.gateway.directory, 2_000);
    const first = await gql(district.gateway.url, token, `{ classGroups(schoolId: "s001") { id } }`);
    const known = (first.data!.classGroups as { id: string }[])[0]!.id;
    const response = await router.process({
      kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION,
      request: {
        query: 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on ClassGroup { id } } }',
        variables: {
          representations: [
            { __typename: 'ClassGroup', id: toGlobalId('ClassGroup', 's999', 1) },
            { __typename: 'ClassGroup', id: known },
          ],
        },
      },
      context: { viewer: viewerOf(token), token, requestId: 'test', client: 'jest' },
      incomingRequestContext: {} as never,
    } as never);
    expect(response.data!._entities).toEqual([null, { id: known }]);
    expect(response.errors!.map((e) => e.extensions?.schoolId)).toEqual(['s999']);
  });
});

function viewerOf(token: string): Viewer {
  return Viewer.fromClaims(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>, token);
}

describe('a fanned-out field that is not a list', () => {
  it('stays null when every school answers null (a parent has no student record), next to a fanned-out list', async () => {
    const QUERY = `{ myChildren { id school { id } } myStudentRecord { id school { id } } }`;
    const parent = await gql(district.gateway.url, await tokenFor('parent.multi'), QUERY);
    expect(parent.status).toBe(200);
    expect(parent.errors).toBeUndefined();
    expect(parent.data!.myStudentRecord).toBeNull();
    expect((parent.data!.myChildren as { school: { id: string } }[]).map((c) => c.school.id)).toEqual(['s001', 's002']);
    const student = await gql(district.gateway.url, await tokenFor('s001.student'), QUERY);
    expect(student.data).toEqual({ myChildren: [], myStudentRecord: { id: expect.any(String), school: { id: 's001' } } });
  });
});
