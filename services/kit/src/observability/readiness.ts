import { databaseUnavailableReason } from '../errors';
import { withTimeout } from '../timeout';

/** A readiness check: resolves when that part is ready, rejects (or times out) when not. */
export type ReadinessCheck = () => Promise<void>;

/** The answer a check's failure gets in the /ready body: short, and without hosts or SQL. */
function problemOf(error: unknown): { short: string; reason: string } {
  const database = databaseUnavailableReason(error);
  if (database) return { short: 'unreachable', reason: `DATABASE_UNAVAILABLE (${database})` };
  const reason = error instanceof Error ? error.message : String(error);
  return { short: reason, reason };
}

/**
 * Runs the checks at once, each bounded by `timeoutMs` (a black-holed host
 * answers "not ready" now, not at its connect timeout), and reports the ones
 * that failed: name → short problem for the body, and the longer reason for
 * the log.
 */
export async function failedChecks(checks: Record<string, ReadinessCheck>, timeoutMs: number): Promise<Map<string, { short: string; reason: string }>> {
  const results = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        await withTimeout(check(), timeoutMs, () => new Error(`no answer within ${timeoutMs} ms`));
        return undefined;
      } catch (error) {
        return [name, problemOf(error)] as const;
      }
    }),
  );
  return new Map(results.filter((r) => r !== undefined));
}

/**
 * Remembers whether the process was ready at the last probe, so a change is
 * logged once each way rather than on every probe.
 */
export class ReadinessNotices {
  private notReady?: string;

  constructor(private readonly log: (line: string) => void) {}

  observe(failed: Map<string, { reason: string }>): void {
    if (failed.size === 0) {
      if (this.notReady !== undefined) this.log('ready again');
      this.notReady = undefined;
      return;
    }
    const now = [...failed].map(([name, { reason }]) => `${name} ${reason}`).join('; ');
    if (this.notReady === undefined) this.log(`not ready: ${now}`);
    this.notReady = now;
  }
}
