import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/**
 * Codes every service answers with; clients switch on `extensions.code`.
 * A domain's own codes live with the domain (e.g. the journal's in
 * services/journal/src/journal.errors.ts), not here.
 */
export enum ErrorCode {
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  Duplicate = 'DUPLICATE',
  Conflict = 'CONFLICT',
  InvalidInput = 'BAD_USER_INPUT',
  SchoolUnavailable = 'SCHOOL_UNAVAILABLE',
  /** The service's database did not answer (down, restarting, pool exhausted); `extensions.retryable` is true. */
  DatabaseUnavailable = 'DATABASE_UNAVAILABLE',
  /** The service is shutting down (HTTP 503 with Retry-After); `extensions.retryable` is true. */
  ServiceStopping = 'SERVICE_STOPPING',
  Internal = 'INTERNAL_SERVER_ERROR',
}

export interface FieldProblem {
  field?: string;
  line?: number;
  message: string;
}

/**
 * A rule of the domain was broken; the message is shown to the user as is.
 * `Code` is the union of a domain's own codes (`JournalError` extends
 * `DomainError<JournalErrorCode>`); the generic ones are always allowed.
 */
export class DomainError<Code extends string = never> extends Error {
  constructor(
    readonly code: ErrorCode | NoInfer<Code>,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static forbidden(message = 'Недостаточно прав для этого действия'): DomainError {
    return new DomainError(ErrorCode.Forbidden, message);
  }
  static notFound(what: string, id: string): DomainError {
    return new DomainError(ErrorCode.NotFound, `${what} не найден(а): ${id}`, { id });
  }
  static invalid(message: string, problems: FieldProblem[] = []): DomainError {
    return new DomainError(ErrorCode.InvalidInput, message, problems.length ? { problems } : {});
  }
  static duplicate(message: string): DomainError {
    return new DomainError(ErrorCode.Duplicate, message);
  }
  static conflict(message: string, current?: unknown): DomainError {
    return new DomainError(ErrorCode.Conflict, message, current === undefined ? {} : { current });
  }
}

export function toGraphQLError(error: DomainError): GraphQLError {
  return new GraphQLError(error.message, { extensions: { code: error.code, ...error.details } });
}

/** Node socket errors that mean the database could not be reached or the connection broke. */
const CONNECTION_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** SQLSTATEs of a server going away or refusing connections: 57P01–57P03 (shutdown, crash, starting up) and class 08 (connection exception). */
const UNAVAILABLE_SQLSTATE = /^(57P0[123]|08[0-9A-Z]{3})$/;
/** pg and knex report these without a code. */
const UNAVAILABLE_MESSAGE =
  /Connection terminated|Timeout acquiring a connection|Client has encountered a connection error|Client was closed and is not queryable|timeout exceeded when trying to connect/i;

/** The database did not answer in time (e.g. a health ping against a black-holed host). */
export class DatabaseUnreachableError extends Error {
  override readonly name = 'DatabaseUnreachableError';
}

/**
 * Why an error means "the database is unreachable right now" (a short reason
 * for the log), or undefined for any other error. Follows the chain of
 * wrappers (GraphQL's originalError and thrownValue, MikroORM's copied driver fields).
 */
export function databaseUnavailableReason(error: unknown): string | undefined {
  // Duck-typed, not `instanceof Error`: socket errors may come from another realm (jest's sandbox, worker threads).
  for (let e = error, depth = 0; typeof e === 'object' && e !== null && depth < 5; depth++) {
    if (e instanceof DatabaseUnreachableError) return e.message;
    const { code, message, originalError, thrownValue } = e as { code?: unknown; message?: unknown; originalError?: unknown; thrownValue?: unknown };
    const text = typeof message === 'string' ? message : '';
    if (typeof code === 'string' && (CONNECTION_ERRNOS.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return `${code}: ${firstLine(text)}`;
    if (UNAVAILABLE_MESSAGE.test(text)) return firstLine(text);
    // thrownValue: graphql wraps a rejection that is not `instanceof Error` (a socket error from another realm) in NonErrorThrown.
    // Not `cause`: fetch's "fetch failed" carries ECONNREFUSED there when another *service* is down, which is no database outage.
    e = originalError ?? thrownValue;
  }
  return undefined;
}

/** The driver's own words only: knex prefixes the SQL, with its parameters inlined ("<sql> - <message>"), which must not reach the log. */
function firstLine(message: string): string {
  const line = message.split('\n')[0]!;
  const sqlEnd = line.lastIndexOf(' - ');
  return (sqlEnd >= 0 ? line.slice(sqlEnd + 3) : line).slice(0, 200);
}

/** The answer for a request the database could not serve: the client may retry the same request (writes carry idempotency keys). */
export function databaseUnavailable(formatted: GraphQLFormattedError): GraphQLFormattedError {
  return {
    message: 'База данных временно недоступна, повторите запрос немного позже',
    path: formatted.path,
    locations: formatted.locations,
    extensions: { code: ErrorCode.DatabaseUnavailable, retryable: true },
  };
}

const PASS_THROUGH = new Set<string>([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  // Generic codes that arrive already formatted (e.g. the gateway's own school router); never INTERNAL.
  ...Object.values(ErrorCode).filter((c) => c !== ErrorCode.Internal),
]);

/**
 * An error a subgraph answered with (the gateway adds `serviceName`): that
 * subgraph's own formatError has already shaped it, so its code, a domain's
 * own (LESSON_CANCELLED) included, passes through; INTERNAL is still logged here.
 */
function answeredBySubgraph(formatted: GraphQLFormattedError, code: string): boolean {
  return typeof formatted.extensions?.serviceName === 'string' && code !== ErrorCode.Internal;
}

/**
 * The one place errors leave a service: domain errors keep their code and
 * message; an unreachable database is DATABASE_UNAVAILABLE (retryable; the
 * server logs one line per request for it, see server.ts); anything else
 * unexpected is logged and masked so no stack or SQL leaks.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown, log: (e: unknown) => void = console.error): GraphQLFormattedError {
  let original = error;
  while (original instanceof GraphQLError && original.originalError) original = original.originalError;
  if (original instanceof DomainError) {
    return { message: original.message, path: formatted.path, locations: formatted.locations, extensions: { code: original.code, ...original.details } };
  }
  if (databaseUnavailableReason(original)) return databaseUnavailable(formatted);
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && (PASS_THROUGH.has(code) || answeredBySubgraph(formatted, code))) {
    const { stacktrace: _drop, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  log(original);
  return { message: 'Внутренняя ошибка сервера', path: formatted.path, extensions: { code: ErrorCode.Internal } };
}
