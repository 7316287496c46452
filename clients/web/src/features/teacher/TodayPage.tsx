import type { CombinedError } from '@urql/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useQuery } from 'urql';
import { useSession } from '../../app/session-context';
import { hasRole } from '../../auth/session';
import { graphql } from '../../gql';
import type { TeacherLessonStateQuery, TeacherTodayQuery } from '../../gql/graphql';
import { addDays, formatDayMonth, formatShort, formatWeekday, formatWeekdayShort, todayIso } from '../../lib/dates';
import { Badge, ErrorNotice, Loading, Notice, PageHeader } from '../../ui/components';
import { OutboxNotice } from './OutboxNotice';
import { useOutbox } from './use-outbox';
import './teacher.css';

const TeacherToday = graphql(`
  query TeacherToday($schoolId: ID!, $from: String!, $to: String!) {
    teacherLessons(schoolId: $schoolId, from: $from, to: $to) {
      id
      date
      period
      startTime
      endTime
      room
      status
      groupName
      subject {
        id
        name
      }
      classGroup {
        id
        name
      }
      term {
        id
      }
      teacher {
        id
        fullName
      }
      substitute {
        id
        fullName
      }
    }
  }
`);

const TeacherLessonState = graphql(`
  query TeacherLessonState($lessonId: ID!) {
    lessonJournal(lessonId: $lessonId) {
      held
      editable
      readOnlyReason
      record {
        topic
        homework
      }
      marks {
        id
      }
      attendance {
        id
      }
    }
  }
`);

type Lesson = TeacherTodayQuery['teacherLessons'][number];
type LessonPage = TeacherLessonStateQuery['lessonJournal'];

/** The teacher's day: today's lessons from the timetable and what each still lacks in the journal. */
export default function TodayPage() {
  const { t } = useTranslation();
  const session = useSession();
  const schoolId = session.schoolIds[0] ?? '';
  const today = todayIso();
  // Today and the week ahead in one request: the week is shown when today has no lessons.
  const [result, refetch] = useQuery({ query: TeacherToday, variables: { schoolId, from: today, to: addDays(today, 7) }, pause: !schoolId });
  const { items, flush } = useOutbox();

  if (!hasRole(session, 'teacher')) return <Notice kind="info">{t('errors.forbiddenHint')}</Notice>;
  if (result.fetching && !result.data) return <Loading />;
  if (result.error && !result.data) return <ErrorNotice error={result.error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />;

  const lessons = result.data?.teacherLessons ?? [];
  const todays = lessons.filter((l) => l.date === today);
  const upcoming = lessons.filter((l) => l.date > today && l.status !== 'CANCELLED').slice(0, 6);

  return (
    <>
      <PageHeader title={t('teacher.todayTitle')}>
        <span className="muted">{capitalized(`${formatWeekday(today)}, ${formatDayMonth(today)}`)}</span>
      </PageHeader>
      {result.error && <ErrorNotice error={result.error} />}
      <OutboxNotice items={items} onRetry={() => void flush()} />
      {todays.length === 0 ? (
        <section className="card" aria-labelledby="no-lessons">
          <h2 id="no-lessons">{t('teacher.noLessonsToday')}</h2>
          {upcoming.length > 0 ? (
            <>
              <p className="muted">{t('teacher.nextLessons')}</p>
              <ul className="today-upcoming">
                {upcoming.map((l) => (
                  <li key={l.id}>
                    <Link to={journalLink(l)}>
                      <span className="today-upcoming__when">
                        {formatWeekdayShort(l.date)} {formatShort(l.date)}, {t('teacher.period', { n: l.period })}
                      </span>{' '}
                      {l.classGroup.name} · {l.subject.name}
                    </Link>
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p className="muted">{t('teacher.noLessonsWeek')}</p>
          )}
          <Link className="button button--secondary" to="/journal">
            {t('teacher.openJournal')}
          </Link>
        </section>
      ) : (
        <ol className="today-lessons" aria-label={t('teacher.todayTitle')}>
          {todays.map((lesson) => (
            <TodayLesson key={lesson.id} lesson={lesson} />
          ))}
        </ol>
      )}
    </>
  );
}

/** Refused: e.g. the lesson is taught by a substitute, who fills it in. */
const forbidden = (error: CombinedError) => error.graphQLErrors.some((e) => e.extensions?.code === 'FORBIDDEN');

const capitalized = (text: string) => text.charAt(0).toLocaleUpperCase('ru-RU') + text.slice(1);

function journalLink(l: Lesson): string {
  return `/journal?${new URLSearchParams({ class: l.classGroup.id, subject: l.subject.id, term: l.term.id, lesson: l.id }).toString()}`;
}

function TodayLesson({ lesson }: { lesson: Lesson }) {
  const { t } = useTranslation();
  const cancelled = lesson.status === 'CANCELLED';
  const [state] = useQuery({ query: TeacherLessonState, variables: { lessonId: lesson.id }, pause: cancelled });
  const page = state.data?.lessonJournal;
  const titleId = `lesson-${lesson.id}`;
  return (
    <li className={`card today-lesson${cancelled ? ' today-lesson--cancelled' : ''}`} aria-labelledby={titleId}>
      <div className="today-lesson__head">
        <span className="today-lesson__period" aria-hidden="true">
          {lesson.period}
        </span>
        <div className="today-lesson__what">
          <h2 id={titleId} className="today-lesson__title">
            <span className="teacher-sr-only">{t('teacher.period', { n: lesson.period })}: </span>
            {lesson.classGroup.name} · {lesson.subject.name}
            {lesson.groupName && <span className="muted"> ({lesson.groupName})</span>}
          </h2>
          <p className="muted small">
            {lesson.startTime}–{lesson.endTime}
            {lesson.room && ` · ${t('teacher.room', { room: lesson.room })}`}
          </p>
        </div>
        {cancelled && <Badge kind="danger">{t('teacher.cancelled')}</Badge>}
        {lesson.substitute && <Badge kind="warning">{t('teacher.substitution', { who: lesson.substitute.fullName, instead: lesson.teacher.fullName })}</Badge>}
      </div>
      {!cancelled && (
        <>
          {state.fetching && !page && <Loading />}
          {state.error &&
            !page &&
            (forbidden(state.error) && lesson.substitute ? <p className="muted small">{t('teacher.substitutedOut')}</p> : <ErrorNotice error={state.error} />)}
          {page && <Checklist page={page} />}
          <Link className="button today-lesson__open" to={journalLink(lesson)}>
            {t('teacher.openLesson')}
          </Link>
        </>
      )}
    </li>
  );
}

function Checklist({ page }: { page: LessonPage }) {
  const { t } = useTranslation();
  const items: { key: string; done: boolean; text: string }[] = [
    {
      key: 'topic',
      done: Boolean(page.record?.topic),
      text: page.record?.topic ? t('teacher.check.topic', { topic: page.record.topic }) : t('teacher.check.noTopic'),
    },
    { key: 'homework', done: Boolean(page.record?.homework), text: page.record?.homework ? t('teacher.check.homework') : t('teacher.check.noHomework') },
  ];
  if (page.held) {
    items.push(
      {
        key: 'attendance',
        done: page.attendance.length > 0,
        text: page.attendance.length ? t('teacher.check.absences', { count: page.attendance.length }) : t('teacher.check.noAbsences'),
      },
      {
        key: 'marks',
        done: page.marks.length > 0,
        text: page.marks.length ? t('teacher.check.marks', { count: page.marks.length }) : t('teacher.check.noMarks'),
      },
    );
  }
  const missing = items.filter((i) => !i.done).length;
  return (
    <>
      <p className="today-lesson__status">
        {missing === 0 ? <Badge kind="success">{t('teacher.complete')}</Badge> : <Badge kind="warning">{t('teacher.missingCount', { count: missing })}</Badge>}
        {!page.held && <span className="muted small"> {t('teacher.notStarted')}</span>}
        {page.held && !page.editable && page.readOnlyReason && <span className="muted small"> {page.readOnlyReason}</span>}
      </p>
      <ul className="today-checklist">
        {items.map((i) => (
          <li key={i.key} className={i.done ? 'is-done' : 'is-missing'}>
            <span aria-hidden="true">{i.done ? '✓' : '•'}</span> {i.text}
          </li>
        ))}
      </ul>
    </>
  );
}
