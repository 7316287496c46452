/** A key for one user action: the API does the change once however often the same key is sent (a retry, a queued resend). */
export function newIdempotencyKey(): string {
  return `web-${crypto.randomUUID()}`;
}
