import { randomBytes } from 'node:crypto';
import { keycloakUrl } from '@district/kit/testing';
import { startDistrict, type District, type DistrictOptions } from '@district/demo';

/** A fresh district (own databases) for one test file. */
export function testDistrict(options: Partial<DistrictOptions> = {}): Promise<District> {
  return startDistrict({
    schools: ['s001', 's002', 's003'],
    databasePrefix: `t_${randomBytes(3).toString('hex')}`,
    keycloakUrl: keycloakUrl(),
    studentsPerClass: 3,
    schoolTimeoutMs: 1_500,
    // DISTRICT_LOG=1 prints the district's own log lines (its services' errors) while a test runs.
    log: process.env.DISTRICT_LOG ? (line) => process.stderr.write(`district: ${line}\n`) : undefined,
    ...options,
  });
}

/** The gateway tests ask like any client: see kit/testing. */
export { codes, gqlAt as gql, type GraphQLAnswer } from '@district/kit/testing';
