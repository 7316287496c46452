import { operationsWithoutRule, rolesGranted, type OperationRules, type Role } from '@district/kit';
import { buildIdentitySchema, IDENTITY_OPERATIONS } from '@district/identity';
import { buildPortalSchema, PORTAL_OPERATIONS } from '@district/portal';
import { buildJournalSchema, JOURNAL_OPERATIONS } from '@district/journal';
import { buildMonitoringSchema, MONITORING_OPERATIONS } from '@district/monitoring';
import { buildPeopleSchema, PEOPLE_OPERATIONS } from '@district/people';
import { buildScheduleSchema, SCHEDULE_OPERATIONS } from '@district/schedule';
import type { GraphQLSchema } from 'graphql';
import type { User } from './access-fixture';
import { ACCESS_TABLE, parseAllow } from './access-table';

/**
 * The services' operation rules (each service's access.ts) checked against
 * the code and the authorization table: every root field of every subgraph
 * has a rule, and no row of the table lets a user in whose role the rule's
 * action does not grant. The table test then probes the rows for real.
 */
const SERVICES: [string, () => Promise<GraphQLSchema>, OperationRules][] = [
  ['journal', buildJournalSchema, JOURNAL_OPERATIONS],
  ['people', buildPeopleSchema, PEOPLE_OPERATIONS],
  ['schedule', buildScheduleSchema, SCHEDULE_OPERATIONS],
  ['monitoring', buildMonitoringSchema, MONITORING_OPERATIONS],
  ['identity', buildIdentitySchema, IDENTITY_OPERATIONS],
  ['portal', buildPortalSchema, PORTAL_OPERATIONS],
];

const ROLE_OF: Record<User, Role> = {
  teacher: 'teacher',
  deputy: 'deputy',
  director: 'school-admin',
  student: 'student',
  parent: 'parent',
  analyst: 'district-analyst',
  districtAdmin: 'district-admin',
  ssoAdmin: 'sso-admin',
  portal: 'portal',
};

describe('operation rules', () => {
  it.each(SERVICES)('%s: every root field has a rule, and every rule names a root field', async (_name, build, rules) => {
    const schema = await build();
    expect(operationsWithoutRule(schema, rules)).toEqual([]);
    const fields = new Set([
      ...Object.keys(schema.getQueryType()?.getFields() ?? {}).map((f) => `Query.${f}`),
      ...Object.keys(schema.getMutationType()?.getFields() ?? {}).map((f) => `Mutation.${f}`),
    ]);
    expect(Object.keys(rules).filter((op) => !fields.has(op))).toEqual([]);
  });

  it('operationsWithoutRule names a root field that has none', async () => {
    const { 'Query.diary': _dropped, ...rest } = JOURNAL_OPERATIONS;
    expect(operationsWithoutRule(await buildJournalSchema(), rest)).toEqual(['Query.diary']);
  });

  it('each root row of the authorization table allows only roles its operation’s action grants', () => {
    const rules: OperationRules = Object.assign({}, ...SERVICES.map(([, , r]) => r));
    const problems: string[] = [];
    const rootRows = ACCESS_TABLE.filter((row) => /^(Query|Mutation)\./.test(row.op));
    for (const row of rootRows) {
      const action = rules[row.op];
      if (!action) {
        problems.push(`${row.op}: no rule in any service's access.ts`);
        continue;
      }
      const granted = rolesGranted(action);
      for (const user of parseAllow(row).keys())
        if (!granted.has(ROLE_OF[user])) problems.push(`${row.op}: the table lets ${user} in, ${action} does not grant ${ROLE_OF[user]}`);
    }
    expect(rootRows.map((row) => row.op).sort()).toEqual(Object.keys(rules).sort());
    expect(problems).toEqual([]);
  });
});
