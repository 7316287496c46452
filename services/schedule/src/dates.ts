import type { Validator } from '@district/kit';

/** Calendar arithmetic on ISO dates (YYYY-MM-DD), in UTC so no time zone shifts a day. */
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const iso = (d: Date) => d.toISOString().slice(0, 10);

export function addDays(date: string, days: number): string {
  const d = day(date);
  d.setUTCDate(d.getUTCDate() + days);
  return iso(d);
}

/** 1 Пн … 7 Вс. */
export function isoWeekday(date: string): number {
  return day(date).getUTCDay() || 7;
}

export function mondayOf(date: string): string {
  return addDays(date, 1 - isoWeekday(date));
}

/** Days from `from` to `to`, both counted. */
export function daysInclusive(from: string, to: string): number {
  return Math.round((day(to).getTime() - day(from).getTime()) / 86_400_000) + 1;
}

export function eachDate(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) dates.push(d);
  return dates;
}

export function overlaps(aFrom: string, aTo: string | null | undefined, bFrom: string, bTo: string | null | undefined): boolean {
  return aFrom <= (bTo ?? '9999-12-31') && bFrom <= (aTo ?? '9999-12-31');
}

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)(?::00)?$/;

/** 'H:MM' or 'HH:MM' → 'HH:MM:00' as PostgreSQL keeps a `time`. */
export function validTime(v: Validator, field: string, value: string | null | undefined, label: string): string | undefined {
  const text = v.text(field, value, { max: 8, label });
  if (text === undefined) return undefined;
  const m = TIME.exec(text);
  v.check(m !== null, field, `${label}: время вида ЧЧ:ММ, получено «${text}»`);
  return m ? `${m[1]!.padStart(2, '0')}:${m[2]}:00` : undefined;
}

/** '08:30:00' → '08:30' for the API. */
export function shortTime(time: string): string {
  return time.slice(0, 5);
}

/** Dates the API accepts: any date of a sane school calendar. */
export const DATE_RANGE = { min: '2000-01-01', max: '2100-12-31' };
