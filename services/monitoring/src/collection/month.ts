import { DomainError } from '@district/kit';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The calendar month (YYYY-MM) it is now in the district's time zone. */
export function currentMonth(timezone: string, now = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit' }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}`;
}

/** The month before a YYYY-MM month. */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** A valid month that has begun (district time): otherwise BAD_USER_INPUT with a Russian message. */
export function requireMonth(month: string, timezone: string, now = new Date()): string {
  if (!MONTH.exec(month))
    throw DomainError.invalid(`Месяц указывается как ГГГГ-ММ, например 2026-11: «${month}»`, [{ field: 'month', message: 'Формат ГГГГ-ММ' }]);
  if (month > currentMonth(timezone, now)) throw DomainError.invalid(`Месяц ${month} ещё не наступил`, [{ field: 'month', message: 'Месяц в будущем' }]);
  return month;
}

/** A month is closed into a report once it has ended (district time). */
export function isMonthOver(month: string, timezone: string, now = new Date()): boolean {
  return month < currentMonth(timezone, now);
}
