import { buildFederatedSchema, operationGuard, schoolArgumentGuard } from '@district/kit';
import type { GraphQLSchema } from 'graphql';
import { OPERATIONS } from './access';
import { AccountPersonResolver } from './accounts/account-person.resolver';
import { ClassGroupResolver, EnrollmentResolver } from './class-groups/class-group.resolver';
import { GuardianResolver } from './guardians/guardian.resolver';
import { PersonalDataAccessResolver } from './personal-data/personal-data-access.resolver';
import { references } from './references';
import { RosterResolver } from './roster/roster.resolver';
import { SchoolPeopleResolver } from './school/school.resolver';
import { StaffResolver } from './staff/staff.resolver';
import { StudentResolver } from './students/student.resolver';

export function buildPeopleSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: [
      StudentResolver,
      StaffResolver,
      GuardianResolver,
      ClassGroupResolver,
      EnrollmentResolver,
      SchoolPeopleResolver,
      RosterResolver,
      PersonalDataAccessResolver,
      AccountPersonResolver,
    ],
    references,
    globalMiddlewares: [schoolArgumentGuard, operationGuard(OPERATIONS)],
  });
}
