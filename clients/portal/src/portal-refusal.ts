/**
 * Why the platform did not answer a portal question (docs/portal.md): its
 * refusals, and the client's own codes for an answer it never got.
 */
export type PortalRefusalCode =
  /** No child with this identity is enrolled in a school of the district now. */
  | 'CHILD_NOT_FOUND'
  /** Several children match the name and birth date: ask again with the child's SNILS. */
  | 'AMBIGUOUS_CHILD'
  /** The applicant is not recorded as the child's parent or legal representative. */
  | 'NOT_A_GUARDIAN'
  /** A malformed SNILS, name or date; `problems` names the fields. */
  | 'BAD_USER_INPUT'
  /** A school did not answer, so "not found" cannot be told: retry later. */
  | 'SCHOOL_UNAVAILABLE'
  /** The portal's request budget is spent: retry after `retryAfterSeconds`. */
  | 'RATE_LIMITED'
  /** The gateway does not know the operation's hash: the gateway's manifest and this SDK differ. */
  | 'PERSISTED_QUERY_NOT_ALLOWED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  /** Keycloak refused the client's credentials (client id or secret). */
  | 'TOKEN_REFUSED'
  /** The gateway or Keycloak did not answer in time or at all. */
  | 'UNREACHABLE'
  /** The answer was not a GraphQL answer of the operation. */
  | 'BAD_ANSWER'
  | (string & NonNullable<unknown>);

/** Codes the platform marks as worth asking again (besides `extensions.retryable`). */
const RETRYABLE = new Set<string>(['SCHOOL_UNAVAILABLE', 'RATE_LIMITED', 'DATABASE_UNAVAILABLE', 'SERVICE_STOPPING', 'UNREACHABLE']);

export interface PortalRefusalDetails {
  retryable?: boolean;
  retryAfterSeconds?: number;
  problems?: readonly string[];
  requestId?: string;
  status?: number;
}

/** A question the platform refused or could not answer; `code` is what a portal switches on. */
export class PortalRefusal extends Error {
  override readonly name = 'PortalRefusal';
  /** Asking the same question again later may succeed. */
  readonly retryable: boolean;
  /** For RATE_LIMITED (HTTP 429, Retry-After): the seconds to wait. */
  readonly retryAfterSeconds: number | undefined;
  /** For BAD_USER_INPUT: the fields at fault, e.g. `applicant.snils`. */
  readonly problems: readonly string[];
  /** The X-Request-Id the question was sent with: the platform's access log holds it. */
  readonly requestId: string | undefined;
  /** The HTTP status of the answer, when there was one. */
  readonly status: number | undefined;

  constructor(
    readonly code: PortalRefusalCode,
    message: string,
    details: PortalRefusalDetails = {},
  ) {
    super(message);
    this.retryable = details.retryable ?? RETRYABLE.has(code);
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.problems = details.problems ?? [];
    this.requestId = details.requestId;
    this.status = details.status;
  }

  /** The refusal as a portal's log or the CLI's --json shows it. */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(this.retryAfterSeconds !== undefined ? { retryAfterSeconds: this.retryAfterSeconds } : {}),
      problems: this.problems,
      ...(this.requestId !== undefined ? { requestId: this.requestId } : {}),
    };
  }
}
