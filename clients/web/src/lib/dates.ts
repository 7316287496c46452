/** Dates the Russian way, in the district's time zone (Europe/Moscow), whatever the device's zone. */
export const ZONE = 'Europe/Moscow';

const dayMonth = new Intl.DateTimeFormat('ru-RU', { day: 'numeric', month: 'long', timeZone: 'UTC' });
const weekdayLong = new Intl.DateTimeFormat('ru-RU', { weekday: 'long', timeZone: 'UTC' });
const weekdayShort = new Intl.DateTimeFormat('ru-RU', { weekday: 'short', timeZone: 'UTC' });
const short = new Intl.DateTimeFormat('ru-RU', { day: '2-digit', month: '2-digit', timeZone: 'UTC' });
const monthYear = new Intl.DateTimeFormat('ru-RU', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const dateTime = new Intl.DateTimeFormat('ru-RU', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone: ZONE });
const fullDateTime = new Intl.DateTimeFormat('ru-RU', {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: ZONE,
});

/** An ISO calendar date (2026-11-23) as a UTC midnight, so formatting never shifts the day. */
function utc(iso: string): Date {
  return new Date(`${iso.slice(0, 10)}T00:00:00Z`);
}

/** Today in the district (the school day a teacher means by "today"). */
export function todayIso(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(now);
}

export function addDays(iso: string, days: number): string {
  const d = utc(iso);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Monday of the week holding the date. */
export function mondayOf(iso: string): string {
  const d = utc(iso);
  return addDays(iso, -((d.getUTCDay() + 6) % 7));
}

/** «23 ноября» */
export const formatDayMonth = (iso: string) => dayMonth.format(utc(iso));
/** «понедельник» */
export const formatWeekday = (iso: string) => weekdayLong.format(utc(iso));
/** «пн» */
export const formatWeekdayShort = (iso: string) => weekdayShort.format(utc(iso));
/** «23.11» */
export const formatShort = (iso: string) => short.format(utc(iso));
/** «ноябрь 2026 г.» */
export const formatMonth = (month: string) => monthYear.format(utc(`${month}-01`));
/** A moment (ISO timestamp) in Moscow time: «23 нояб., 14:05» */
export const formatMoment = (iso: string) => dateTime.format(new Date(iso));
/** A moment with its year, in Moscow time: «23.11.2026, 14:05» (a last login may be months ago). */
export const formatDateTime = (iso: string) => fullDateTime.format(new Date(iso));

/** «23 – 28 ноября» for a school week. */
export function formatWeek(monday: string): string {
  const saturday = addDays(monday, 5);
  const sameMonth = monday.slice(5, 7) === saturday.slice(5, 7);
  return sameMonth ? `${utc(monday).getUTCDate()} – ${formatDayMonth(saturday)}` : `${formatDayMonth(monday)} – ${formatDayMonth(saturday)}`;
}

/** Decimal comma, as Russian schools write averages: 4,67 */
export function formatAverage(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined) return '—';
  return value.toLocaleString('ru-RU', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function formatPercent(share: number | null | undefined): string {
  if (share === null || share === undefined) return '—';
  return `${(share * 100).toLocaleString('ru-RU', { maximumFractionDigits: 1 })} %`;
}
