import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { useSession } from '../../app/session-context';
import { hasRole } from '../../auth/session';
import { graphql } from '../../gql';
import type { DiaryWeekQuery } from '../../gql/graphql';
import { addDays, formatAverage, formatDayMonth, formatWeek, formatWeekday, mondayOf, todayIso } from '../../lib/dates';
import { Badge, Card, ErrorNotice, Loading, MarkChip, Notice, PageHeader } from '../../ui/components';
import { newMarksSince, markKey, type MarkSighting } from './seen-marks';
import './diary.css';

const DiaryStudents = graphql(`
  query DiaryStudents {
    myChildren {
      id
      fullName
      classGroup {
        name
      }
      school {
        id
        shortName
      }
    }
    myStudentRecord {
      id
      fullName
      classGroup {
        name
      }
      school {
        id
        shortName
      }
    }
  }
`);

const DiaryWeek = graphql(`
  query DiaryWeek($studentId: ID!, $weekStart: String!) {
    diary(studentId: $studentId, weekStart: $weekStart) {
      weekStart
      term
      days {
        date
        lessons {
          lesson {
            id
          }
          period
          startTime
          endTime
          subject
          cancelled
          topic
          homework
          homeworkAttachments
          attendance
          marks {
            value
            controlForm
            weight
            comment
          }
        }
      }
      subjects {
        subject
        average
        proposedGrade
        marksCount
        marks
      }
    }
  }
`);

type Week = DiaryWeekQuery['diary'];

/** The diary of a student, or of a parent's children (in any of their schools), one week at a time. */
export default function DiaryPage() {
  const { t } = useTranslation();
  const session = useSession();
  const [students, refetchStudents] = useQuery({ query: DiaryStudents });
  const children = useMemo(() => {
    const list = [...(students.data?.myChildren ?? [])];
    const self = students.data?.myStudentRecord;
    if (self && !list.some((c) => c.id === self.id)) list.unshift(self);
    return list;
  }, [students.data]);
  const [chosen, setChosen] = useState<string | undefined>();
  const [weekStart, setWeekStart] = useState(() => mondayOf(todayIso()));
  const student = children.find((c) => c.id === chosen) ?? children[0];

  if (!hasRole(session, 'student', 'parent')) return <Notice kind="info">{t('errors.forbiddenHint')}</Notice>;
  if (students.fetching && !students.data) return <Loading />;
  if (students.error && !students.data) {
    return (
      <>
        <PageHeader title={t('diary.title')} />
        <ErrorNotice error={students.error} onRetry={() => refetchStudents({ requestPolicy: 'network-only' })} />
      </>
    );
  }
  if (!student) return <Notice kind="info">{t('diary.noChildren')}</Notice>;

  return (
    <>
      <PageHeader title={t('diary.title')}>
        {children.length > 1 && (
          <label className="field">
            {t('diary.child')}
            <select value={student.id} onChange={(e) => setChosen(e.target.value)}>
              {children.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.fullName}, {c.classGroup?.name ?? '—'} ({c.school.shortName})
                </option>
              ))}
            </select>
          </label>
        )}
      </PageHeader>
      {students.error && <ErrorNotice error={students.error} />}
      <p className="muted">
        {student.fullName} · {student.classGroup?.name ?? '—'} · {student.school.shortName}
      </p>
      <WeekSwitcher weekStart={weekStart} onChange={setWeekStart} />
      <DiaryWeekView key={`${student.id}|${weekStart}`} studentId={student.id} weekStart={weekStart} />
    </>
  );
}

function WeekSwitcher({ weekStart, onChange }: { weekStart: string; onChange: (monday: string) => void }) {
  const { t } = useTranslation();
  const thisWeek = mondayOf(todayIso());
  return (
    <nav className="toolbar diary-weeks" aria-label={t('diary.week')}>
      <button type="button" className="button button--secondary" onClick={() => onChange(addDays(weekStart, -7))} aria-label={t('diary.prevWeek')}>
        ←
      </button>
      <strong aria-live="polite">{formatWeek(weekStart)}</strong>
      <button type="button" className="button button--secondary" onClick={() => onChange(addDays(weekStart, 7))} aria-label={t('diary.nextWeek')}>
        →
      </button>
      {weekStart !== thisWeek && (
        <button type="button" className="button button--secondary" onClick={() => onChange(thisWeek)}>
          {t('diary.thisWeek')}
        </button>
      )}
    </nav>
  );
}

function DiaryWeekView({ studentId, weekStart }: { studentId: string; weekStart: string }) {
  const { t } = useTranslation();
  const [result, refetch] = useQuery({ query: DiaryWeek, variables: { studentId, weekStart } });
  // Only an answer for this very student and week (not a cached one of the previous choice) counts as seen.
  const current = result.operation?.variables.studentId === studentId && result.operation.variables.weekStart === weekStart;
  const week = current ? result.data?.diary : undefined;
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  useEffect(() => {
    if (week && !result.stale) setFresh(newMarksSince(window.localStorage, studentId, sightings(week)));
  }, [week, studentId, result.stale]);

  if (result.fetching && !week) return <Loading />;
  if (result.error && !week) return <ErrorNotice error={result.error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />;
  if (!week) return null;
  return (
    <>
      {fresh.size > 0 && <Notice kind="info">{t('diary.newSince', { count: fresh.size })}</Notice>}
      <div className="diary-days">
        {week.days.map((day) => (
          <section key={day.date} className="card diary-day" aria-labelledby={`day-${day.date}`}>
            <h2 id={`day-${day.date}`} className="diary-day__title">
              <span className="diary-day__weekday">{formatWeekday(day.date)}</span> {formatDayMonth(day.date)}
            </h2>
            {day.lessons.length === 0 ? (
              <p className="muted">{t('diary.noLessons')}</p>
            ) : (
              <ol className="diary-lessons">
                {day.lessons.map((lesson) => (
                  <li key={lesson.lesson.id} className={lesson.cancelled ? 'diary-lesson diary-lesson--cancelled' : 'diary-lesson'}>
                    <div className="diary-lesson__head">
                      <span className="diary-lesson__period">{lesson.period}</span>
                      <strong>{lesson.subject}</strong>
                      <span className="muted small">
                        {lesson.startTime.slice(0, 5)}–{lesson.endTime.slice(0, 5)}
                      </span>
                      {lesson.cancelled && <Badge kind="warning">{t('teacher.cancelled')}</Badge>}
                      {lesson.attendance && <Badge kind="danger">{t(`diary.attendance.${lesson.attendance}`, { defaultValue: lesson.attendance })}</Badge>}
                    </div>
                    {lesson.topic && (
                      <p className="small">
                        <span className="muted">{t('diary.topic')}:</span> {lesson.topic}
                      </p>
                    )}
                    {lesson.homework && (
                      <p className="small">
                        <span className="muted">{t('diary.homework')}:</span> {lesson.homework}
                      </p>
                    )}
                    {lesson.marks.length > 0 && (
                      <p className="diary-marks" aria-label={t('diary.marks')}>
                        {lesson.marks.map((mark, index) => (
                          <span key={index} className="diary-mark">
                            <MarkChip
                              value={mark.value}
                              weight={mark.weight}
                              title={`${mark.controlForm}, ${t('diary.weight', { weight: mark.weight.toLocaleString('ru-RU') })}`}
                            />
                            <span className="small muted">{mark.controlForm}</span>
                            {fresh.has(markKey({ lessonId: lesson.lesson.id, value: mark.value, controlForm: mark.controlForm, index })) && (
                              <Badge kind="success">{t('diary.new')}</Badge>
                            )}
                          </span>
                        ))}
                      </p>
                    )}
                  </li>
                ))}
              </ol>
            )}
          </section>
        ))}
      </div>
      <Card title={`${t('diary.averages')}${week.term ? ` · ${week.term}` : ''}`} labelledBy="diary-averages">
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('diary.subject')}</th>
                <th scope="col">{t('diary.average')}</th>
                <th scope="col">{t('diary.marksOfTerm')}</th>
              </tr>
            </thead>
            <tbody>
              {week.subjects.map((s) => (
                <tr key={s.subject}>
                  <th scope="row">{s.subject}</th>
                  <td>{formatAverage(s.average)}</td>
                  <td>
                    <span className="diary-term-marks">
                      {s.marks.map((m, i) => (
                        <MarkChip key={i} value={m} />
                      ))}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
    </>
  );
}

function sightings(week: Week): MarkSighting[] {
  return week.days.flatMap((d) =>
    d.lessons.flatMap((l) => l.marks.map((m, index) => ({ lessonId: l.lesson.id, value: m.value, controlForm: m.controlForm, index }))),
  );
}
