import { buildFederatedSchema, schoolArgumentGuard } from '@district/kit';
import type { GraphQLSchema } from 'graphql';
import { ClassGroupResolver, EnrollmentResolver } from './class-groups/class-group.resolver';
import { GuardianResolver } from './guardians/guardian.resolver';
import { references } from './references';
import { RosterResolver } from './roster/roster.resolver';
import { SchoolPeopleResolver } from './school/school.resolver';
import { StaffResolver } from './staff/staff.resolver';
import { StudentResolver } from './students/student.resolver';

export function buildPeopleSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: [StudentResolver, StaffResolver, GuardianResolver, ClassGroupResolver, EnrollmentResolver, SchoolPeopleResolver, RosterResolver],
    references,
    globalMiddlewares: [schoolArgumentGuard],
  });
}
