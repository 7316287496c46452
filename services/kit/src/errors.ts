import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** Codes every service answers with; clients switch on `extensions.code`. */
export enum ErrorCode {
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  Duplicate = 'DUPLICATE',
  Conflict = 'CONFLICT',
  InvalidInput = 'BAD_USER_INPUT',
  SchoolUnavailable = 'SCHOOL_UNAVAILABLE',
  /** Journal rules: the entry is refused by the school's rules for entries and corrections. */
  LessonNotHeld = 'LESSON_NOT_HELD',
  LessonCancelled = 'LESSON_CANCELLED',
  NotInLesson = 'STUDENT_NOT_IN_LESSON',
  EditWindowClosed = 'EDIT_WINDOW_CLOSED',
  TermClosed = 'TERM_CLOSED',
  Internal = 'INTERNAL_SERVER_ERROR',
}

export interface FieldProblem {
  field?: string;
  line?: number;
  message: string;
}

/** A rule of the domain was broken; the message is shown to the user as is. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
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

const PASS_THROUGH = new Set<string>([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  // Domain codes that arrive already formatted (e.g. from a subgraph through the gateway); never INTERNAL.
  ...Object.values(ErrorCode).filter((c) => c !== ErrorCode.Internal),
]);

/**
 * The one place errors leave a service: domain errors keep their code and
 * message, anything unexpected is logged and masked so no stack or SQL leaks.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown, log: (e: unknown) => void = console.error): GraphQLFormattedError {
  let original = error;
  while (original instanceof GraphQLError && original.originalError) original = original.originalError;
  if (original instanceof DomainError) {
    return { message: original.message, path: formatted.path, locations: formatted.locations, extensions: { code: original.code, ...original.details } };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && PASS_THROUGH.has(code)) {
    const { stacktrace: _drop, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  log(original);
  return { message: 'Внутренняя ошибка сервера', path: formatted.path, extensions: { code: ErrorCode.Internal } };
}
