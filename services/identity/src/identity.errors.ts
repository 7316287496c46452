import { DomainError } from '@district/kit';

/** The identity subgraph's own error codes (beside the kit's FORBIDDEN, NOT_FOUND, DUPLICATE, CONFLICT, BAD_USER_INPUT). */
export type IdentityErrorCode =
  /** Keycloak did not answer (down, slow, refused): nothing or part of a change was done; retry with the same idempotency key. */
  | 'IDENTITY_UNAVAILABLE'
  /** The role is not one the caller may grant or revoke. */
  | 'ROLE_NOT_GRANTABLE'
  /** Callers do not change their own roles, schools or status. */
  | 'OWN_ACCOUNT'
  /** The change would leave the district without an enabled sso-admin. */
  | 'LAST_SSO_ADMIN';

export class IdentityError extends DomainError<IdentityErrorCode> {}

export function identityUnavailable(reason: string): IdentityError {
  return new IdentityError('IDENTITY_UNAVAILABLE', 'Служба единого входа (Keycloak) сейчас недоступна; повторите действие с тем же ключом', {
    retryable: true,
    reason,
  });
}
