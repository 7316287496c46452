import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import { formatAverage } from '../../lib/dates';
import { ErrorNotice, Loading, Notice } from '../../ui/components';
import type { Grading } from './entry';
import { newIdempotencyKey } from './use-outbox';

const TeacherTermGrades = graphql(`
  query TeacherTermGrades($classGroupId: ID!, $subjectId: ID!, $termId: ID!) {
    termGradeSheet(classGroupId: $classGroupId, subjectId: $subjectId, termId: $termId) {
      termClosed
      rows {
        studentId
        average
        proposed
        marksCount
        grade {
          id
          value
          version
        }
      }
    }
  }
`);

const TeacherSetTermGrades = graphql(`
  mutation TeacherSetTermGrades($termId: ID!, $classGroupId: ID!, $subjectId: ID!, $grades: [TermGradeInput!]!, $idempotencyKey: String!) {
    setTermGrades(termId: $termId, classGroupId: $classGroupId, subjectId: $subjectId, grades: $grades, idempotencyKey: $idempotencyKey) {
      termClosed
      rows {
        studentId
        average
        proposed
        marksCount
        grade {
          id
          value
          version
        }
      }
    }
  }
`);

/** The values a term grade may take, as the journal service checks them (GLOSSARY: н/а, осв.). */
export function termGradeValues(grading: Grading): string[] {
  if (grading === 'MARKS') return ['5', '4', '3', '2', '1', 'NOT_ASSESSED', 'EXEMPT'];
  if (grading === 'PASS_FAIL') return ['PASS', 'FAIL', 'NOT_ASSESSED', 'EXEMPT'];
  return [];
}

interface Props {
  classGroupId: string;
  subjectId: string;
  termId: string;
  students: readonly { id: string; fullName: string }[];
  grading: Grading;
  onSaved(): void;
}

/**
 * Setting the term grades (четвертные/полугодовые отметки) of a class in a
 * subject: each student's weighted average and the grade it suggests next to
 * a choice; only changed rows are sent, in one request with its idempotency
 * key and each set grade's version.
 */
export function TermGradesForm({ classGroupId, subjectId, termId, students, grading, onSaved }: Props) {
  const { t } = useTranslation();
  const [sheet, refetch] = useQuery({ query: TeacherTermGrades, variables: { classGroupId, subjectId, termId }, requestPolicy: 'network-only' });
  const [result, run] = useMutation(TeacherSetTermGrades);
  const rows = useMemo(
    () => new Map((result.data?.setTermGrades.rows ?? sheet.data?.termGradeSheet.rows ?? []).map((r) => [r.studentId, r])),
    [sheet.data, result.data],
  );
  const [chosen, setChosen] = useState<Record<string, string>>({});
  // One key per content: resending the same choices after a lost answer is the same request.
  const [attempt, setAttempt] = useState<{ body: string; key: string } | undefined>();
  const [saved, setSaved] = useState<number | undefined>();

  // What is set now is what the selects start from (again after every save or reload).
  useEffect(() => setChosen(Object.fromEntries([...rows].map(([id, r]) => [id, r.grade?.value ?? '']))), [rows]);

  const values = termGradeValues(grading);
  const closed = result.data?.setTermGrades.termClosed ?? sheet.data?.termGradeSheet.termClosed ?? false;
  const changes = students.flatMap((s) => {
    const value = chosen[s.id] ?? '';
    const grade = rows.get(s.id)?.grade;
    return value && value !== (grade?.value ?? '') ? [{ studentId: s.id, value, version: grade?.version ?? null }] : [];
  });
  const label = (value: string) => (/^\d$/.test(value) ? value : t(`control.values.${value}`, { defaultValue: value }));

  const choose = (studentId: string, value: string) => {
    setSaved(undefined);
    setChosen((c) => ({ ...c, [studentId]: value }));
  };
  const fillProposed = () => {
    setSaved(undefined);
    setChosen((c) => Object.fromEntries(students.map((s) => [s.id, c[s.id] || (rows.get(s.id)?.proposed ?? '')])));
  };
  const save = async () => {
    const body = JSON.stringify(changes);
    const key = attempt?.body === body ? attempt.key : newIdempotencyKey();
    setAttempt({ body, key });
    const answer = await run({ termId, classGroupId, subjectId, grades: changes, idempotencyKey: key });
    if (answer.data) {
      setSaved(changes.length);
      setAttempt(undefined);
      onSaved();
    } else if (answer.error?.graphQLErrors.some((e) => e.extensions?.code === 'CONFLICT')) {
      // Someone set a grade meanwhile: the selects start again from what is set now.
      refetch({ requestPolicy: 'network-only' });
    }
  };

  if (grading === 'NONE')
    return (
      <Notice kind="info">
        <p>{t('teacher.termGrades.ungraded')}</p>
      </Notice>
    );
  if (sheet.fetching && !sheet.data) return <Loading />;
  if (sheet.error && !sheet.data) return <ErrorNotice error={sheet.error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />;

  return (
    <form
      className="term-grades"
      aria-labelledby="term-grades-title"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h3 id="term-grades-title">{t('teacher.termGrades.title')}</h3>
      <p className="muted small">{t('teacher.termGrades.explain')}</p>
      {closed && (
        <Notice kind="info">
          <p>{t('teacher.termClosed')}</p>
        </Notice>
      )}
      <div className="table-scroll">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('teacher.grid.student')}</th>
              <th scope="col" className="num">
                {t('teacher.termGrades.average')}
              </th>
              <th scope="col" className="num">
                {t('teacher.termGrades.marks')}
              </th>
              <th scope="col">{t('teacher.termGrades.proposed')}</th>
              <th scope="col">{t('teacher.termGrades.grade')}</th>
            </tr>
          </thead>
          <tbody>
            {students.map((s) => {
              const row = rows.get(s.id);
              return (
                <tr key={s.id}>
                  <th scope="row">{s.fullName}</th>
                  <td className="num">{formatAverage(row?.average)}</td>
                  <td className="num">{row?.marksCount ?? 0}</td>
                  <td>{row?.proposed ? label(row.proposed) : '—'}</td>
                  <td>
                    <select
                      aria-label={t('teacher.termGrades.gradeOf', { student: s.fullName })}
                      value={chosen[s.id] ?? ''}
                      disabled={closed || !row}
                      onChange={(e) => choose(s.id, e.target.value)}
                    >
                      {/* A set grade is changed, not removed: the empty choice exists only while none is set. */}
                      {!row?.grade && <option value="">—</option>}
                      {values.map((v) => (
                        <option key={v} value={v}>
                          {label(v)}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {!closed && (
        <div className="toolbar">
          <button type="button" className="button button--secondary" onClick={fillProposed}>
            {t('teacher.termGrades.fillProposed')}
          </button>
          <button type="submit" className="button" disabled={result.fetching || changes.length === 0}>
            {t('teacher.termGrades.save', { count: changes.length })}
          </button>
          <span role="status" aria-live="polite" className="small">
            {result.fetching ? t('teacher.save.saving') : saved !== undefined ? t('teacher.termGrades.saved', { count: saved }) : ''}
          </span>
        </div>
      )}
      {result.error && <ErrorNotice error={result.error} />}
    </form>
  );
}
