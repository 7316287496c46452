import { GraphQLError } from 'graphql';
import { DomainError, ErrorCode, formatError } from '../src/errors';

describe('error mapping', () => {
  it('keeps a domain error’s code, message and details', () => {
    const error = DomainError.invalid('Данные заполнены неверно', [{ field: 'lastName', message: 'Фамилия: обязательное поле' }]);
    const formatted = formatError({ message: error.message, path: ['createStudent'] }, new GraphQLError(error.message, { originalError: error }));
    expect(formatted).toEqual({
      message: 'Данные заполнены неверно',
      path: ['createStudent'],
      locations: undefined,
      extensions: { code: 'BAD_USER_INPUT', problems: [{ field: 'lastName', message: 'Фамилия: обязательное поле' }] },
    });
  });

  it('masks anything unexpected: no message, no stack, logged once', () => {
    const logged: unknown[] = [];
    const internal = new Error('connect ECONNREFUSED 10.0.0.5:5432 at Pool.connect (/app/node_modules/pg/lib/pool.js)');
    const formatted = formatError(
      { message: internal.message, path: ['students'], extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x'] } },
      new GraphQLError(internal.message, { originalError: internal }),
      (e) => logged.push(e),
    );
    expect(formatted).toEqual({ message: 'Внутренняя ошибка сервера', path: ['students'], extensions: { code: ErrorCode.Internal } });
    expect(logged).toEqual([internal]);
  });

  it('passes GraphQL validation errors through without their stack', () => {
    const formatted = formatError(
      { message: 'Cannot query field "x"', extensions: { code: 'GRAPHQL_VALIDATION_FAILED', stacktrace: ['s'] } },
      new GraphQLError('x'),
    );
    expect(formatted).toEqual({ message: 'Cannot query field "x"', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  });

  it('passes a domain code a subgraph answered with through the gateway, and masks the same code from anywhere else', () => {
    const answered = {
      message: 'Урок 2026-12-07 отменён',
      path: ['enterMarks'],
      extensions: { code: 'LESSON_CANCELLED', serviceName: 'journal', stacktrace: ['s'] },
    };
    expect(formatError(answered, new GraphQLError(answered.message))).toEqual({
      message: 'Урок 2026-12-07 отменён',
      path: ['enterMarks'],
      extensions: { code: 'LESSON_CANCELLED', serviceName: 'journal' },
    });
    const logged: unknown[] = [];
    const unknown = formatError({ message: 'x', extensions: { code: 'LESSON_CANCELLED' } }, new GraphQLError('x'), (e) => logged.push(e));
    expect(unknown.extensions).toEqual({ code: ErrorCode.Internal });
    expect(logged).toHaveLength(1);
  });
});
