import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { schoolName } from './labels';

/** The school the section works in: district IT chooses from the registry (or every school, for a search); a director among their own. */
export function SchoolSelect({
  value,
  choices,
  names,
  allowAll,
  onChange,
}: {
  value: string;
  choices: readonly string[];
  names: ReadonlyMap<string, string>;
  allowAll: boolean;
  onChange: (schoolId: string) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  // A school in the address the registry has not listed (yet) stays selectable.
  const options = value && !choices.includes(value) ? [value, ...choices] : choices;
  return (
    <div className="field accounts-school">
      <label htmlFor={id}>{t('accounts.filters.school')}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {allowAll && <option value="">{t('accounts.filters.allSchools')}</option>}
        {options.map((s) => (
          <option key={s} value={s}>
            {schoolName(s, names)}
          </option>
        ))}
      </select>
    </div>
  );
}
