import { graphql } from '../../gql';

/** What the screens show of an account. */
export const AccountsAccountFields = graphql(`
  fragment AccountsAccountFields on Account {
    id
    username
    lastName
    firstName
    fullName
    email
    personId
    status
    roles
    schoolIds
    createdAt
    lastLoginAt
    syncedAt
  }
`);

/** The registry's schools the viewer may reach (district IT: every school; a director: theirs), for names and the school select. */
export const AccountsSchoolsQuery = graphql(`
  query AccountsSchools {
    schools {
      id
      shortName
    }
  }
`);

export const AccountsSearchQuery = graphql(`
  query AccountsSearch($filter: AccountFilter, $first: Int!, $offset: Int!) {
    accounts(filter: $filter, first: $first, offset: $offset) {
      total
      items {
        ...AccountsAccountFields
      }
    }
  }
`);

export const AccountsAccountQuery = graphql(`
  query AccountsAccount($id: ID!) {
    account(id: $id) {
      ...AccountsAccountFields
    }
  }
`);

export const AccountsSessionsQuery = graphql(`
  query AccountsSessions($id: ID!) {
    accountSessions(accountId: $id) {
      id
      ipAddress
      startedAt
      lastAccessAt
      clients
    }
  }
`);

export const AccountsAuditQuery = graphql(`
  query AccountsAudit($id: ID!) {
    identityAudit(accountId: $id) {
      id
      at
      actor
      action
      old
      new
      reason
    }
  }
`);

export const AccountsDriftQuery = graphql(`
  query AccountsDrift($schoolId: ID!) {
    accountDrift(schoolId: $schoolId) {
      kind
      person
      personKind
      fullName
      roles
      account {
        id
        username
      }
    }
  }
`);

export const AccountsRunsQuery = graphql(`
  query AccountsRuns($schoolId: ID!) {
    accountRuns(schoolId: $schoolId) {
      id
      mode
      state
      requestedAt
    }
  }
`);

export const AccountsRunQuery = graphql(`
  query AccountsRun($id: ID!) {
    accountRun(id: $id) {
      id
      schoolId
      mode
      state
      requestedBy
      requestedAt
      finishedAt
      total
      processed
      error
      created
      credentialsCsv
      lines {
        person
        kind
        fullName
        username
        outcome
        reason
      }
    }
  }
`);

/** An account for a person of the school who has none (a drift line); `created: false` when the person had one already, now bound to the school. */
export const AccountsCreateAccountMutation = graphql(`
  mutation AccountsCreateAccount($person: ID!, $roles: [PlatformRole!]!, $idempotencyKey: String!) {
    createAccount(person: $person, roles: $roles, idempotencyKey: $idempotencyKey) {
      created
      temporaryPassword
      account {
        ...AccountsAccountFields
      }
    }
  }
`);

export const AccountsGrantRoleMutation = graphql(`
  mutation AccountsGrantRole($accountId: ID!, $role: PlatformRole!, $reason: String, $idempotencyKey: String!) {
    grantRole(accountId: $accountId, role: $role, reason: $reason, idempotencyKey: $idempotencyKey) {
      ...AccountsAccountFields
    }
  }
`);

export const AccountsRevokeRoleMutation = graphql(`
  mutation AccountsRevokeRole($accountId: ID!, $role: PlatformRole!, $reason: String, $idempotencyKey: String!) {
    revokeRole(accountId: $accountId, role: $role, reason: $reason, idempotencyKey: $idempotencyKey) {
      ...AccountsAccountFields
    }
  }
`);

export const AccountsBindSchoolMutation = graphql(`
  mutation AccountsBindSchool($accountId: ID!, $schoolId: ID!, $reason: String, $idempotencyKey: String!) {
    bindAccountToSchool(accountId: $accountId, schoolId: $schoolId, reason: $reason, idempotencyKey: $idempotencyKey) {
      ...AccountsAccountFields
    }
  }
`);

export const AccountsUnbindSchoolMutation = graphql(`
  mutation AccountsUnbindSchool($accountId: ID!, $schoolId: ID!, $reason: String, $idempotencyKey: String!) {
    unbindAccountFromSchool(accountId: $accountId, schoolId: $schoolId, reason: $reason, idempotencyKey: $idempotencyKey) {
      ...AccountsAccountFields
    }
  }
`);

export const AccountsSetEnabledMutation = graphql(`
  mutation AccountsSetEnabled($accountId: ID!, $enabled: Boolean!, $reason: String, $idempotencyKey: String!) {
    setAccountEnabled(accountId: $accountId, enabled: $enabled, reason: $reason, idempotencyKey: $idempotencyKey) {
      ...AccountsAccountFields
    }
  }
`);

export const AccountsResetPasswordMutation = graphql(`
  mutation AccountsResetPassword($accountId: ID!, $idempotencyKey: String!) {
    resetAccountPassword(accountId: $accountId, idempotencyKey: $idempotencyKey) {
      temporaryPassword
      account {
        ...AccountsAccountFields
      }
    }
  }
`);

export const AccountsEndSessionsMutation = graphql(`
  mutation AccountsEndSessions($accountId: ID!, $idempotencyKey: String!) {
    endAccountSessions(accountId: $accountId, idempotencyKey: $idempotencyKey) {
      ...AccountsAccountFields
    }
  }
`);

export const AccountsProvisionMutation = graphql(`
  mutation AccountsProvision($schoolId: ID!, $idempotencyKey: String!) {
    provisionSchoolAccounts(schoolId: $schoolId, idempotencyKey: $idempotencyKey) {
      id
      mode
      state
      requestedAt
    }
  }
`);

export const AccountsFixDriftMutation = graphql(`
  mutation AccountsFixDrift($schoolId: ID!, $idempotencyKey: String!) {
    fixAccountDrift(schoolId: $schoolId, idempotencyKey: $idempotencyKey) {
      id
      mode
      state
      requestedAt
    }
  }
`);
