import { DomainError, Validator } from '@district/kit';
import type { JournalContext } from '../context';
import type { ProgressPeriodInput } from './progress.inputs';

/** The longest date range one request may cover (a leap year). */
export const MAX_PERIOD_DAYS = 366;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ACADEMIC_YEAR = /^(\d{4})\/(\d{4})$/;

/** What the caller asked for, checked for shape (no database yet). */
export type PeriodRequest = { kind: 'range'; from: string; to: string } | { kind: 'term'; academicYear: string; termNumber: number };

/**
 * The resolved period. A term period is the lessons of the term(s) found
 * (`lesson_facts.term_id`), so each class counts its own term where a school
 * runs quarters and half-years side by side; a range is every lesson dated in it.
 */
export interface ProgressPeriod {
  from: string;
  to: string;
  termName: string | null;
  /** The terms of a term period; null for a date range. */
  termIds: number[] | null;
}

const given = (s: string | null | undefined): s is string => typeof s === 'string' && s.trim() !== '';

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function isoDate(v: Validator, field: 'from' | 'to', value: string | null | undefined, label: string): string | undefined {
  const text = value?.trim() ?? '';
  if (!ISO_DATE.test(text)) {
    v.check(false, field, `${label}: дата в формате ГГГГ-ММ-ДД, например 2026-11-02${text ? ` (получено «${text}»)` : ''}`);
    return undefined;
  }
  // Rejects calendar impossibilities such as 2026-02-30.
  return v.date(field, text, { label, min: '2000-01-01', max: '2100-12-31' });
}

/** Checks the input's shape: exactly one of the two forms, well-formed dates or year and term. */
export function parsePeriod(input: ProgressPeriodInput): PeriodRequest {
  const range = given(input.from) || given(input.to);
  const term = given(input.academicYear) || (input.termNumber !== null && input.termNumber !== undefined);
  if (range && term) {
    throw DomainError.invalid('Укажите период одним способом: либо даты from и to, либо учебный год и номер периода', [
      { field: 'period', message: 'Даты и учебный период одновременно' },
    ]);
  }
  if (!range && !term) {
    throw DomainError.invalid('Укажите период: даты from и to или учебный год (academicYear) и номер периода (termNumber)', [
      { field: 'period', message: 'Период не указан' },
    ]);
  }
  const v = new Validator();
  if (range) {
    const from = isoDate(v, 'from', input.from, 'Начало периода');
    const to = isoDate(v, 'to', input.to, 'Конец периода');
    if (from && to) {
      v.check(to >= from, 'to', 'Конец периода раньше его начала');
      v.check(daysBetween(from, to) + 1 <= MAX_PERIOD_DAYS, 'to', `Период не длиннее ${MAX_PERIOD_DAYS} дней`);
    }
    v.done('Период указан неверно');
    return { kind: 'range', from: from!, to: to! };
  }
  const year = ACADEMIC_YEAR.exec(input.academicYear?.trim() ?? '');
  v.check(
    year !== null && Number(year[2]) === Number(year[1]) + 1,
    'academicYear',
    `Учебный год в формате ГГГГ/ГГГГ, например 2026/2027${given(input.academicYear) ? ` (получено «${input.academicYear}»)` : ''}`,
  );
  const termNumber = v.int('termNumber', input.termNumber, { min: 1, max: 4, label: 'Номер периода (четверти, триместра, полугодия)' });
  v.done('Период указан неверно');
  return { kind: 'term', academicYear: input.academicYear!.trim(), termNumber: termNumber! };
}

/**
 * The school's today and, for a term period, its terms, in one statement.
 * schedule.term_facts has no academic year name, so the year is found through
 * the class groups the school's assignments of that year teach
 * (people.class_group_facts.academic_year) — published views only.
 */
const RESOLVE_SQL = `
select to_char(now() at time zone s.timezone, 'YYYY-MM-DD') as today,
       (select coalesce(json_agg(json_build_object('termId', t.term_id, 'name', t.name, 'startDate', t.start_date, 'endDate', t.end_date)
                                 order by t.years_from, t.term_id), '[]'::json)
        from schedule.term_facts t
        where t.number = ?
          and t.academic_year_id in (select a.academic_year_id from schedule.assignment_facts a
                                     join people.class_group_facts cg on cg.class_group_id = a.class_group_id
                                     where cg.academic_year = ?)) as terms
from journal.settings s where s.id = 1`;

interface TermRow {
  termId: number;
  name: string;
  startDate: string;
  endDate: string;
}

export async function resolvePeriod(ctx: JournalContext, request: PeriodRequest): Promise<ProgressPeriod> {
  const term = request.kind === 'term' ? request : null;
  const [row] = await ctx.em.execute<{ today: string; terms: TermRow[] }[]>(RESOLVE_SQL, [term?.termNumber ?? null, term?.academicYear ?? null]);
  const today = row!.today;
  if (request.kind === 'range') {
    if (request.from > today)
      throw DomainError.invalid(`Период ещё не начался: ${request.from} позже сегодняшнего дня (${today})`, [
        { field: 'from', message: 'Начало периода в будущем' },
      ]);
    return { from: request.from, to: request.to, termName: null, termIds: null };
  }
  const terms = row!.terms;
  if (terms.length === 0) throw DomainError.notFound('Учебный период', `${request.academicYear}, № ${request.termNumber}`);
  const from = terms.map((t) => t.startDate).reduce((a, b) => (a < b ? a : b));
  const to = terms.map((t) => t.endDate).reduce((a, b) => (a > b ? a : b));
  if (from > today) {
    throw DomainError.invalid(`Учебный период ${request.academicYear}, № ${request.termNumber} ещё не начался (начало ${from})`, [
      { field: 'termNumber', message: 'Период в будущем' },
    ]);
  }
  return { from, to, termName: [...new Set(terms.map((t) => t.name))].join(' / '), termIds: terms.map((t) => Number(t.termId)) };
}
