import { Entity, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';

/** What the journal holds for a lesson as a whole: its topic (тема урока) and homework (ДЗ). */
@Entity({ tableName: 'lesson_record' })
export class LessonRecord {
  [OptionalProps]?: 'homeworkAttachments' | 'version';
  @PrimaryKey({ type: 'integer', autoincrement: false }) lessonId!: number;
  @Property({ type: 'date', columnType: 'date' }) lessonDate!: string;
  @Property({ type: 'string', nullable: true }) topic?: string | null;
  @Property({ type: 'text', nullable: true }) homework?: string | null;
  /** References to attachments (URLs or file ids), not the files. */
  @Property({ type: 'json' }) homeworkAttachments: string[] = [];
  @Property({ type: 'Date', nullable: true }) topicEnteredAt?: Date | null;
  @Property({ type: 'integer', nullable: true }) topicDelayMinutes?: number | null;
  @Property({ type: 'Date', nullable: true }) homeworkEnteredAt?: Date | null;
  @Property({ type: 'integer', nullable: true }) homeworkDelayMinutes?: number | null;
  @Property({ type: 'uuid' }) updatedBy!: string;
  @Property({ type: 'Date' }) updatedAt!: Date;
  @Property({ type: 'integer', version: true }) version!: number;
}
