import { HttpErrorCode, sendError } from '@district/kit';
import type { Request, RequestHandler } from 'express';
import { getOperationAST, parse } from 'graphql';

/** Seconds a client is asked to wait after a timeout: the district is slow, not gone. */
const RETRY_AFTER_TIMEOUT_S = 5;

/**
 * Answers a request still unanswered after `timeoutMs` with a 504 instead of
 * letting the client hang. A mutation may still complete behind it, so it is
 * not marked retryable (entry mutations carry idempotency keys: retry with the
 * same key). What the timed-out request produces later is dropped: the stages
 * after this one skip answered requests, and a late write finds the answer
 * already sent (the error handler leaves it alone).
 */
export function requestTimeout(timeoutMs: number): RequestHandler {
  return (req, res, next) => {
    const timer = setTimeout(() => {
      if (res.headersSent) {
        // Started but not finished: cut the connection so the client sees a failure, not a truncated body that looks whole.
        if (!res.writableEnded) res.destroy();
        return;
      }
      res.set('Retry-After', String(RETRY_AFTER_TIMEOUT_S));
      sendError(res, 504, HttpErrorCode.RequestTimeout, `Запрос не выполнен за ${timeoutMs} мс: повторите позже`, {
        retryable: !mayHaveWritten(req),
        timeoutMs,
      });
    }, timeoutMs);
    res.once('close', () => clearTimeout(timer));
    next();
  };
}

/** Skips the rest of the chain for a request already answered (timed out while it authenticated or its body arrived). */
export const unlessAnswered: RequestHandler = (_req, res, next) => {
  if (!res.headersSent) next();
};

function mayHaveWritten(req: Request): boolean {
  const body = req.body as { query?: unknown; operationName?: unknown } | undefined;
  if (typeof body?.query !== 'string') return false;
  try {
    return getOperationAST(parse(body.query), typeof body.operationName === 'string' ? body.operationName : undefined)?.operation === 'mutation';
  } catch {
    return false;
  }
}
