import { DomainError, parseGlobalId, Validator, flushExplained } from '@district/kit';
import { JournalError } from '../journal.errors';
import type { JournalContext } from '../context';
import { JournalWrites } from '../journal-writes';
import { EntryRules } from '../lessons/entry-rules';
import { LessonRecord } from './lesson-record.entity';
import { LessonRecordType } from './lesson-record.type';

export interface LessonRecordInput {
  topic?: string | null;
  homework?: string | null;
  homeworkAttachments?: string[] | null;
}

function validRecord(input: LessonRecordInput): { topic?: string | null; homework?: string | null; attachments?: string[] } {
  const v = new Validator();
  const topic = input.topic === undefined ? undefined : (v.text('topic', input.topic, { required: false, max: 500, label: 'Тема урока' }) ?? null);
  const homework =
    input.homework === undefined ? undefined : (v.text('homework', input.homework, { required: false, max: 5000, label: 'Домашнее задание' }) ?? null);
  const attachments = input.homeworkAttachments ?? undefined;
  if (attachments) {
    v.check(attachments.length <= 10, 'homeworkAttachments', 'Не больше 10 вложений');
    attachments.forEach((a, i) => v.text(`homeworkAttachments.${i}`, a, { max: 500, label: 'Ссылка на вложение' }));
  }
  v.check(topic !== undefined || homework !== undefined || attachments !== undefined, 'topic', 'Укажите тему или домашнее задание');
  v.done();
  return { topic, homework, attachments };
}

const snapshot = (r: LessonRecord) => ({ topic: r.topic ?? null, homework: r.homework ?? null, homeworkAttachments: r.homeworkAttachments ?? [] });

/**
 * Topic and homework of a lesson: the lesson's teacher fills them in (before
 * the lesson too, e.g. from the lesson plan) until the edit window closes.
 * When each was first entered is kept for the timeliness figures.
 */
export class LessonRecordService {
  private readonly rules: EntryRules;
  private readonly writes: JournalWrites;

  constructor(private readonly ctx: JournalContext) {
    this.rules = new EntryRules(ctx);
    this.writes = new JournalWrites(ctx);
  }

  async set(lessonGlobalId: string, input: LessonRecordInput, version: number | null, key: string): Promise<LessonRecordType> {
    const author = this.rules.author();
    const lessonId = parseGlobalId(lessonGlobalId, 'Lesson', this.ctx.schoolId).localId;
    return this.writes.once('setLessonRecord', key, { lessonGlobalId, input, version }, author, async (em) => {
      // Who may write this lesson's topic and homework is decided before the text is validated.
      const fact = await this.rules.lesson(lessonId, lessonGlobalId);
      await this.rules.requireLessonTeacher(fact);
      const { topic, homework, attachments } = validRecord(input);
      if (fact.status === 'CANCELLED') throw new JournalError('LESSON_CANCELLED', `Урок ${fact.date} отменён`);
      if (fact.termClosed) throw new JournalError('TERM_CLOSED', 'Четверть (триместр) закрыта');
      if (!fact.editWindowOpen) throw new JournalError('EDIT_WINDOW_CLOSED', 'Срок внесения темы и задания для этого урока истёк');
      const now = new Date();
      let record = await em.findOne(LessonRecord, { lessonId });
      const old = record ? snapshot(record) : null;
      if (record) {
        if (version === null || record.version !== version)
          throw DomainError.conflict('Тема или задание уже изменены; обновите страницу', { version: record.version, ...snapshot(record) });
      } else {
        record = em.create(LessonRecord, { lessonId, lessonDate: fact.date, homeworkAttachments: [], updatedBy: author, updatedAt: now });
      }
      if (topic !== undefined) {
        if (topic && !record.topicEnteredAt) Object.assign(record, { topicEnteredAt: now, topicDelayMinutes: fact.minutesSinceEnd });
        record.topic = topic;
      }
      if (homework !== undefined || attachments !== undefined) {
        if (homework !== undefined) record.homework = homework;
        if (attachments !== undefined) record.homeworkAttachments = attachments;
        if ((record.homework || record.homeworkAttachments.length) && !record.homeworkEnteredAt)
          Object.assign(record, { homeworkEnteredAt: now, homeworkDelayMinutes: fact.minutesSinceEnd });
      }
      record.updatedBy = author;
      record.updatedAt = now;
      await flushExplained(em, 'Такая запись уже есть');
      await this.writes.audit(em, 'LESSON_RECORD', lessonId, old ? 'EDIT' : 'ENTER', old, snapshot(record));
      return LessonRecordType.from(record, this.ctx.schoolId);
    });
  }
}
