import type { NextFunction, Request, Response } from 'express';
import type { Server } from 'node:http';
import { ErrorCode } from './errors';

/** What a client is told to wait before retrying a request refused while stopping. */
export const STOPPING_RETRY_AFTER_SECONDS = 2;

/** The answer to a request that arrives while the server is stopping: retryable, GraphQL-shaped, and the connection is not kept alive. */
export function serviceStopping(res: Response, service: string): void {
  res
    .status(503)
    .set({ 'retry-after': String(STOPPING_RETRY_AFTER_SECONDS), connection: 'close' })
    .json({ errors: [{ message: `Служба ${service} останавливается, повторите запрос`, extensions: { code: ErrorCode.ServiceStopping, retryable: true } }] });
}

/**
 * A graceful stop for an Express server. Once `close()` is called, readiness
 * is false at once (`stopping`), requests already in flight may finish (up to
 * `graceMs`), new requests get 503 SERVICE_STOPPING, and every keep-alive
 * connection is closed — so the listener is gone within the grace even when a
 * client (undici's pool in the gateway) keeps idle connections open.
 */
export class HttpDrain {
  private draining = false;
  private readonly active = new Set<Response>();
  private idle?: () => void;

  constructor(private readonly service: string) {}

  get stopping(): boolean {
    return this.draining;
  }

  /** The first middleware: counts requests in flight and refuses new ones once stopping. */
  readonly middleware = (_req: Request, res: Response, next: NextFunction): void => {
    if (this.draining) return serviceStopping(res, this.service);
    this.active.add(res);
    res.once('close', () => {
      this.active.delete(res);
      if (this.active.size === 0) this.idle?.();
    });
    next();
  };

  async close(server: Server, graceMs = 5_000): Promise<void> {
    this.draining = true;
    // Responses still to be written end their connection; idle keep-alive connections go now.
    for (const res of this.active) if (!res.headersSent) res.setHeader('connection', 'close');
    server.closeIdleConnections();
    if (this.active.size > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, graceMs);
        this.idle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Everything left is idle now, or past its grace: cut it so close() cannot wait on a client.
    server.closeAllConnections();
    await closed;
  }
}
