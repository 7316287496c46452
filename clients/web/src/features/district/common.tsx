import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { CombinedError } from '@urql/core';
import { describeError } from '../../api/errors';
import { formatMonth, todayIso } from '../../lib/dates';
import { Notice } from '../../ui/components';
import { lastMonths, monthOf } from './figures';

/** The district's current month (Europe/Moscow): the latest month monitoring answers for. */
export const currentMonth = () => monthOf(todayIso());

/** «Ноябрь 2026» */
export function monthLabel(month: string): string {
  const text = formatMonth(month).replace(/\s*г\.$/, '');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A month of the last year, newest first (monitoring keeps a year; the future is refused by the API). */
export function MonthSelect({ value, onChange, label, months }: { value: string; onChange: (month: string) => void; label: string; months?: string[] }) {
  const id = useId();
  const options = months ?? lastMonths(currentMonth(), 12).reverse();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map((m) => (
          <option key={m} value={m}>
            {monthLabel(m)}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * What went wrong beside data that did arrive: a school that did not answer is
 * named (the others' data is shown), other errors in the app's words.
 */
export function QueryProblems({
  error,
  schoolNames,
  onRetry,
}: {
  error: CombinedError | undefined;
  schoolNames?: ReadonlyMap<string, string>;
  onRetry?: () => void;
}) {
  const { t } = useTranslation();
  if (!error) return null;
  const shown = describeError(error, t);
  const onlySchools = shown.every((e) => e.code === 'SCHOOL_UNAVAILABLE');
  return (
    <Notice kind={onlySchools ? 'warning' : 'error'}>
      {shown.map((e, i) => (
        <p key={i}>{e.code === 'SCHOOL_UNAVAILABLE' ? t('district.schoolUnavailable', { school: schoolLabel(e.schoolId, schoolNames) }) : e.message}</p>
      ))}
      {onRetry && (
        <button type="button" className="button button--secondary" onClick={onRetry}>
          {t('app.retry')}
        </button>
      )}
    </Notice>
  );
}

export function schoolLabel(schoolId: string | undefined, names?: ReadonlyMap<string, string>): string {
  if (!schoolId) return '';
  const name = names?.get(schoolId);
  return name ? `${name} (${schoolId})` : schoolId;
}
