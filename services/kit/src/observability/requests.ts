import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { Request, RequestHandler, Response } from 'express';
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { acceptedRequestId } from '../context';
import { sendError } from '../http-errors';
import type { Logger } from './logger';
import type { ServiceMetrics } from './metrics';

/** What is known of one request by the time it is answered; it becomes one log line and one observation. */
export interface RequestRecord {
  requestId: string;
  /** The GraphQL operation's name; unset for other routes (then "METHOD /path"). */
  operation?: string;
  /** "ok" or the first error's code. */
  outcome?: string;
  /** The schools the gateway called for it. */
  schools?: Set<string>;
}

const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;
const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;
/** Failures on the server's side or a dependency's: warnings, so LOG_LEVEL=warn still shows them. */
const SERVER_SIDE = new Set(['INTERNAL_SERVER_ERROR', 'DATABASE_UNAVAILABLE', 'SCHOOL_UNAVAILABLE', 'SERVICE_STOPPING', 'REQUEST_TIMEOUT']);

/** "ok" when there are no errors, else the first error's code (a bounded set: never a message). */
export function outcomeOf(errors: readonly Pick<GraphQLFormattedError, 'extensions'>[] | undefined): string {
  if (!errors?.length) return 'ok';
  const code = errors[0]!.extensions?.code;
  return typeof code === 'string' && ERROR_CODE.test(code) ? code : 'ERROR';
}

/**
 * Where a GraphQL context carries its request's record: a symbol-keyed own
 * property, because Apollo copies the context per operation (Object.assign
 * keeps symbols), so a lookup keyed by the object would miss.
 */
const RECORD = Symbol('request record');

function recordOf(res: Response): RequestRecord | undefined {
  return res.locals.request as RequestRecord | undefined;
}

/** Links a request's GraphQL context to its record, so the GraphQL plugin and the gateway's data sources reach it. */
export function withRequestRecord<C>(context: C, res: Response): C {
  const record = recordOf(res);
  if (record && typeof context === 'object' && context !== null) Object.defineProperty(context, RECORD, { value: record, enumerable: true });
  return context;
}

export function requestRecordOf(context: unknown): RequestRecord | undefined {
  return typeof context === 'object' && context !== null ? (context as { [RECORD]?: RequestRecord })[RECORD] : undefined;
}

/** For routes other than GraphQL: the method and path (no query string, where ids could be), unknown paths as one value. */
function routeOf(req: Request, res: Response): string {
  if (res.statusCode === 404) return `${req.method} (unknown path)`;
  const path = req.originalUrl
    .split('?')[0]!
    .slice(0, 100)
    .replace(/[^\w./-]/g, '_');
  return `${req.method} ${path}`;
}

/**
 * The request id, one log line and one metrics observation per request. The id
 * is the caller's X-Request-Id when it is a safe short token, else a new one;
 * it is answered in the X-Request-Id header and put back into the request, so
 * the GraphQL context (and with it every call onward) carries the same id.
 * The line holds ids, the operation's name, the outcome code, the status and
 * the duration — never a token, a variable or a name.
 */
export function observeRequests(options: { logger: Logger; metrics: ServiceMetrics }): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    const requestId = acceptedRequestId(req.headers['x-request-id']) ?? randomUUID();
    req.headers['x-request-id'] = requestId;
    res.setHeader('x-request-id', requestId);
    const record: RequestRecord = { requestId };
    res.locals.request = record;
    // The HTTP layer's own answers (401, 403, 413, 503 while stopping, 504) are GraphQL-shaped JSON written
    // with res.json, in several places: their error code is the outcome. GraphQL answers set it in the plugin.
    const json = res.json.bind(res);
    res.json = (body?: { errors?: GraphQLFormattedError[] }) => {
      record.outcome ??= outcomeOf(body?.errors);
      return json(body);
    };
    res.once('close', () => {
      const seconds = (performance.now() - started) / 1000;
      const operation = record.operation ?? routeOf(req, res);
      const outcome = !res.writableFinished ? 'ABORTED' : (record.outcome ?? (res.statusCode < 400 ? 'ok' : `HTTP_${res.statusCode}`));
      options.metrics.observeRequest(operation, outcome, seconds);
      const line = {
        requestId,
        operation,
        outcome,
        status: res.statusCode,
        durationMs: Math.round(seconds * 10_000) / 10,
        ...(record.schools ? { schools: [...record.schools].sort() } : {}),
      };
      if (res.statusCode >= 500 || SERVER_SIDE.has(outcome)) options.logger.warn(line, 'request');
      else options.logger.info(line, 'request');
    });
    next();
  };
}

/** Fills the request's record from Apollo: the operation's name and the outcome of the answer it sends. */
export function requestObservation<Ctx extends BaseContext>(): ApolloServerPlugin<Ctx> {
  return {
    async requestDidStart({ contextValue, request }) {
      const record = requestRecordOf(contextValue);
      if (!record) return;
      // The name the client gave counts until the document resolves (a document that does not parse has no other).
      if (request.operationName && OPERATION_NAME.test(request.operationName)) record.operation = request.operationName;
      return {
        async didResolveOperation({ operationName }) {
          record.operation = operationName ?? '(anonymous)';
        },
        async willSendResponse({ response }) {
          record.operation ??= '(invalid)';
          record.outcome = response.body.kind === 'single' ? outcomeOf(response.body.singleResult.errors) : outcomeOf(response.body.initialResult.errors);
        },
      };
    },
  };
}

function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * GET /metrics in the Prometheus text format. With a token, only a caller
 * presenting it as a bearer is answered (401 otherwise); without one, anyone
 * who reaches the port is (see README "Configuration").
 */
export function metricsEndpoint(metrics: ServiceMetrics, token: string | undefined): RequestHandler {
  return async (req, res) => {
    const given = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (token && !(given && sameSecret(given, token))) {
      res.set('WWW-Authenticate', 'Bearer');
      return sendError(res, 401, 'UNAUTHENTICATED', 'Метрики отдаются только с токеном METRICS_TOKEN');
    }
    res.set('content-type', metrics.contentType).send(await metrics.render());
  };
}
