import { RunState } from '@district/kit';
import type { Collector } from './collector';
import { currentMonth, previousMonth } from './month';

export interface LocalClock {
  /** YYYY-MM-DD in the district's time zone. */
  date: string;
  /** HH:MM, 24-hour, in the district's time zone. */
  time: string;
}

export function localClock(timezone: string, now: Date): LocalClock {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` };
}

/** The night's run is due once the local time has reached `at` on a day that has not had its run yet. */
export function nightlyDue(now: LocalClock, at: string, lastRunDay: string): boolean {
  return now.date !== lastRunDay && now.time >= at;
}

/**
 * The day whose run counts as done when the service starts: today if `at` has
 * already passed (a restart in the afternoon does not re-run the night), else
 * none (a start at 01:00 still runs at 03:00).
 */
export function initialRunDay(started: LocalClock, at: string): string {
  return started.time >= at ? started.date : '';
}

/**
 * The nightly collection: once a day at `at` (district time) it collects the
 * current month, the previous one (which closes it into a report after the
 * month's end) and any month of the last year where a school was stale, so a
 * school that was down catches up by itself. Each month is a recorded run
 * (trigger SCHEDULE), one after the other; a month that fails does not stop
 * the others. Checked every 30 s rather than one long timer, so clock changes
 * and sleeps do not skip a night.
 */
export function scheduleNightly(collector: Collector, at: string, log: (message: string) => void): { stop(): void } {
  let lastRunDay = initialRunDay(localClock(collector.timezone, new Date()), at);
  let running = false;
  const tick = async () => {
    const now = localClock(collector.timezone, new Date());
    if (running || !nightlyDue(now, at, lastRunDay)) return;
    lastRunDay = now.date;
    running = true;
    try {
      const current = currentMonth(collector.timezone);
      for (const month of await collector.monthsToCollect(current, previousMonth(current))) {
        const run = await collector.collect(month, 'SCHEDULE', 'schedule');
        if (run.state === RunState.FAILED) log(`nightly collection of ${month} failed: ${run.error}`);
      }
    } catch (error) {
      log(`nightly collection failed: ${(error as Error).message}`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), 30_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
