import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';

/** Codes of errors an HTTP layer (the gateway's, a subgraph's) answers itself, before or instead of GraphQL. */
export const HttpErrorCode = {
  BadRequest: 'BAD_REQUEST',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  NotFound: 'NOT_FOUND',
  RequestTimeout: 'REQUEST_TIMEOUT',
  Internal: 'INTERNAL_SERVER_ERROR',
} as const;

/** Every answer the HTTP layer writes has the shape of a GraphQL response, so clients parse one format. */
export function sendError(res: Response, status: number, code: string, message: string, extensions: Record<string, unknown> = {}): void {
  res.status(status).json({ errors: [{ message, extensions: { code, ...extensions } }] });
}

/** Unknown paths answer like the rest of the API, not with Express's HTML page. */
export const notFound: RequestHandler = (_req, res) => sendError(res, 404, HttpErrorCode.NotFound, 'Нет такого адреса');

/**
 * The last handler: whatever an Express middleware threw (body parser, URL
 * decoding, a handler's rejection) becomes a GraphQL-shaped JSON error
 * without stack or file paths, in every mode. Express's default handler
 * would answer an HTML page with the stack outside production.
 */
export function jsonErrors(bodyLimitBytes: number, log: (message: string) => void): ErrorRequestHandler {
  return (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) {
      if (!res.writableEnded) res.destroy();
      return;
    }
    const { status: raw, type } = (error ?? {}) as { status?: unknown; statusCode?: unknown; type?: unknown };
    const candidate = Number(raw ?? (error as { statusCode?: unknown } | undefined)?.statusCode);
    const status = Number.isInteger(candidate) && candidate >= 400 && candidate < 600 ? candidate : 500;
    if (status >= 500) {
      log(`${req.method} ${req.path} failed: ${(error as Error)?.message ?? String(error)}`);
      return sendError(res, status, HttpErrorCode.Internal, 'Внутренняя ошибка сервера');
    }
    if (type === 'entity.too.large' || status === 413) {
      return sendError(res, 413, HttpErrorCode.PayloadTooLarge, `Тело запроса больше ${Math.round(bodyLimitBytes / 1024)} КБ`, { limitBytes: bodyLimitBytes });
    }
    if (status === 404) return sendError(res, 404, HttpErrorCode.NotFound, 'Нет такого адреса');
    const message =
      type === 'entity.parse.failed'
        ? 'Тело запроса не является корректным JSON'
        : type === 'encoding.unsupported' || type === 'charset.unsupported'
          ? 'Неподдерживаемая кодировка тела запроса'
          : error instanceof URIError
            ? 'Некорректный адрес запроса'
            : 'Некорректный запрос';
    sendError(res, status, HttpErrorCode.BadRequest, message);
  };
}
