import type { Collector } from './collector';
import { currentMonth, previousMonth } from './month';

function localClock(timezone: string, now: Date): { date: string; time: string } {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` };
}

/**
 * The nightly collection: once a day at `at` (district time) it collects the
 * current month, the previous one (which closes it into a report after the
 * month's end) and any month of the last year where a school was stale, so a
 * school that was down catches up by itself. Checked every 30 s rather than
 * one long timer, so clock changes and sleeps do not skip a night.
 */
export function scheduleNightly(collector: Collector, at: string, log: (message: string) => void): { stop(): void } {
  // Started after today's time: the next run is tomorrow's (a restart does not re-run the night).
  const started = localClock(collector.timezone, new Date());
  let lastDay = started.time >= at ? started.date : '';
  let running = false;
  const tick = async () => {
    const now = localClock(collector.timezone, new Date());
    if (running || now.date === lastDay || now.time < at) return;
    lastDay = now.date;
    running = true;
    try {
      const current = currentMonth(collector.timezone);
      for (const month of await collector.monthsToCollect(current, previousMonth(current))) {
        await collector.collect(month, 'SCHEDULE', 'schedule');
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
