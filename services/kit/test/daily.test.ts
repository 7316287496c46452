import { dailyAtEnv, dailyDue, initialRunDay, localClock, scheduleDaily } from '../src/daily';

describe('a daily job in district time (the nightly collection, the nightly account fix)', () => {
  it('reads the clock in the district’s time zone', () => {
    // 21:30 UTC on 31 Oct is already 1 Nov, 00:30 in Moscow (UTC+3).
    expect(localClock('Europe/Moscow', new Date('2026-10-31T21:30:00Z'))).toEqual({ date: '2026-11-01', time: '00:30' });
    expect(localClock('UTC', new Date('2026-10-31T21:30:00Z'))).toEqual({ date: '2026-10-31', time: '21:30' });
  });

  it('runs once a day, at or after the set time', () => {
    expect(dailyDue({ date: '2026-11-28', time: '02:59' }, '03:00', '2026-11-27')).toBe(false);
    expect(dailyDue({ date: '2026-11-28', time: '03:00' }, '03:00', '2026-11-27')).toBe(true);
    expect(dailyDue({ date: '2026-11-28', time: '03:00' }, '03:00', '2026-11-28')).toBe(false);
    // A machine asleep at 03:00 runs when it wakes, the same day.
    expect(dailyDue({ date: '2026-11-28', time: '09:15' }, '03:00', '2026-11-27')).toBe(true);
  });

  it('a start before the set time still runs that night; a restart after it does not run it again', () => {
    expect(initialRunDay({ date: '2026-11-28', time: '01:00' }, '03:00')).toBe('');
    expect(initialRunDay({ date: '2026-11-28', time: '14:00' }, '03:00')).toBe('2026-11-28');
  });

  it('takes HH:MM or off from the environment, nothing else', () => {
    expect(dailyAtEnv('03:00').parse(undefined)).toBe('03:00');
    expect(dailyAtEnv('03:00').parse('off')).toBe('off');
    expect(dailyAtEnv('03:00').parse('23:59')).toBe('23:59');
    expect(dailyAtEnv('03:00').safeParse('24:00').success).toBe(false);
    expect(dailyAtEnv('03:00').safeParse('3:00').success).toBe(false);
  });

  it('runs the job once for the day with the district date, and a failure is logged, not thrown', async () => {
    jest.useFakeTimers({ now: new Date('2026-11-28T00:30:00Z') }); // 03:30 in Moscow
    try {
      const days: string[] = [];
      const logged: string[] = [];
      const schedule = scheduleDaily(
        'Europe/Moscow',
        '03:00',
        async (day) => {
          days.push(day);
          throw new Error('school s001 down');
        },
        (m) => logged.push(m),
      );
      // Started after 03:00: today's run counts as done; the next is tomorrow's.
      await jest.advanceTimersByTimeAsync(60_000);
      expect(days).toEqual([]);
      await jest.advanceTimersByTimeAsync(24 * 3600_000);
      expect(days).toEqual(['2026-11-29']);
      expect(logged).toEqual(['daily job failed: school s001 down']);
      schedule.stop();
      await jest.advanceTimersByTimeAsync(24 * 3600_000);
      expect(days).toEqual(['2026-11-29']);
    } finally {
      jest.useRealTimers();
    }
  });
});
