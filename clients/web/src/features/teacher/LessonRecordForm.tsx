import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import { formatShort } from '../../lib/dates';
import { ErrorNotice } from '../../ui/components';
import type { GridLesson } from './JournalGrid';
import { newIdempotencyKey } from './use-outbox';

const TeacherSetLessonRecord = graphql(`
  mutation TeacherSetLessonRecord($lessonId: ID!, $topic: String, $homework: String, $version: Int, $idempotencyKey: String!) {
    setLessonRecord(lessonId: $lessonId, topic: $topic, homework: $homework, version: $version, idempotencyKey: $idempotencyKey) {
      lessonId
      topic
      homework
      version
    }
  }
`);

interface Current {
  version: number;
  topic: string | null;
  homework: string | null;
}

/** The topic and homework of the lesson open for entry. */
export function LessonRecordForm({ lesson, onSaved }: { lesson: GridLesson; onSaved(): void }) {
  const { t } = useTranslation();
  const [topic, setTopic] = useState(lesson.topic ?? '');
  const [homework, setHomework] = useState(lesson.homework ?? '');
  const [version, setVersion] = useState(lesson.recordVersion);
  // One key per content: a retry of the same text after a lost answer is the same request.
  const [attempt, setAttempt] = useState<{ body: string; key: string } | undefined>();
  const [result, run] = useMutation(TeacherSetLessonRecord);
  const [saved, setSaved] = useState(false);
  const conflict = result.error?.graphQLErrors.find((e) => e.extensions?.code === 'CONFLICT')?.extensions?.current as Current | undefined;
  const dirty = topic !== (lesson.topic ?? '') || homework !== (lesson.homework ?? '');
  const readOnly = !lesson.editWindowOpen;

  const save = async () => {
    const body = JSON.stringify({ topic, homework, version });
    const key = attempt?.body === body ? attempt.key : newIdempotencyKey();
    setAttempt({ body, key });
    setSaved(false);
    const answer = await run({ lessonId: lesson.id, topic: topic.trim() || null, homework: homework.trim() || null, version, idempotencyKey: key });
    if (answer.data) {
      setVersion(answer.data.setLessonRecord.version);
      setSaved(true);
      onSaved();
    }
  };

  return (
    <form
      className="lesson-record"
      aria-labelledby={`record-${lesson.id}`}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h3 id={`record-${lesson.id}`}>{t('teacher.record.title', { date: formatShort(lesson.date) })}</h3>
      {readOnly && <p className="muted small">{t('teacher.record.closed')}</p>}
      <div className="lesson-record__fields">
        <label className="field">
          {t('teacher.record.topic')}
          <input value={topic} onChange={(e) => setTopic(e.target.value)} maxLength={500} readOnly={readOnly} />
        </label>
        <label className="field">
          {t('teacher.record.homework')}
          <textarea value={homework} onChange={(e) => setHomework(e.target.value)} maxLength={5000} rows={2} readOnly={readOnly} />
        </label>
      </div>
      {!readOnly && (
        <div className="toolbar">
          <button type="submit" className="button button--secondary" disabled={result.fetching || (!dirty && !attempt)}>
            {t('teacher.record.save')}
          </button>
          <span role="status" aria-live="polite" className="small">
            {result.fetching && t('teacher.save.saving')}
            {saved && !result.fetching && t('teacher.record.saved')}
          </span>
        </div>
      )}
      {conflict ? (
        <div className="notice notice--warning" role="alert">
          <p>{t('teacher.record.conflict')}</p>
          <dl className="lesson-record__conflict">
            <dt>{t('teacher.record.yours')}</dt>
            <dd>{[topic, homework].filter(Boolean).join(' · ') || '—'}</dd>
            <dt>{t('teacher.record.theirs')}</dt>
            <dd>{[conflict.topic, conflict.homework].filter(Boolean).join(' · ') || '—'}</dd>
          </dl>
          <div className="toolbar">
            <button
              type="button"
              className="button button--secondary"
              onClick={() => {
                setTopic(conflict.topic ?? '');
                setHomework(conflict.homework ?? '');
                setVersion(conflict.version);
                setAttempt(undefined);
              }}
            >
              {t('teacher.record.takeTheirs')}
            </button>
            <button
              type="button"
              className="button"
              onClick={() => {
                setVersion(conflict.version);
                setAttempt(undefined);
              }}
            >
              {t('teacher.record.keepMine')}
            </button>
          </div>
        </div>
      ) : (
        result.error && <ErrorNotice error={result.error} />
      )}
    </form>
  );
}
