import { RunState, scheduleDaily } from '@district/kit';
import type { Collector } from './collector';
import { currentMonth, previousMonth } from './month';

/**
 * The nightly collection: once a day at `at` (district time) it collects the
 * current month, the previous one (which closes it into a report after the
 * month's end) and any month of the last year where a school was stale, so a
 * school that was down catches up by itself. Each month is a recorded run
 * (trigger SCHEDULE), one after the other; a month that fails does not stop
 * the others.
 */
export function scheduleNightly(collector: Collector, at: string, log: (message: string) => void): { stop(): void } {
  return scheduleDaily(
    collector.timezone,
    at,
    async () => {
      const current = currentMonth(collector.timezone);
      for (const month of await collector.monthsToCollect(current, previousMonth(current))) {
        const run = await collector.collect(month, 'SCHEDULE', 'schedule');
        if (run.state === RunState.FAILED) log(`nightly collection of ${month} failed: ${run.error}`);
      }
    },
    (message) => log(`nightly collection: ${message}`),
  );
}
