import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import type { CombinedError } from '@urql/core';
import { graphql } from '../../gql';
import { formatShort } from '../../lib/dates';
import { ErrorNotice, Notice } from '../../ui/components';
import { ATTENDANCE_LETTERS, markLabel, parseCell, type AttendanceCode, type Grading } from './entry';
import type { ControlFormOption, GridAttendance, GridLesson, GridMark } from './JournalGrid';
import { newIdempotencyKey } from './use-outbox';

const TeacherEditMark = graphql(`
  mutation TeacherEditMark($id: ID!, $version: Int!, $change: MarkChangeInput!, $reason: String, $idempotencyKey: String!) {
    editMark(id: $id, version: $version, change: $change, reason: $reason, idempotencyKey: $idempotencyKey) {
      applied
      correction {
        id
        status
      }
    }
  }
`);
const TeacherWithdrawMark = graphql(`
  mutation TeacherWithdrawMark($id: ID!, $version: Int!, $reason: String, $idempotencyKey: String!) {
    withdrawMark(id: $id, version: $version, reason: $reason, idempotencyKey: $idempotencyKey) {
      applied
      correction {
        id
        status
      }
    }
  }
`);
const TeacherEditAttendance = graphql(`
  mutation TeacherEditAttendance($id: ID!, $version: Int!, $code: AttendanceCode!, $reason: String, $idempotencyKey: String!) {
    editAttendance(id: $id, version: $version, code: $code, reason: $reason, idempotencyKey: $idempotencyKey) {
      applied
      correction {
        id
        status
      }
    }
  }
`);
const TeacherWithdrawAttendance = graphql(`
  mutation TeacherWithdrawAttendance($id: ID!, $version: Int!, $reason: String, $idempotencyKey: String!) {
    withdrawAttendance(id: $id, version: $version, reason: $reason, idempotencyKey: $idempotencyKey) {
      applied
      correction {
        id
        status
      }
    }
  }
`);

export type EditTarget =
  | { kind: 'mark'; lesson: GridLesson; studentName: string; mark: GridMark }
  | { kind: 'attendance'; lesson: GridLesson; studentName: string; attendance: GridAttendance };

type Action = 'edit' | 'withdraw';
interface Outcome {
  applied: boolean;
}
/** A stale edit: what the journal holds now (from the CONFLICT's `extensions.current`). */
interface Current {
  version: number;
  value?: string;
  code?: AttendanceCode;
}

const CODES: AttendanceCode[] = ['ABSENT', 'ILL', 'EXCUSED', 'LATE'];

/**
 * Changing or withdrawing an entry already in the journal: inside the edit
 * window at once; after it with a reason, as a correction request a deputy
 * decides. A stale version shows both values and lets the teacher choose.
 */
export function EntryEditor({
  target,
  grading,
  controlForms,
  onClose,
  onChanged,
}: {
  target: EditTarget;
  grading: Grading;
  controlForms: ControlFormOption[];
  onClose(): void;
  onChanged(): void;
}) {
  const { t } = useTranslation();
  const isMark = target.kind === 'mark';
  const [value, setValue] = useState(isMark ? markLabel(target.mark.value) : '');
  const [form, setForm] = useState(isMark ? target.mark.formCode : '');
  const [code, setCode] = useState<AttendanceCode>(target.kind === 'attendance' ? target.attendance.code : 'ABSENT');
  const [reason, setReason] = useState('');
  const [version, setVersion] = useState(isMark ? target.mark.version : target.kind === 'attendance' ? target.attendance.version : 0);
  const [conflict, setConflict] = useState<{ action: Action; current: Current } | undefined>();
  const [done, setDone] = useState<Outcome | undefined>();
  const [error, setError] = useState<CombinedError | undefined>();
  const [invalid, setInvalid] = useState<string | undefined>();
  const [, editMark] = useMutation(TeacherEditMark);
  const [, withdrawMark] = useMutation(TeacherWithdrawMark);
  const [, editAttendance] = useMutation(TeacherEditAttendance);
  const [, withdrawAttendance] = useMutation(TeacherWithdrawAttendance);
  const [busy, setBusy] = useState(false);
  const windowClosed = !target.lesson.editWindowOpen;
  const id = isMark ? target.mark.id : target.kind === 'attendance' ? target.attendance.id : '';
  const titleId = `edit-${id}`;

  const submit = async (action: Action, base = version) => {
    setError(undefined);
    setInvalid(undefined);
    let markValue: string | undefined;
    if (isMark && action === 'edit') {
      const parsed = parseCell(value, grading);
      if (!parsed.ok) return setInvalid(t(parsed.problem.key, parsed.problem.values));
      if (parsed.entry.marks.length !== 1 || parsed.entry.attendance) return setInvalid(t('teacher.edit.oneMark'));
      markValue = parsed.entry.marks[0];
    }
    if (windowClosed && reason.trim().length < 5) return setInvalid(t('teacher.edit.reasonNeeded'));
    setBusy(true);
    const common = { id, version: base, reason: reason.trim() || null, idempotencyKey: newIdempotencyKey() };
    const result = isMark
      ? action === 'edit'
        ? await editMark({ ...common, change: { value: markValue, controlForm: form } }).then((r) => ({ error: r.error, outcome: r.data?.editMark }))
        : await withdrawMark(common).then((r) => ({ error: r.error, outcome: r.data?.withdrawMark }))
      : action === 'edit'
        ? await editAttendance({ ...common, code }).then((r) => ({ error: r.error, outcome: r.data?.editAttendance }))
        : await withdrawAttendance(common).then((r) => ({ error: r.error, outcome: r.data?.withdrawAttendance }));
    setBusy(false);
    const stale = result.error?.graphQLErrors.find((e) => e.extensions?.code === 'CONFLICT')?.extensions?.current as Current | undefined;
    if (stale && typeof stale.version === 'number') return setConflict({ action, current: stale });
    if (result.error) return setError(result.error);
    if (result.outcome) {
      setConflict(undefined);
      setDone({ applied: result.outcome.applied });
      onChanged();
    }
  };

  const shown = (c: Current) => (c.value !== undefined ? markLabel(c.value) : c.code ? ATTENDANCE_LETTERS[c.code] : '—');
  const mine = (action: Action) =>
    action === 'withdraw'
      ? t('teacher.edit.withdrawn')
      : isMark
        ? `${value} (${controlForms.find((f) => f.code === form)?.name ?? form})`
        : ATTENDANCE_LETTERS[code];

  return (
    <section className="entry-editor" aria-labelledby={titleId}>
      <h3 id={titleId}>
        {isMark
          ? t('teacher.edit.markTitle', { value: markLabel(target.mark.value), student: target.studentName, date: formatShort(target.lesson.date) })
          : t('teacher.edit.attendanceTitle', {
              letter: ATTENDANCE_LETTERS[target.attendance.code],
              student: target.studentName,
              date: formatShort(target.lesson.date),
            })}
      </h3>
      {done ? (
        <>
          <Notice kind={done.applied ? 'success' : 'info'}>
            <p>{done.applied ? t('teacher.edit.applied') : t('teacher.edit.requested')}</p>
          </Notice>
          <button type="button" className="button button--secondary" onClick={onClose}>
            {t('app.close')}
          </button>
        </>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void submit('edit');
          }}
        >
          {windowClosed && <p className="muted small">{t('teacher.edit.windowClosed')}</p>}
          <div className="entry-editor__fields">
            {isMark ? (
              <>
                <label className="field">
                  {t('teacher.edit.value')}
                  <input value={value} onChange={(e) => setValue(e.target.value)} aria-invalid={invalid ? true : undefined} autoComplete="off" autoFocus />
                </label>
                <label className="field">
                  {t('teacher.edit.form')}
                  <select value={form} onChange={(e) => setForm(e.target.value)}>
                    {controlForms.map((f) => (
                      <option key={f.code} value={f.code}>
                        {f.name} ×{f.weight.toLocaleString('ru-RU')}
                      </option>
                    ))}
                  </select>
                </label>
              </>
            ) : (
              <label className="field">
                {t('teacher.edit.code')}
                <select value={code} onChange={(e) => setCode(e.target.value as AttendanceCode)} autoFocus>
                  {CODES.map((c) => (
                    <option key={c} value={c}>
                      {ATTENDANCE_LETTERS[c]} — {t(`teacher.edit.codes.${c}`)}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <label className="field entry-editor__reason">
              {windowClosed ? t('teacher.edit.reasonRequired') : t('teacher.edit.reasonOptional')}
              <input
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                required={windowClosed}
                minLength={windowClosed ? 5 : undefined}
                maxLength={500}
              />
            </label>
          </div>
          {invalid && (
            <p className="entry-editor__invalid" role="alert">
              {invalid}
            </p>
          )}
          {conflict && (
            <div className="notice notice--warning" role="alert">
              <p>{t('teacher.edit.conflict')}</p>
              <dl className="lesson-record__conflict">
                <dt>{t('teacher.record.yours')}</dt>
                <dd>{mine(conflict.action)}</dd>
                <dt>{t('teacher.record.theirs')}</dt>
                <dd>{shown(conflict.current)}</dd>
              </dl>
              <div className="toolbar">
                <button
                  type="button"
                  className="button button--secondary"
                  onClick={() => {
                    onChanged();
                    onClose();
                  }}
                >
                  {t('teacher.edit.keepCurrent')}
                </button>
                <button
                  type="button"
                  className="button"
                  disabled={busy}
                  onClick={() => {
                    setVersion(conflict.current.version);
                    void submit(conflict.action, conflict.current.version);
                  }}
                >
                  {t('teacher.edit.writeMine')}
                </button>
              </div>
            </div>
          )}
          {error && <ErrorNotice error={error} />}
          <div className="toolbar">
            <button type="submit" className="button" disabled={busy}>
              {windowClosed ? t('teacher.edit.request') : t('teacher.edit.save')}
            </button>
            <button type="button" className="button button--secondary" disabled={busy} onClick={() => void submit('withdraw')}>
              {isMark ? t('teacher.edit.withdrawMark') : t('teacher.edit.withdrawAttendance')}
            </button>
            <button type="button" className="button button--secondary" onClick={onClose}>
              {t('app.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
