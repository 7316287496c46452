import { DomainError } from '@district/kit';

/**
 * The refusals the state portal shows its applicant (docs/portal.md), beside
 * the kit's BAD_USER_INPUT (a malformed SNILS, name or date, naming the field)
 * and SCHOOL_UNAVAILABLE (retryable).
 */
export type PortalErrorCode =
  /** No child with this identity is enrolled in a school of the district now. */
  | 'CHILD_NOT_FOUND'
  /** More than one child matches (by name and birth date): the applicant should give the child's SNILS. */
  | 'AMBIGUOUS_CHILD'
  /** The child was found, and the applicant is not recorded as their parent or legal representative. */
  | 'NOT_A_GUARDIAN';

export class PortalError extends DomainError<PortalErrorCode> {}
