/**
 * How a process stops: one SIGINT/SIGTERM handler for the whole process, and
 * the things it started stopped in reverse order (the gateway before the
 * schools it calls, a service before its database pool), with a hard deadline
 * after which the process exits 1 naming what did not stop. Libraries must not
 * register their own signal handlers (Apollo Server's are turned off with
 * `stopOnTerminationSignals: false`): several handlers racing to stop the same
 * server is what made the demo hang.
 */

export interface LifecycleOptions {
  /** The process's name in log lines, e.g. "journal" or "demo". */
  name: string;
  /** After this long the pending stoppers are named and the process exits 1 (default 10 s). */
  deadlineMs?: number;
  log?: (line: string) => void;
}

interface Stopper {
  name: string;
  stop: () => Promise<void> | void;
}

export class Lifecycle {
  private readonly stoppers: Stopper[] = [];
  private stopping?: Promise<number>;

  constructor(readonly options: LifecycleOptions) {}

  /** Registers something to stop; the last registered stops first. */
  add(name: string, stop: () => Promise<void> | void): void {
    this.stoppers.push({ name, stop });
  }

  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  /**
   * Stops everything once (later calls get the same result): resolves with the
   * exit code, 0 when all stopped, 1 when one failed or the deadline passed.
   */
  stop(reason: string): Promise<number> {
    this.stopping ??= this.run(reason);
    return this.stopping;
  }

  private async run(reason: string): Promise<number> {
    const { name, deadlineMs = 10_000 } = this.options;
    const log = this.options.log ?? ((line: string) => console.log(line));
    const started = Date.now();
    const order = [...this.stoppers].reverse();
    log(`[${name}] ${reason}: stopping ${order.length ? order.map((s) => s.name).join(', ') : '(nothing started yet)'}`);
    let current = 0;
    let timer: NodeJS.Timeout | undefined;
    // Not unref'd on purpose: a stopper stuck on a promise that holds no handle
    // would otherwise let the event loop empty and the process exit 0 as if all went well.
    const deadline = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        const notReached = order.slice(current + 1).map((s) => s.name);
        log(
          `[${name}] did not stop within ${deadlineMs} ms: still stopping ${order[current]?.name}${notReached.length ? `; not reached: ${notReached.join(', ')}` : ''}`,
        );
        resolve(1);
      }, deadlineMs);
    });
    const all = (async () => {
      let code = 0;
      for (; current < order.length; current++) {
        const stopper = order[current]!;
        try {
          await stopper.stop();
        } catch (error) {
          code = 1;
          log(`[${name}] stopping ${stopper.name} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      return code;
    })();
    const code = await Promise.race([all, deadline]);
    clearTimeout(timer);
    if (code === 0) log(`[${name}] stopped in ${Date.now() - started} ms`);
    return code;
  }
}

let installed: Lifecycle | undefined;

/**
 * The process's lifecycle. The first call installs the one SIGINT/SIGTERM
 * handler (a second signal while stopping is ignored: the deadline bounds the
 * wait); later calls return the same lifecycle, so each entry point and the
 * demo share it.
 */
export function processLifecycle(options: LifecycleOptions): Lifecycle {
  if (installed) return installed;
  const lifecycle = new Lifecycle(options);
  installed = lifecycle;
  const onSignal = (signal: NodeJS.Signals) => {
    if (lifecycle.isStopping) {
      (options.log ?? console.log)(`[${options.name}] ${signal} received while stopping; waiting (at most ${options.deadlineMs ?? 10_000} ms)`);
      return;
    }
    void lifecycle.stop(signal).then((code) => process.exit(code));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return lifecycle;
}
