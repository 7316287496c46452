import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import type { CombinedError } from '@urql/core';
import { useSession } from '../../app/session-context';
import { hasRole } from '../../auth/session';
import { graphql } from '../../gql';
import { Card, ErrorNotice, Loading, Notice, PageHeader } from '../../ui/components';
import { errorCode, fieldProblems } from './problems';
import './control.css';

const RulesControlForms = graphql(`
  query ControlRules($schoolId: ID!) {
    controlForms(schoolId: $schoolId) {
      code
      name
      weight
    }
    journalSettings(schoolId: $schoolId) {
      editWindowDays
      timezone
      version
    }
  }
`);

const RulesSetControlForm = graphql(`
  mutation ControlSetControlForm($schoolId: ID!, $code: String!, $name: String!, $weight: Float!, $active: Boolean!) {
    setControlForm(schoolId: $schoolId, code: $code, name: $name, weight: $weight, active: $active) {
      code
      name
      weight
    }
  }
`);

const RulesSetEditWindow = graphql(`
  mutation ControlSetEditWindow($schoolId: ID!, $days: Int!, $version: Int!) {
    setEditWindow(schoolId: $schoolId, editWindowDays: $days, version: $version) {
      editWindowDays
      timezone
      version
    }
  }
`);

/** Decimal comma in, number out: «1,5» → 1.5; NaN for anything else. */
export function parseWeight(text: string): number {
  const normalized = text.trim().replace(',', '.');
  return /^\d+(\.\d+)?$/.test(normalized) ? Number(normalized) : Number.NaN;
}

const weightText = (w: number) => w.toLocaleString('ru-RU', { maximumFractionDigits: 2 });

/** The director's rules for the journal: forms of control with their weights, and the edit window. */
export default function RulesPage() {
  const { t } = useTranslation();
  const session = useSession();
  const schoolId = session.schoolIds[0];
  const director = hasRole(session, 'school-admin');
  const [result, refetch] = useQuery({ query: RulesControlForms, variables: { schoolId: schoolId ?? '' }, pause: !schoolId || !director });
  if (!director) return <Notice kind="info">{t('control.rules.forbidden')}</Notice>;
  if (!schoolId) return <Notice kind="warning">{t('control.noSchool')}</Notice>;
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <>
      <PageHeader title={t('control.rules.title')}>
        <span className="muted">{t('control.school', { school: schoolId })}</span>
      </PageHeader>
      {result.fetching && !result.data && <Loading />}
      {result.error && <ErrorNotice error={result.error} onRetry={reload} />}
      {result.data && (
        <>
          <EditWindowCard schoolId={schoolId} settings={result.data.journalSettings} onSaved={reload} />
          <ControlFormsCard schoolId={schoolId} forms={result.data.controlForms} onSaved={reload} />
        </>
      )}
    </>
  );
}

function EditWindowCard({ schoolId, settings, onSaved }: { schoolId: string; settings: { editWindowDays: number; version: number }; onSaved: () => void }) {
  const { t } = useTranslation();
  const inputId = useId();
  const errorId = useId();
  const [days, setDays] = useState(String(settings.editWindowDays));
  const [state, save] = useMutation(RulesSetEditWindow);
  const [error, setError] = useState<CombinedError | undefined>();
  const [saved, setSaved] = useState<number | undefined>();
  const [conflict, setConflict] = useState<number | undefined>();
  useEffect(() => setDays(String(settings.editWindowDays)), [settings.editWindowDays]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(undefined);
    setConflict(undefined);
    setError(undefined);
    const value = Number(days.trim());
    const answer = await save({ schoolId, days: Number.isInteger(value) && days.trim() !== '' ? value : -1, version: settings.version });
    if (answer.error) {
      if (errorCode(answer.error) === 'CONFLICT') {
        const current = (answer.error.graphQLErrors[0]?.extensions?.current as { editWindowDays?: unknown } | undefined)?.editWindowDays;
        setConflict(typeof current === 'number' ? current : undefined);
        onSaved();
      } else setError(answer.error);
      return;
    }
    setSaved(answer.data?.setEditWindow.editWindowDays);
    onSaved();
  };
  const problems = fieldProblems(error);
  const problem = problems.editWindowDays;

  return (
    <Card title={t('control.rules.window.heading')} labelledBy="rules-window">
      <p className="muted">{t('control.rules.window.explain')}</p>
      <form className="toolbar control-rules-form" onSubmit={(e) => void submit(e)} noValidate>
        <label className="field" htmlFor={inputId}>
          {t('control.rules.window.days')}
          <input
            id={inputId}
            type="number"
            inputMode="numeric"
            min={0}
            max={30}
            value={days}
            onChange={(e) => setDays(e.target.value)}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? errorId : undefined}
          />
          {problem && (
            <span id={errorId} className="control-field-error">
              {problem}
            </span>
          )}
        </label>
        <button type="submit" className="button" disabled={state.fetching}>
          {t('control.rules.window.save')}
        </button>
      </form>
      <div aria-live="polite">
        {saved !== undefined && <Notice kind="success">{t('control.rules.window.saved', { count: saved })}</Notice>}
        {conflict !== undefined && <Notice kind="warning">{t('control.rules.window.conflict', { current: conflict })}</Notice>}
        {error && !problem && <ErrorNotice error={error} />}
      </div>
    </Card>
  );
}

interface Form {
  code: string;
  name: string;
  weight: number;
}

function ControlFormsCard({ schoolId, forms, onSaved }: { schoolId: string; forms: readonly Form[]; onSaved: () => void }) {
  const { t } = useTranslation();
  const [message, setMessage] = useState<string | undefined>();
  const done = (text: string) => {
    setMessage(text);
    onSaved();
  };
  return (
    <Card title={t('control.rules.forms.heading')} labelledBy="rules-forms">
      <p className="muted">{t('control.rules.forms.explain')}</p>
      <div aria-live="polite">{message && <Notice kind="success">{message}</Notice>}</div>
      {forms.length === 0 && <p className="muted">{t('control.rules.forms.empty')}</p>}
      <ul className="control-forms">
        {forms.map((f) => (
          <li key={f.code}>
            <ControlFormRow schoolId={schoolId} form={f} onDone={done} />
          </li>
        ))}
      </ul>
      <h3>{t('control.rules.forms.add')}</h3>
      <ControlFormRow schoolId={schoolId} onDone={done} />
    </Card>
  );
}

/** One form of control as a small form: an existing one (name and weight editable) or a new one (with its code). */
function ControlFormRow({ schoolId, form, onDone }: { schoolId: string; form?: Form; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const base = useId();
  const [code, setCode] = useState(form?.code ?? '');
  const [name, setName] = useState(form?.name ?? '');
  const [weight, setWeight] = useState(form ? weightText(form.weight) : '');
  const [state, save] = useMutation(RulesSetControlForm);
  const [error, setError] = useState<CombinedError | undefined>();
  const problems = fieldProblems(error);

  const submit = async (active: boolean) => {
    setError(undefined);
    const w = parseWeight(weight);
    const answer = await save({ schoolId, code: code.trim(), name: name.trim(), weight: Number.isNaN(w) ? -1 : w, active });
    if (answer.error) return setError(answer.error);
    const saved = answer.data!.setControlForm;
    if (!form) {
      setCode('');
      setName('');
      setWeight('');
    }
    onDone(active ? t('control.rules.forms.saved', { name: saved.name }) : t('control.rules.forms.deactivated', { name: saved.name }));
  };

  const field = (key: 'code' | 'name' | 'weight', label: string, value: string, set: (v: string) => void, extra: Record<string, unknown> = {}) => (
    <label className="field" htmlFor={`${base}-${key}`}>
      {label}
      <input
        id={`${base}-${key}`}
        value={value}
        onChange={(e) => set(e.target.value)}
        aria-invalid={problems[key] ? true : undefined}
        aria-describedby={problems[key] ? `${base}-${key}-error` : undefined}
        {...extra}
      />
      {problems[key] && (
        <span id={`${base}-${key}-error`} className="control-field-error">
          {problems[key]}
        </span>
      )}
    </label>
  );

  return (
    <form
      className="control-form-row"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit(true);
      }}
    >
      {form ? (
        <div className="field">
          <span>{t('control.rules.forms.code')}</span>
          <code className="control-code">{form.code}</code>
        </div>
      ) : (
        field('code', t('control.rules.forms.code'), code, setCode, { placeholder: t('control.rules.forms.codeHint'), autoCapitalize: 'characters' })
      )}
      {field('name', t('control.rules.forms.name'), name, setName, form ? { 'aria-label': t('control.rules.forms.nameOf', { code: form.code }) } : {})}
      {field('weight', t('control.rules.forms.weight'), weight, setWeight, {
        inputMode: 'decimal',
        ...(form ? { 'aria-label': t('control.rules.forms.weightOf', { code: form.code }) } : {}),
      })}
      <div className="toolbar control-form-row__actions">
        <button type="submit" className="button" disabled={state.fetching}>
          {form ? t('control.rules.forms.save') : t('control.rules.forms.addButton')}
        </button>
        {form && (
          <button type="button" className="button button--secondary" disabled={state.fetching} onClick={() => void submit(false)}>
            {t('control.rules.forms.deactivate')}
          </button>
        )}
      </div>
      {error && Object.keys(problems).length === 0 && (
        <div className="control-form-row__error">
          <ErrorNotice error={error} />
        </div>
      )}
    </form>
  );
}
