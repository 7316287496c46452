import { currentMonth, isMonthOver, previousMonth, requireMonth } from '../src/collection/month';

describe('months', () => {
  const now = new Date('2026-11-28T12:00:00Z');
  it('are the district’s months: 21:30 UTC on 31 Oct is already November in Moscow (UTC+3)', () => {
    expect(currentMonth('Europe/Moscow', new Date('2026-10-31T21:30:00Z'))).toBe('2026-11');
    expect(currentMonth('UTC', new Date('2026-10-31T21:30:00Z'))).toBe('2026-10');
  });
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
