import { buildFederatedSchema, operationGuard } from '@district/kit';
import type { GraphQLSchema } from 'graphql';
import { OPERATIONS } from './access';
import { AccountResolver } from './accounts/account.resolver';
import { IdentityAuditResolver } from './audit/identity-audit.resolver';
import { GuardianAccountResolver, StaffAccountResolver, StudentAccountResolver } from './persons/person-account.resolver';
import { GuardianRef, StaffRef, StudentRef } from './persons/person-refs';
import { ProvisioningResolver } from './provisioning/provisioning.resolver';
import { references } from './references';

export function buildIdentitySchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: [AccountResolver, ProvisioningResolver, IdentityAuditResolver, StaffAccountResolver, StudentAccountResolver, GuardianAccountResolver],
    // Reached only through `_entities` (people's persons with their account), so named here.
    orphanedTypes: [StaffRef, StudentRef, GuardianRef],
    references,
    globalMiddlewares: [operationGuard(OPERATIONS)],
  });
}
