import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { useClient, useQuery } from 'urql';
import { useSession } from '../../app/session-context';
import { hasRole } from '../../auth/session';
import { graphql } from '../../gql';
import { addDays, todayIso } from '../../lib/dates';
import { ErrorNotice, Loading, Notice, PageHeader } from '../../ui/components';
import type { AttendanceCode, CellEntry, Grading } from './entry';
import { JournalGrid, type GridLesson, type LessonEntries, type PendingEntries, type Refused, type TermRow } from './JournalGrid';
import { EntryEditor, type EditTarget } from './EntryEditor';
import { LessonRecordForm } from './LessonRecordForm';
import { TermGradesForm } from './TermGradesForm';
import { OutboxNotice } from './OutboxNotice';
import type { FlushReport, QueuedRequest } from './offline-queue';
import { newIdempotencyKey, outbox, useOutbox, useOutboxDelivered } from './use-outbox';
import './teacher.css';

const TeacherJournalChoices = graphql(`
  query TeacherJournalChoices($schoolId: ID!, $from: String!, $to: String!) {
    teacherLessons(schoolId: $schoolId, from: $from, to: $to) {
      id
      classGroup {
        id
        name
        yearOfStudy
      }
      subject {
        id
        name
      }
      groupName
    }
    terms(schoolId: $schoolId) {
      id
      name
      startDate
      endDate
      yearsFrom
      yearsTo
      closed
      academicYear {
        id
        name
      }
    }
    controlForms(schoolId: $schoolId) {
      code
      name
      weight
    }
    myClassGroups(schoolId: $schoolId) {
      id
      name
      yearOfStudy
      academicYear
    }
  }
`);

const TeacherLedClassSubjects = graphql(`
  query TeacherLedClassSubjects($schoolId: ID!, $classGroupId: ID!) {
    teachingAssignments(schoolId: $schoolId, filter: { classGroupId: $classGroupId }) {
      id
      subject {
        id
        name
      }
    }
  }
`);

const TeacherClassJournal = graphql(`
  query TeacherClassJournal($schoolId: ID!, $classGroupId: ID!, $subjectId: ID!, $termId: ID!) {
    classJournal(classGroupId: $classGroupId, subjectId: $subjectId, termId: $termId) {
      subject
      grading
      termClosed
      students {
        id
        fullName
      }
      lessons {
        lesson {
          id
          date
          period
          status
        }
        held
        editable
        readOnlyReason
        editWindowOpen
        record {
          topic
          homework
          version
        }
        marks {
          id
          studentId
          value
          weight
          version
          controlForm {
            code
            name
            weight
          }
        }
        attendance {
          id
          studentId
          code
          version
        }
      }
    }
    termGradeSheet(classGroupId: $classGroupId, subjectId: $subjectId, termId: $termId) {
      rows {
        studentId
        average
        proposed
        grade {
          value
        }
      }
    }
    correctionRequests(schoolId: $schoolId, status: PENDING) {
      id
      targetId
    }
  }
`);

interface Choice {
  key: string;
  classGroupId: string;
  className: string;
  yearOfStudy: number;
  subjectId: string;
  subjectName: string;
  /** A subject of the class the teacher leads but does not teach: they read it. */
  asClassTeacher?: boolean;
}

/**
 * The subjects of the classes the teacher leads this year (классное
 * руководство): a class teacher follows every subject of their class.
 */
function useLedClassChoices(schoolId: string, classes: readonly { id: string; name: string; yearOfStudy: number; academicYear: string }[]): Choice[] {
  const client = useClient();
  const [choices, setChoices] = useState<Choice[]>([]);
  const latest = classes.reduce((year, c) => (c.academicYear > year ? c.academicYear : year), '');
  const current = classes.filter((c) => c.academicYear === latest);
  const ids = current.map((c) => c.id).join(',');
  useEffect(() => {
    let live = true;
    void Promise.all(
      current.map(async (c) => {
        const answer = await client.query(TeacherLedClassSubjects, { schoolId, classGroupId: c.id }).toPromise();
        return (answer.data?.teachingAssignments ?? []).map((a) => ({
          key: `${c.id}|${a.subject.id}`,
          classGroupId: c.id,
          className: c.name,
          yearOfStudy: c.yearOfStudy,
          subjectId: a.subject.id,
          subjectName: a.subject.name,
          asClassTeacher: true,
        }));
      }),
    ).then((lists) => live && setChoices(lists.flat()));
    return () => {
      live = false;
    };
    // The classes are named by their ids; the list object itself changes on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, schoolId, ids]);
  return choices;
}

const NONE: never[] = [];

type SaveState = { state: 'saving' } | { state: 'saved'; count: number } | { state: 'queued'; count: number } | { state: 'failed'; message: string };

/** The journal grid of a class and subject for a term, with fast keyboard entry and an offline outbox. */
export default function JournalPage() {
  const { t } = useTranslation();
  const session = useSession();
  const schoolId = session.schoolIds[0] ?? '';
  const today = todayIso();
  const [params, setParams] = useSearchParams();
  // The outbox is sent from here whatever else loads (after a reload without network the grid may not).
  const { items, flush } = useOutbox();
  const [choices] = useQuery({ query: TeacherJournalChoices, variables: { schoolId, from: addDays(today, -30), to: addDays(today, 30) }, pause: !schoolId });

  const led = useLedClassChoices(schoolId, choices.data?.myClassGroups ?? NONE);
  const options = useMemo(() => {
    const byKey = new Map<string, Choice>();
    for (const l of choices.data?.teacherLessons ?? []) {
      const key = `${l.classGroup.id}|${l.subject.id}`;
      if (!byKey.has(key))
        byKey.set(key, {
          key,
          classGroupId: l.classGroup.id,
          className: l.classGroup.name,
          yearOfStudy: l.classGroup.yearOfStudy,
          subjectId: l.subject.id,
          subjectName: l.subject.name,
        });
    }
    for (const c of led) if (!byKey.has(c.key)) byKey.set(c.key, c);
    return [...byKey.values()].sort(
      (a, b) => a.yearOfStudy - b.yearOfStudy || a.className.localeCompare(b.className, 'ru') || a.subjectName.localeCompare(b.subjectName, 'ru'),
    );
  }, [choices.data, led]);

  const urlChoice = params.get('class') && params.get('subject') ? `${params.get('class')}|${params.get('subject')}` : undefined;
  const choice = options.find((o) => o.key === urlChoice) ?? options[0];
  const termsForClass = useMemo(
    () => (choices.data?.terms ?? []).filter((term) => !choice || (term.yearsFrom <= choice.yearOfStudy && choice.yearOfStudy <= term.yearsTo)),
    [choices.data, choice],
  );
  const currentTerm =
    termsForClass.find((term) => term.startDate <= today && today <= term.endDate) ??
    termsForClass.filter((term) => term.startDate <= today).at(-1) ??
    termsForClass[0];
  const termId = termsForClass.some((term) => term.id === params.get('term')) ? params.get('term')! : currentTerm?.id;
  const yearTerms = termsForClass.filter((term) => term.academicYear.id === termsForClass.find((x) => x.id === termId)?.academicYear.id);

  const choose = (next: Record<string, string | undefined>) => {
    const merged = { class: choice?.classGroupId, subject: choice?.subjectId, term: termId, ...next };
    setParams(Object.fromEntries(Object.entries(merged).filter((e): e is [string, string] => Boolean(e[1]))));
  };

  if (!hasRole(session, 'teacher')) return <Notice kind="info">{t('errors.forbiddenHint')}</Notice>;
  if (choices.fetching && !choices.data) return <Loading />;
  if (choices.error && !choices.data)
    return (
      <>
        <OutboxNotice items={items} onRetry={() => void flush()} />
        <ErrorNotice error={choices.error} />
      </>
    );

  return (
    <>
      <PageHeader title={t('teacher.journalTitle')}>
        <label className="field">
          {t('teacher.classSubject')}
          <select
            value={choice?.key ?? ''}
            onChange={(e) => {
              const o = options.find((x) => x.key === e.target.value);
              choose({ class: o?.classGroupId, subject: o?.subjectId, lesson: undefined });
            }}
          >
            {options.map((o) => (
              <option key={o.key} value={o.key}>
                {o.className} · {o.subjectName}
                {o.asClassTeacher ? ` (${t('teacher.asClassTeacher')})` : ''}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          {t('teacher.term')}
          <select value={termId ?? ''} onChange={(e) => choose({ term: e.target.value, lesson: undefined })}>
            {yearTerms.map((term) => (
              <option key={term.id} value={term.id}>
                {term.name}
                {term.closed ? ` (${t('teacher.termClosedShort')})` : ''}
              </option>
            ))}
          </select>
        </label>
      </PageHeader>
      {choices.error && <ErrorNotice error={choices.error} />}
      {!choice || !termId ? (
        <Notice kind="info">
          <p>{t('teacher.noClasses')}</p>
        </Notice>
      ) : (
        <ClassJournal
          key={`${choice.key}|${termId}`}
          classGroupId={choice.classGroupId}
          subjectId={choice.subjectId}
          termId={termId}
          title={`${choice.className} · ${choice.subjectName}`}
          controlForms={choices.data?.controlForms ?? []}
          initialLessonId={params.get('lesson') ?? undefined}
          outboxItems={items}
          flush={flush}
        />
      )}
    </>
  );
}

interface ClassJournalProps {
  classGroupId: string;
  subjectId: string;
  termId: string;
  title: string;
  controlForms: { code: string; name: string; weight: number }[];
  initialLessonId?: string;
  outboxItems: QueuedRequest[];
  flush(): Promise<FlushReport>;
}

function ClassJournal(props: ClassJournalProps) {
  const { t } = useTranslation();
  const { classGroupId, subjectId, termId } = props;
  const session = useSession();
  const [result, refetch] = useQuery({ query: TeacherClassJournal, variables: { schoolId: session.schoolIds[0] ?? '', classGroupId, subjectId, termId } });
  const [editing, setEditing] = useState<EditTarget | undefined>();
  const reload = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  const { outboxItems: items, flush } = props;
  useOutboxDelivered(reload);
  const [save, setSave] = useState<SaveState | undefined>();
  const [termGradesOpen, setTermGradesOpen] = useState(false);
  const journal = result.data?.classJournal;

  const students = useMemo(() => [...(journal?.students ?? [])].sort((a, b) => a.fullName.localeCompare(b.fullName, 'ru')), [journal]);
  const lessons: GridLesson[] = useMemo(
    () =>
      (journal?.lessons ?? []).map((page) => ({
        id: page.lesson.id,
        date: page.lesson.date,
        period: page.lesson.period,
        cancelled: page.lesson.status === 'CANCELLED',
        editable: page.editable,
        readOnlyReason: page.readOnlyReason ?? null,
        topic: page.record?.topic ?? null,
        homework: page.record?.homework ?? null,
        recordVersion: page.record?.version ?? null,
        editWindowOpen: page.editWindowOpen,
        marks: page.marks.map((m) => ({
          id: m.id,
          studentId: m.studentId,
          value: m.value,
          weight: m.weight,
          formCode: m.controlForm.code,
          formName: m.controlForm.name,
          version: m.version,
        })),
        attendance: page.attendance.map((a) => ({ id: a.id, studentId: a.studentId, code: a.code as AttendanceCode, version: a.version })),
      })),
    [journal],
  );
  const termRows = useMemo(
    () =>
      Object.fromEntries(
        (result.data?.termGradeSheet.rows ?? []).map((r) => [
          r.studentId,
          { average: r.average ?? null, proposed: r.proposed ?? null, grade: r.grade?.value ?? null } satisfies TermRow,
        ]),
      ),
    [result.data],
  );
  const corrections = useMemo(() => new Set((result.data?.correctionRequests ?? []).map((c) => c.targetId)), [result.data]);
  const pending = useMemo(() => pendingEntries(items.filter((i) => !i.error)), [items]);

  const onSave = async (entries: LessonEntries[]): Promise<Refused> => {
    setSave({ state: 'saving' });
    const keys: string[] = [];
    for (const lesson of entries) {
      const marks = lesson.entries.flatMap((e) => e.entry.marks.map((value) => ({ studentId: e.studentId, value, controlForm: lesson.controlForm })));
      const absences = lesson.entries.flatMap((e) => (e.entry.attendance ? [{ studentId: e.studentId, code: e.entry.attendance }] : []));
      // Into the outbox first: whatever happens to the connection now, the request and its key are kept.
      if (marks.length) {
        const key = newIdempotencyKey();
        keys.push(key);
        await outbox.add({ key, kind: 'enterMarks', lessonId: lesson.lessonId, variables: { lessonId: lesson.lessonId, marks, idempotencyKey: key } });
      }
      if (absences.length) {
        const key = newIdempotencyKey();
        keys.push(key);
        await outbox.add({
          key,
          kind: 'enterAttendance',
          lessonId: lesson.lessonId,
          variables: { lessonId: lesson.lessonId, entries: absences, idempotencyKey: key },
        });
      }
    }
    const count = entries.reduce((n, l) => n + l.entries.length, 0);
    const report = await flush();
    const refused = report.refused.filter((r) => keys.includes(r.key));
    if (refused.length) setSave({ state: 'failed', message: refused.map((r) => r.error).join('; ') });
    else if (keys.every((k) => report.sent.some((s) => s.key === k))) setSave({ state: 'saved', count });
    else setSave({ state: 'queued', count });
    // A refusal just now goes back into the cells, not into the outbox's list.
    const back: Refused = {};
    for (const r of refused) {
      await outbox.remove(r.key);
      back[r.lessonId] ??= { marks: false, attendance: false };
      back[r.lessonId]![r.kind === 'enterMarks' ? 'marks' : 'attendance'] = true;
    }
    return back;
  };

  if (result.fetching && !result.data) return <Loading />;
  if (result.error && !result.data) return <ErrorNotice error={result.error} onRetry={reload} />;
  if (!journal) return null;

  return (
    <section className="card journal-card" aria-labelledby="journal-title">
      <div className="card__title">
        <h2 id="journal-title">{props.title}</h2>
        <span className="muted small">{t(`teacher.grading.${journal.grading}`)}</span>
      </div>
      {result.error && <ErrorNotice error={result.error} onRetry={reload} />}
      <OutboxNotice items={items} onRetry={() => void flush()} />
      {journal.termClosed && (
        <Notice kind="info">
          <p>{t('teacher.termClosed')}</p>
        </Notice>
      )}
      {lessons.length === 0 ? (
        <Notice kind="info">
          <p>{t('teacher.noLessonsInTerm')}</p>
        </Notice>
      ) : (
        <JournalGrid
          students={students}
          lessons={lessons}
          grading={journal.grading as Grading}
          controlForms={props.controlForms}
          termRows={termRows}
          pending={pending}
          initialLessonId={props.initialLessonId}
          saving={save?.state === 'saving'}
          onSave={onSave}
          status={<SaveStatus save={save} />}
          activePanel={(lesson) => <LessonRecordForm key={lesson.id} lesson={lesson} onSaved={reload} />}
          corrections={corrections}
          onEditEntry={setEditing}
        />
      )}
      {journal.grading !== 'NONE' && (
        <div className="term-grades-toggle">
          <button type="button" className="button button--secondary" aria-expanded={termGradesOpen} onClick={() => setTermGradesOpen((open) => !open)}>
            {termGradesOpen ? t('teacher.termGrades.hide') : t('teacher.termGrades.open')}
          </button>
        </div>
      )}
      {termGradesOpen && (
        <TermGradesForm
          classGroupId={classGroupId}
          subjectId={subjectId}
          termId={termId}
          students={students}
          grading={journal.grading as Grading}
          onSaved={reload}
        />
      )}
      {editing && (
        <EntryEditor
          key={editing.kind === 'mark' ? editing.mark.id : editing.attendance.id}
          target={editing}
          grading={journal.grading as Grading}
          controlForms={props.controlForms}
          onClose={() => setEditing(undefined)}
          onChanged={reload}
        />
      )}
    </section>
  );
}

function SaveStatus({ save }: { save: SaveState | undefined }) {
  const { t } = useTranslation();
  return (
    <div className="journal-save" role="status" aria-live="polite">
      {save?.state === 'saving' && <span className="badge">{t('teacher.save.saving')}</span>}
      {save?.state === 'saved' && <span className="badge badge--success">{t('teacher.save.saved', { count: save.count })}</span>}
      {save?.state === 'queued' && <span className="badge badge--warning">{t('teacher.save.queued', { count: save.count })}</span>}
      {save?.state === 'failed' && <span className="badge badge--danger">{t('teacher.save.failed', { message: save.message })}</span>}
    </div>
  );
}

/** The outbox's waiting entries as the grid shows them: per lesson and student. */
function pendingEntries(items: { lessonId: string; kind: string; variables: Record<string, unknown> }[]): PendingEntries {
  const out: PendingEntries = {};
  const cell = (lessonId: string, studentId: string): CellEntry => {
    out[lessonId] ??= {};
    return (out[lessonId][studentId] ??= { marks: [], attendance: null });
  };
  for (const item of items) {
    if (item.kind === 'enterMarks')
      for (const m of item.variables.marks as { studentId: string; value: string }[]) cell(item.lessonId, m.studentId).marks.push(m.value);
    else for (const a of item.variables.entries as { studentId: string; code: AttendanceCode }[]) cell(item.lessonId, a.studentId).attendance = a.code;
  }
  return out;
}
