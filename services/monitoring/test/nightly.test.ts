import { initialRunDay, localClock, nightlyDue } from '../src/collection/nightly';
import { currentMonth, isMonthOver, previousMonth, requireMonth } from '../src/collection/month';

describe('the nightly collection schedule (district time)', () => {
  it('reads the clock in the district’s time zone', () => {
    // 21:30 UTC on 31 Oct is already 1 Nov, 00:30 in Moscow (UTC+3).
    expect(localClock('Europe/Moscow', new Date('2026-10-31T21:30:00Z'))).toEqual({ date: '2026-11-01', time: '00:30' });
    expect(currentMonth('Europe/Moscow', new Date('2026-10-31T21:30:00Z'))).toBe('2026-11');
    expect(currentMonth('UTC', new Date('2026-10-31T21:30:00Z'))).toBe('2026-10');
  });

  it('runs once a night, at or after the set time', () => {
    expect(nightlyDue({ date: '2026-11-28', time: '02:59' }, '03:00', '2026-11-27')).toBe(false);
    expect(nightlyDue({ date: '2026-11-28', time: '03:00' }, '03:00', '2026-11-27')).toBe(true);
    expect(nightlyDue({ date: '2026-11-28', time: '03:00' }, '03:00', '2026-11-28')).toBe(false);
    // A machine asleep at 03:00 runs when it wakes, the same day.
    expect(nightlyDue({ date: '2026-11-28', time: '09:15' }, '03:00', '2026-11-27')).toBe(true);
  });

  it('a start before the set time still runs that night; a restart after it does not run it again', () => {
    expect(initialRunDay({ date: '2026-11-28', time: '01:00' }, '03:00')).toBe('');
    expect(initialRunDay({ date: '2026-11-28', time: '14:00' }, '03:00')).toBe('2026-11-28');
  });
});

describe('months', () => {
  const now = new Date('2026-11-28T12:00:00Z');
  it('validates a month: format and not in the future', () => {
    expect(requireMonth('2026-11', 'Europe/Moscow', now)).toBe('2026-11');
    expect(() => requireMonth('2026-12', 'Europe/Moscow', now)).toThrow(/ещё не наступил/);
    expect(() => requireMonth('2026-1', 'Europe/Moscow', now)).toThrow(/ГГГГ-ММ/);
    expect(() => requireMonth('2026-00', 'Europe/Moscow', now)).toThrow(/ГГГГ-ММ/);
  });
  it('a month is over (and closes into a report) only after its last day', () => {
    expect(isMonthOver('2026-10', 'Europe/Moscow', now)).toBe(true);
    expect(isMonthOver('2026-11', 'Europe/Moscow', now)).toBe(false);
    expect(previousMonth('2026-01')).toBe('2025-12');
    expect(previousMonth('2026-11')).toBe('2026-10');
  });
});
