import { useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import type { CombinedError } from '@urql/core';
import { graphql } from '../../gql';
import type { ControlTermChoicesQuery } from '../../gql/graphql';
import { formatAverage, formatMoment, todayIso } from '../../lib/dates';
import { ErrorNotice, Loading, Notice } from '../../ui/components';
import { valueLabel } from './values';

const ControlTermChoices = graphql(`
  query ControlTermChoices($schoolId: ID!) {
    classGroups(schoolId: $schoolId) {
      id
      name
      yearOfStudy
      academicYear
    }
    terms(schoolId: $schoolId) {
      id
      name
      startDate
      endDate
      yearsFrom
      yearsTo
      closed
      closedAt
      version
      academicYear {
        id
        name
      }
    }
  }
`);

const ControlClassSubjects = graphql(`
  query ControlClassSubjects($schoolId: ID!, $classGroupId: ID!) {
    teachingAssignments(schoolId: $schoolId, filter: { classGroupId: $classGroupId }) {
      id
      groupName
      grading
      subject {
        id
        name
      }
    }
  }
`);

const ControlTermSheet = graphql(`
  query ControlTermSheet($termId: ID!, $classGroupId: ID!, $subjectId: ID!) {
    termGradeSheet(termId: $termId, classGroupId: $classGroupId, subjectId: $subjectId) {
      termId
      subject
      termClosed
      rows {
        studentId
        average
        proposed
        marksCount
        grade {
          value
        }
      }
    }
    classGroup(id: $classGroupId) {
      id
      name
      students {
        id
        fullName
      }
    }
  }
`);

const ControlCloseTerm = graphql(`
  mutation ControlCloseTerm($id: ID!, $version: Int!) {
    closeTerm(id: $id, version: $version) {
      id
      closed
      closedAt
      version
    }
  }
`);

type Term = ControlTermChoicesQuery['terms'][number];
type ClassGroup = ControlTermChoicesQuery['classGroups'][number];

function termsFor(terms: readonly Term[], cls: ClassGroup | undefined): Term[] {
  if (!cls) return [];
  return terms.filter((t) => t.academicYear.name === cls.academicYear && t.yearsFrom <= cls.yearOfStudy && cls.yearOfStudy <= t.yearsTo);
}

/** The term grade sheet of a class and subject, and closing a term for the whole school. */
export function TermsSection({ schoolId }: { schoolId: string }) {
  const { t } = useTranslation();
  const [choices, refetchChoices] = useQuery({ query: ControlTermChoices, variables: { schoolId } });
  // This year's classes (classGroups may hold past years' class groups), in school order.
  const classes = useMemo(() => {
    const all = choices.data?.classGroups ?? [];
    const latest = all.reduce((year, c) => (c.academicYear > year ? c.academicYear : year), '');
    return all.filter((c) => c.academicYear === latest).sort((a, b) => a.yearOfStudy - b.yearOfStudy || a.name.localeCompare(b.name, 'ru'));
  }, [choices.data]);
  const [classId, setClassId] = useState('');
  const [subjectId, setSubjectId] = useState('');
  const [termId, setTermId] = useState('');
  const cls = classes.find((c) => c.id === classId);
  const terms = termsFor(choices.data?.terms ?? [], cls);
  const term = terms.find((x) => x.id === termId);
  const [subjects] = useQuery({ query: ControlClassSubjects, variables: { schoolId, classGroupId: classId }, pause: !classId });
  const subjectList = useMemo(() => {
    const seen = new Map<string, string>();
    for (const a of subjects.data?.teachingAssignments ?? []) if (a.grading !== 'NONE') seen.set(a.subject.id, a.subject.name);
    return [...seen.entries()].sort((a, b) => a[1].localeCompare(b[1], 'ru'));
  }, [subjects.data]);

  // Sensible defaults: the first class, the term holding today (or the latest one).
  useEffect(() => {
    // Year 1 is ungraded: start with the first class that has term grades.
    const first = classes.find((c) => c.yearOfStudy > 1) ?? classes[0];
    if (!classId && first) setClassId(first.id);
  }, [classes, classId]);
  useEffect(() => {
    if (terms.length && !terms.some((x) => x.id === termId)) {
      const today = todayIso();
      setTermId((terms.find((x) => x.startDate <= today && today <= x.endDate) ?? terms[terms.length - 1]!).id);
    }
  }, [terms, termId]);
  useEffect(() => {
    if (subjectList.length && !subjectList.some(([id]) => id === subjectId)) setSubjectId(subjectList[0]![0]);
  }, [subjectList, subjectId]);

  if (choices.fetching && !choices.data) return <Loading />;
  if (choices.error && !choices.data) return <ErrorNotice error={choices.error} onRetry={() => refetchChoices({ requestPolicy: 'network-only' })} />;

  return (
    <section aria-labelledby="control-terms" className="stack">
      <h2 id="control-terms">{t('control.terms.heading')}</h2>
      <div className="toolbar control-choices">
        <label className="field">
          {t('control.terms.classGroup')}
          <select
            value={classId}
            onChange={(e) => {
              setClassId(e.target.value);
              setSubjectId('');
            }}
          >
            {classes.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          {t('control.terms.subject')}
          <select value={subjectId} onChange={(e) => setSubjectId(e.target.value)} disabled={subjectList.length === 0}>
            {subjectList.map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          {t('control.terms.term')}
          <select value={termId} onChange={(e) => setTermId(e.target.value)} disabled={terms.length === 0}>
            {terms.map((x) => (
              <option key={x.id} value={x.id}>
                {x.closed ? `${x.name} (${t('control.terms.closedMark')})` : x.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {subjects.error && <ErrorNotice error={subjects.error} />}
      {cls && terms.length === 0 && <p className="muted">{t('control.terms.noTerms')}</p>}
      {cls && subjects.data && subjectList.length === 0 && (
        <p className="muted">{cls.yearOfStudy === 1 ? t('control.terms.ungraded', { className: cls.name }) : t('control.terms.noSubjects')}</p>
      )}
      {cls && term && subjectId && <TermSheet classGroupId={cls.id} className={cls.name} subjectId={subjectId} term={term} />}
      {term && <CloseTerm term={term} onClosed={() => refetchChoices({ requestPolicy: 'network-only' })} />}
    </section>
  );
}

function TermSheet({ classGroupId, className, subjectId, term }: { classGroupId: string; className: string; subjectId: string; term: Term }) {
  const { t } = useTranslation();
  const [result, refetch] = useQuery({ query: ControlTermSheet, variables: { termId: term.id, classGroupId, subjectId } });
  const sheet = result.data?.termGradeSheet;
  const names = useMemo(() => new Map((result.data?.classGroup?.students ?? []).map((s) => [s.id, s.fullName])), [result.data]);
  if (result.fetching && !result.data) return <Loading />;
  if (result.error && !sheet) return <ErrorNotice error={result.error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />;
  if (!sheet) return null;
  const rows = [...sheet.rows].sort((a, b) => (names.get(a.studentId) ?? '').localeCompare(names.get(b.studentId) ?? '', 'ru'));
  const missing = rows.filter((r) => !r.grade).length;
  return (
    <>
      {result.error && <ErrorNotice error={result.error} />}
      <div className="table-scroll">
        <table className="table">
          <caption className="control-caption">{t('control.terms.caption', { subject: sheet.subject, className, term: term.name })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('control.terms.student')}</th>
              <th scope="col" className="num">
                {t('control.terms.marks')}
              </th>
              <th scope="col" className="num">
                {t('control.terms.average')}
              </th>
              <th scope="col">{t('control.terms.proposed')}</th>
              <th scope="col">{t('control.terms.grade')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.studentId}>
                <th scope="row">{names.get(r.studentId) ?? t('control.terms.unknownStudent', { id: r.studentId })}</th>
                <td className="num">{r.marksCount}</td>
                <td className="num">{formatAverage(r.average)}</td>
                <td>{r.proposed ? <span className={`mark mark--${r.proposed}`}>{valueLabel(r.proposed, t)}</span> : '—'}</td>
                <td className={r.grade ? undefined : 'control-cell--warning'}>
                  {r.grade ? <span className={`mark mark--${r.grade.value}`}>{valueLabel(r.grade.value, t)}</span> : t('control.terms.missing')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className={missing ? undefined : 'muted'}>
        {missing ? t('control.terms.missingCount', { count: missing, total: rows.length }) : t('control.terms.complete')}
      </p>
    </>
  );
}

function CloseTerm({ term, onClosed }: { term: Term; onClosed: () => void }) {
  const { t } = useTranslation();
  const headingId = useId();
  const [confirming, setConfirming] = useState(false);
  const [state, close] = useMutation(ControlCloseTerm);
  const [error, setError] = useState<CombinedError | undefined>();
  const [done, setDone] = useState(false);
  useEffect(() => {
    setConfirming(false);
    setError(undefined);
    setDone(false);
  }, [term.id]);

  const submit = async () => {
    setError(undefined);
    const answer = await close({ id: term.id, version: term.version });
    setConfirming(false);
    if (answer.error) return setError(answer.error);
    setDone(true);
    onClosed();
  };

  return (
    <div className="card control-close" role="region" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('control.terms.closeHeading')}</h3>
      <div aria-live="polite">
        {done && <Notice kind="success">{t('control.terms.closedNow', { term: term.name })}</Notice>}
        {error && <ErrorNotice error={error} />}
      </div>
      {term.closed ? (
        <p>{term.closedAt ? t('control.terms.closed', { when: formatMoment(term.closedAt) }) : t('control.terms.closedNoDate')}</p>
      ) : (
        <>
          <p className="muted">{t('control.terms.closeExplain')}</p>
          {confirming ? (
            <div className="toolbar" role="group" aria-label={t('control.terms.confirm', { term: term.name })}>
              <span>{t('control.terms.confirm', { term: term.name })}</span>
              <button type="button" className="button button--danger" onClick={() => void submit()} disabled={state.fetching}>
                {t('control.terms.confirmYes')}
              </button>
              <button type="button" className="button button--secondary" onClick={() => setConfirming(false)} disabled={state.fetching}>
                {t('app.cancel')}
              </button>
              {state.fetching && (
                <span className="muted small" role="status">
                  {t('control.terms.closing')}
                </span>
              )}
            </div>
          ) : (
            <button type="button" className="button button--secondary" onClick={() => setConfirming(true)}>
              {t('control.terms.close', { term: term.name })}
            </button>
          )}
        </>
      )}
    </div>
  );
}
