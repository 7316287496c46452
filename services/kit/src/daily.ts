import { z } from 'zod';

/** A daily job's local time in the environment: HH:MM (24-hour, district time) or "off". */
export const dailyAtEnv = (fallback: string) =>
  z
    .string()
    .regex(/^(off|([01]\d|2[0-3]):[0-5]\d)$/, 'HH:MM or off')
    .default(fallback);

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

/** The day's run is due once the local time has reached `at` on a day that has not had its run yet. */
export function dailyDue(now: LocalClock, at: string, lastRunDay: string): boolean {
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
 * Runs `job` once a day at `at` (district time), one run at a time; a job's
 * failure is logged and waits for the next day. Checked every 30 s rather
 * than one long timer, so clock changes and sleeps do not skip a day.
 */
export function scheduleDaily(timezone: string, at: string, job: (day: string) => Promise<void>, log: (message: string) => void): { stop(): void } {
  let lastRunDay = initialRunDay(localClock(timezone, new Date()), at);
  let running = false;
  const tick = async () => {
    const now = localClock(timezone, new Date());
    if (running || !dailyDue(now, at, lastRunDay)) return;
    lastRunDay = now.date;
    running = true;
    try {
      await job(now.date);
    } catch (error) {
      log(`daily job failed: ${(error as Error).message}`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), 30_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
