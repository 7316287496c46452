import { sendError } from '@district/kit';
import type { Request, RequestHandler } from 'express';
import { performance } from 'node:perf_hooks';

export const RATE_LIMITED = 'RATE_LIMITED';

export interface RateLimit {
  /** Tokens added per minute: the sustained rate. */
  perMinute: number;
  /** The bucket's size: requests a rested client may send at once. */
  burst: number;
}

export const DEFAULT_PORTAL_RATE_LIMIT: RateLimit = { perMinute: 120, burst: 20 };

export type Take = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per key, in this process's memory (so the limit is per
 * gateway replica). A bucket left alone until it would be full again is the
 * same as no bucket: such buckets are dropped, at most once per refill time,
 * so memory follows the clients active in the last refill time.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  /** How long an empty bucket takes to fill. */
  private readonly refillMs: number;
  private lastSweep: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.perMs = limit.perMinute / 60_000;
    this.refillMs = limit.burst / this.perMs;
    this.lastSweep = now();
  }

  get size(): number {
    return this.buckets.size;
  }

  take(key: string): Take {
    const now = this.now();
    this.sweep(now);
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, at: now };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + (now - bucket.at) * this.perMs);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000)) };
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < this.refillMs) return;
    this.lastSweep = now;
    for (const [key, bucket] of this.buckets) if (now - bucket.at >= this.refillMs) this.buckets.delete(key);
  }
}

/**
 * Takes a token of the caller's bucket for each request `keyOf` names a key
 * for (others pass untouched); an empty bucket answers 429 with Retry-After:
 * the whole seconds until a token is there.
 */
export function rateLimit(buckets: TokenBuckets, keyOf: (req: Request) => string | undefined): RequestHandler {
  return (req, res, next) => {
    const key = keyOf(req);
    if (key === undefined) return next();
    const taken = buckets.take(key);
    if (taken.allowed) return next();
    res.set('Retry-After', String(taken.retryAfterSeconds));
    sendError(res, 429, RATE_LIMITED, `Слишком много запросов: повторите через ${taken.retryAfterSeconds} с`, { retryAfterSeconds: taken.retryAfterSeconds });
  };
}
