import { tokenFor } from '@district/kit/testing';
import type { District } from '@district/demo';
import { codes, gql, testDistrict } from './district';

let district: District;
beforeAll(async () => {
  district = await testDistrict({ schools: ['s001'], studentsPerClass: 1, production: true });
});
afterAll(async () => {
  await district?.close({ dropDatabases: true });
});

describe('production mode', () => {
  it('refuses introspection at the gateway and at the subgraphs, and still answers queries', async () => {
    const token = await tokenFor('s001.teacher');
    const introspection = `{ __schema { types { name } } }`;
    const atGateway = await gql(district.gateway.url, token, introspection);
    expect(atGateway.status).toBe(400);
    expect(codes(atGateway)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(atGateway.errors![0]!.message).toMatch(/introspection/i);

    const atSubgraph = await gql(district.schools.get('s001')!.people.url, token, introspection);
    expect(codes(atSubgraph)).toEqual(['GRAPHQL_VALIDATION_FAILED']);

    const query = await gql(district.gateway.url, token, `{ classGroups(schoolId: "s001") { name } }`);
    expect(query.errors).toBeUndefined();
    expect((query.data!.classGroups as unknown[]).length).toBe(22);
  });
});
