import type { OperationRules } from '@district/kit';

/**
 * The identity subgraph's operations and the policy action each needs (kit
 * policy.ts), checked before a resolver runs. Which accounts and roles then
 * (a director: their school's accounts, the school's roles): accounts/account-rules.ts.
 */
export const OPERATIONS = {
  'Query.accounts': 'accounts:read',
  'Query.account': 'accounts:read',
  'Query.accountSessions': 'accounts:read',
  'Query.identityAudit': 'accounts:read',
  'Query.verifyIdentityAudit': 'accounts:read',
  'Query.accountDrift': 'accounts:read',
  'Query.accountRun': 'accounts:read',
  'Query.accountRuns': 'accounts:read',
  'Mutation.createAccount': 'accounts:manage',
  'Mutation.grantRole': 'accounts:manage',
  'Mutation.revokeRole': 'accounts:manage',
  'Mutation.bindAccountToSchool': 'accounts:manage',
  'Mutation.unbindAccountFromSchool': 'accounts:manage',
  'Mutation.setAccountEnabled': 'accounts:manage',
  'Mutation.resetAccountPassword': 'accounts:manage',
  'Mutation.endAccountSessions': 'accounts:manage',
  'Mutation.provisionSchoolAccounts': 'accounts:manage',
  'Mutation.fixAccountDrift': 'accounts:manage',
} as const satisfies OperationRules;
