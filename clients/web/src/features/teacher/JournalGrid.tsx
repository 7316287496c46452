import { useEffect, useRef, useState, type ClipboardEvent, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatAverage, formatShort, formatWeekdayShort } from '../../lib/dates';
import { MarkChip } from '../../ui/components';
import type { EditTarget } from './EntryEditor';
import { ATTENDANCE_LETTERS, markLabel, parseCell, type AttendanceCode, type CellEntry, type CellProblem, type Grading } from './entry';

export interface GridStudent {
  id: string;
  fullName: string;
}

export interface GridMark {
  id: string;
  studentId: string;
  value: string;
  weight: number;
  formCode: string;
  formName: string;
  version: number;
}

export interface GridAttendance {
  id: string;
  studentId: string;
  code: AttendanceCode;
  version: number;
}

export interface GridLesson {
  id: string;
  date: string;
  period: number;
  cancelled: boolean;
  editable: boolean;
  readOnlyReason: string | null;
  topic: string | null;
  homework: string | null;
  /** The topic/homework record's version (null: none yet). */
  recordVersion: number | null;
  editWindowOpen: boolean;
  marks: GridMark[];
  attendance: GridAttendance[];
}

export interface ControlFormOption {
  code: string;
  name: string;
  weight: number;
}

export interface TermRow {
  average: number | null;
  proposed: string | null;
  grade: string | null;
}

/** Entries waiting in the outbox, by lesson and student. */
export type PendingEntries = Record<string, Record<string, CellEntry>>;

export interface LessonEntries {
  lessonId: string;
  controlForm: string;
  entries: { studentId: string; entry: CellEntry }[];
}

interface Props {
  students: GridStudent[];
  lessons: GridLesson[];
  grading: Grading;
  controlForms: ControlFormOption[];
  termRows: Record<string, TermRow>;
  pending: PendingEntries;
  /** The lesson column open for entry first (e.g. from «Сегодня»). */
  initialLessonId?: string;
  saving: boolean;
  /** Saves (or queues) the entries; resolves to what the server refused, by lesson, so those stay in the cells. */
  onSave(lessons: LessonEntries[]): Promise<Refused>;
  /** What to show under the grid for the lesson open for entry (its topic and homework). */
  activePanel?(lesson: GridLesson): ReactNode;
  /** The save state, shown beside the save button. */
  status?: ReactNode;
  /** Entries with a correction request waiting for a deputy's decision. */
  corrections?: ReadonlySet<string>;
  /** Opens an existing entry of a lesson the teacher may change. */
  onEditEntry?(target: EditTarget): void;
}

/** Per lesson, the kinds of entry the server refused. */
export type Refused = Record<string, { marks: boolean; attendance: boolean }>;

type Drafts = Record<string, Record<string, string>>;

function check(text: string, grading: Grading, existing: GridAttendance | undefined): { entry?: CellEntry; problem?: CellProblem } {
  if (!text.trim()) return {};
  const parsed = parseCell(text, grading);
  if (!parsed.ok) return { problem: parsed.problem };
  if (parsed.entry.attendance && existing) return { problem: { key: 'teacher.entry.attendanceExists', values: { letter: ATTENDANCE_LETTERS[existing.code] } } };
  return { entry: parsed.entry };
}

/**
 * The paper journal's page: students down, lesson dates across, the term's
 * column at the end. One lesson column at a time is open for entry; typing,
 * Tab/Enter/arrows, Esc and pasting a column work as in a spreadsheet, and a
 * value outside the school's scale is refused right in the cell.
 */
export function JournalGrid({
  students,
  lessons,
  grading,
  controlForms,
  termRows,
  pending,
  initialLessonId,
  saving,
  onSave,
  activePanel,
  status,
  corrections,
  onEditEntry,
}: Props) {
  const { t } = useTranslation();
  const firstEditable = lessons.findLast((l) => l.editable)?.id;
  const [active, setActive] = useState<string | undefined>(() =>
    lessons.some((l) => l.id === initialLessonId && l.editable) ? initialLessonId : firstEditable,
  );
  const [drafts, setDrafts] = useState<Drafts>({});
  const defaultForm = controlForms.find((f) => f.code === 'ORAL')?.code ?? controlForms[0]?.code ?? '';
  const [forms, setForms] = useState<Record<string, string>>({});
  const inputs = useRef(new Map<string, HTMLInputElement>());
  const before = useRef('');
  const editable = lessons.filter((l) => l.editable);
  const activeHeader = useRef<HTMLTableCellElement | null>(null);
  // The column open for entry is usually the latest lesson, at the far right: bring it into view.
  useEffect(() => {
    activeHeader.current?.scrollIntoView?.({ block: 'nearest', inline: 'center' });
  }, [active]);

  const setDraft = (lessonId: string, studentId: string, text: string) => setDrafts((d) => ({ ...d, [lessonId]: { ...d[lessonId], [studentId]: text } }));

  const focusCell = (lessonId: string, row: number) => {
    const student = students[row];
    if (!student) return false;
    const input = inputs.current.get(`${lessonId}|${student.id}`);
    if (!input) return false;
    input.focus();
    input.select();
    return true;
  };

  const moveColumn = (lessonId: string, row: number, step: number) => {
    const i = editable.findIndex((l) => l.id === lessonId);
    const next = editable[i + step];
    if (!next) return;
    setActive(next.id);
    // The next column's inputs exist after this render.
    requestAnimationFrame(() => focusCell(next.id, row));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>, lessonId: string, row: number) => {
    const input = e.currentTarget;
    const atStart = input.selectionStart === 0 && input.selectionEnd === 0;
    const atEnd = input.selectionStart === input.value.length && input.selectionEnd === input.value.length;
    if (e.key === 'Escape') {
      e.preventDefault();
      setDraft(lessonId, students[row]!.id, before.current);
      return;
    }
    const down = e.key === 'ArrowDown' || (e.key === 'Enter' && !e.shiftKey) || (e.key === 'Tab' && !e.shiftKey);
    const up = e.key === 'ArrowUp' || (e.key === 'Enter' && e.shiftKey) || (e.key === 'Tab' && e.shiftKey);
    if (down || up) {
      // Tab past the last row (or before the first) leaves the grid as usual.
      if (focusCell(lessonId, row + (down ? 1 : -1)) || e.key !== 'Tab') e.preventDefault();
      return;
    }
    if (e.key === 'ArrowLeft' && atStart) {
      e.preventDefault();
      moveColumn(lessonId, row, -1);
    } else if (e.key === 'ArrowRight' && (atEnd || input.value === '')) {
      e.preventDefault();
      moveColumn(lessonId, row, 1);
    }
  };

  const onPaste = (e: ClipboardEvent<HTMLInputElement>, lessonId: string, row: number) => {
    const text = e.clipboardData.getData('text');
    if (!/[\r\n]/.test(text)) return;
    e.preventDefault();
    const lines = text.replace(/(\r?\n)+$/, '').split(/\r?\n/);
    setDrafts((d) => {
      const column = { ...d[lessonId] };
      lines.forEach((line, i) => {
        const student = students[row + i];
        if (student) column[student.id] = line.split('\t')[0]!.trim();
      });
      return { ...d, [lessonId]: column };
    });
  };

  // Everything typed, checked: what would be saved, and what is refused (with why).
  const checked = lessons.flatMap((lesson) =>
    Object.entries(drafts[lesson.id] ?? {}).map(([studentId, text]) => ({
      lesson,
      studentId,
      ...check(
        text,
        grading,
        lesson.attendance.find((a) => a.studentId === studentId),
      ),
    })),
  );
  const problems = checked.filter((c) => c.problem);
  const ready = checked.filter((c) => c.entry && (c.entry.marks.length || c.entry.attendance));
  const nameOf = (id: string) => students.find((s) => s.id === id)?.fullName ?? id;

  const save = async () => {
    const byLesson = new Map<string, LessonEntries>();
    for (const c of ready) {
      const item = byLesson.get(c.lesson.id) ?? { lessonId: c.lesson.id, controlForm: forms[c.lesson.id] ?? defaultForm, entries: [] };
      item.entries.push({ studentId: c.studentId, entry: c.entry! });
      byLesson.set(c.lesson.id, item);
    }
    const refused = await onSave([...byLesson.values()]);
    // What went through (or waits in the outbox) leaves the cells; what the server refused stays there to be fixed.
    setDrafts((d) => {
      const next: Drafts = {};
      for (const [lessonId, column] of Object.entries(d)) {
        const lesson = byLesson.get(lessonId);
        if (!lesson) next[lessonId] = column;
        else if (refused[lessonId]) next[lessonId] = Object.fromEntries(lesson.entries.map((e) => [e.studentId, cellText(e.entry, refused[lessonId]!)]));
      }
      return next;
    });
  };

  return (
    <div className="journal-grid">
      <div className="toolbar journal-grid__actions">
        <button type="button" className="button" onClick={() => void save()} disabled={saving || ready.length === 0 || problems.length > 0}>
          {ready.length ? t('teacher.grid.save', { count: ready.length }) : t('teacher.grid.saveNothing')}
        </button>
        {Object.keys(drafts).some((id) => Object.values(drafts[id]!).some((v) => v.trim())) && (
          <button type="button" className="button button--secondary" onClick={() => setDrafts({})} disabled={saving}>
            {t('teacher.grid.discard')}
          </button>
        )}
        {status}
        <span className="muted small journal-grid__hint">{t('teacher.grid.keysHint')}</span>
      </div>
      {problems.length > 0 && (
        <div className="notice notice--error" role="alert">
          <p>{t('teacher.grid.problems')}</p>
          <ul>
            {problems.map((p) => (
              <li key={`${p.lesson.id}|${p.studentId}`}>
                {nameOf(p.studentId)}, {formatShort(p.lesson.date)}: {t(p.problem!.key, p.problem!.values)}
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="table-scroll journal-grid__scroll">
        <table className="journal-table">
          <caption className="teacher-sr-only">{t('teacher.grid.caption')}</caption>
          <thead>
            <tr>
              <th scope="col" className="journal-table__name">
                {t('teacher.grid.student')}
              </th>
              {lessons.map((lesson) => {
                const isActive = lesson.id === active;
                return (
                  <th
                    key={lesson.id}
                    ref={isActive ? activeHeader : undefined}
                    scope="col"
                    className={`journal-table__lesson${isActive ? ' is-active' : ''}${lesson.cancelled ? ' is-cancelled' : ''}`}
                    title={lesson.readOnlyReason ?? lesson.topic ?? undefined}
                  >
                    <span className="journal-table__date">{formatShort(lesson.date)}</span>
                    <span className="journal-table__weekday">{formatWeekdayShort(lesson.date)}</span>
                    {lesson.editable && !isActive && (
                      <button
                        type="button"
                        className="journal-table__open"
                        onClick={() => setActive(lesson.id)}
                        aria-label={t('teacher.grid.openColumn', { date: formatShort(lesson.date) })}
                      >
                        ✎
                      </button>
                    )}
                    {isActive && (
                      <label className="journal-table__form">
                        <span className="teacher-sr-only">{t('teacher.grid.controlForm', { date: formatShort(lesson.date) })}</span>
                        <select value={forms[lesson.id] ?? defaultForm} onChange={(e) => setForms((f) => ({ ...f, [lesson.id]: e.target.value }))}>
                          {controlForms.map((f) => (
                            <option key={f.code} value={f.code}>
                              {f.name} ×{f.weight.toLocaleString('ru-RU')}
                            </option>
                          ))}
                        </select>
                      </label>
                    )}
                  </th>
                );
              })}
              <th scope="col" className="journal-table__term">
                {t('teacher.grid.average')}
              </th>
              <th scope="col" className="journal-table__term">
                {t('teacher.grid.proposed')}
              </th>
              <th scope="col" className="journal-table__term">
                {t('teacher.grid.termGrade')}
              </th>
            </tr>
          </thead>
          <tbody>
            {students.map((student, row) => {
              const term = termRows[student.id];
              return (
                <tr key={student.id}>
                  <th scope="row" className="journal-table__name" title={student.fullName}>
                    {student.fullName}
                  </th>
                  {lessons.map((lesson) => {
                    const marks = lesson.marks.filter((m) => m.studentId === student.id);
                    const absence = lesson.attendance.find((a) => a.studentId === student.id);
                    const queued = pending[lesson.id]?.[student.id];
                    const isActive = lesson.id === active;
                    const text = drafts[lesson.id]?.[student.id] ?? '';
                    const problem = isActive ? checked.find((c) => c.lesson.id === lesson.id && c.studentId === student.id)?.problem : undefined;
                    const errorId = `cell-error-${row}`;
                    return (
                      <td
                        key={lesson.id}
                        className={`journal-table__cell${isActive ? ' is-active' : ''}${lesson.cancelled ? ' is-cancelled' : ''}${problem ? ' is-invalid' : ''}`}
                      >
                        <span className={isActive ? 'journal-cell__row' : undefined}>
                          <span className="journal-cell__entries">
                            {absence && (
                              <EntryButton
                                enabled={lesson.editable && Boolean(onEditEntry)}
                                label={t('teacher.edit.editEntry', {
                                  what: ATTENDANCE_LETTERS[absence.code],
                                  student: student.fullName,
                                  date: formatShort(lesson.date),
                                })}
                                pending={corrections?.has(absence.id) ?? false}
                                onClick={() => onEditEntry?.({ kind: 'attendance', lesson, studentName: student.fullName, attendance: absence })}
                              >
                                <span className="journal-cell__absence">{ATTENDANCE_LETTERS[absence.code]}</span>
                              </EntryButton>
                            )}
                            {marks.map((m) => (
                              <EntryButton
                                key={m.id}
                                enabled={lesson.editable && Boolean(onEditEntry)}
                                label={t('teacher.edit.editEntry', {
                                  what: `${markLabel(m.value)} (${m.formName}, ×${m.weight.toLocaleString('ru-RU')})`,
                                  student: student.fullName,
                                  date: formatShort(lesson.date),
                                })}
                                pending={corrections?.has(m.id) ?? false}
                                onClick={() => onEditEntry?.({ kind: 'mark', lesson, studentName: student.fullName, mark: m })}
                              >
                                <MarkChip value={m.value} weight={m.weight} title={`${m.formName}, ×${m.weight.toLocaleString('ru-RU')}`} />
                              </EntryButton>
                            ))}
                            {queued && (
                              <span className="journal-cell__pending" title={t('teacher.grid.pendingTitle')}>
                                {[queued.attendance ? ATTENDANCE_LETTERS[queued.attendance] : null, ...queued.marks.map(markLabel)].filter(Boolean).join('/')}
                                <span className="teacher-sr-only"> {t('teacher.grid.pending')}</span>
                              </span>
                            )}
                          </span>
                          {isActive && (
                            <input
                              ref={(el) => {
                                const key = `${lesson.id}|${student.id}`;
                                if (el) inputs.current.set(key, el);
                                else inputs.current.delete(key);
                              }}
                              className="journal-cell__input"
                              value={text}
                              aria-label={t('teacher.grid.cellLabel', { student: student.fullName, date: formatShort(lesson.date) })}
                              aria-invalid={problem ? true : undefined}
                              aria-describedby={problem ? errorId : undefined}
                              autoComplete="off"
                              spellCheck={false}
                              inputMode="text"
                              onFocus={(e) => {
                                before.current = e.currentTarget.value;
                                e.currentTarget.select();
                              }}
                              onChange={(e) => setDraft(lesson.id, student.id, e.target.value)}
                              onKeyDown={(e) => onKeyDown(e, lesson.id, row)}
                              onPaste={(e) => onPaste(e, lesson.id, row)}
                            />
                          )}
                        </span>
                        {problem && (
                          <span id={errorId} className="journal-cell__error">
                            {t(problem.key, problem.values)}
                          </span>
                        )}
                      </td>
                    );
                  })}
                  <td className="journal-table__term">{formatAverage(term?.average)}</td>
                  <td className="journal-table__term">{term?.proposed ? markLabel(term.proposed) : '—'}</td>
                  <td className="journal-table__term">{term?.grade ? <MarkChip value={term.grade} /> : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {active && <ActiveLessonNote lesson={lessons.find((l) => l.id === active)} />}
      {active && activePanel && lessons.some((l) => l.id === active) && activePanel(lessons.find((l) => l.id === active)!)}
      {lessons.some((l) => !l.editable && l.readOnlyReason) && <ReadOnlyNote lessons={lessons} />}
    </div>
  );
}

/** An entry in a cell: a button that opens it for a change where the teacher may change it, plain otherwise. */
function EntryButton({
  enabled,
  label,
  pending,
  onClick,
  children,
}: {
  enabled: boolean;
  label: string;
  pending: boolean;
  onClick(): void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const marker = pending && (
    <span className="journal-cell__correction" title={t('teacher.edit.pendingCorrection')}>
      <span className="teacher-sr-only">{t('teacher.edit.pendingCorrection')}</span>
    </span>
  );
  if (!enabled) {
    return (
      <span className="journal-cell__entry">
        {children}
        {marker}
      </span>
    );
  }
  return (
    <button type="button" className="journal-cell__entry" aria-label={pending ? `${label} (${t('teacher.edit.pendingCorrection')})` : label} onClick={onClick}>
      {children}
      {marker}
    </button>
  );
}

/** The part of a cell's entry the server refused, written back as the teacher types it. */
function cellText(entry: CellEntry, refused: { marks: boolean; attendance: boolean }): string {
  return [refused.attendance && entry.attendance ? ATTENDANCE_LETTERS[entry.attendance] : null, ...(refused.marks ? entry.marks.map(markLabel) : [])]
    .filter(Boolean)
    .join('/');
}

function ActiveLessonNote({ lesson }: { lesson: GridLesson | undefined }) {
  const { t } = useTranslation();
  if (!lesson) return null;
  return <p className="muted small">{t('teacher.grid.activeLesson', { date: formatShort(lesson.date), period: lesson.period })}</p>;
}

/** Why some columns take no entries: each reason once, with the dates it applies to. */
function ReadOnlyNote({ lessons }: { lessons: GridLesson[] }) {
  const { t } = useTranslation();
  const byReason = new Map<string, string[]>();
  for (const l of lessons)
    if (!l.editable && l.readOnlyReason) byReason.set(l.readOnlyReason, [...(byReason.get(l.readOnlyReason) ?? []), formatShort(l.date)]);
  return (
    <details className="journal-grid__readonly">
      <summary>{t('teacher.grid.readOnlyTitle', { count: [...byReason.values()].reduce((n, d) => n + d.length, 0) })}</summary>
      <ul>
        {[...byReason].map(([reason, dates]) => (
          <li key={reason}>
            {reason}: {dates.join(', ')}
          </li>
        ))}
      </ul>
    </details>
  );
}
