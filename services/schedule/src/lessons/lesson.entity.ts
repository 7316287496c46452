import { Entity, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';

export type LessonStatus = 'SCHEDULED' | 'CANCELLED';
export type LessonChangeKind = 'SUBSTITUTION' | 'MOVED' | 'CANCELLED' | 'ROOM';

/** A dated lesson, generated from the timetable for a term; times are copied from the bell schedule. */
@Entity({ tableName: 'lesson' })
export class Lesson {
  [OptionalProps]?: 'id' | 'shift' | 'status' | 'version' | 'createdAt' | 'updatedAt';
  @PrimaryKey({ type: 'integer' }) id!: number;
  @Property({ type: 'integer' }) teachingAssignmentId!: number;
  @Property({ type: 'integer' }) termId!: number;
  @Property({ type: 'date', columnType: 'date' }) date!: string;
  @Property({ type: 'integer' }) period!: number;
  @Property({ type: 'integer' }) shift: number = 1;
  @Property({ type: 'time', columnType: 'time' }) startTime!: string;
  @Property({ type: 'time', columnType: 'time' }) endTime!: string;
  @Property({ type: 'string', nullable: true }) room?: string | null;
  @Property({ type: 'string' }) status: LessonStatus = 'SCHEDULED';
  /** null: the assigned teacher teaches it. */
  @Property({ type: 'integer', nullable: true }) substituteStaffId?: number | null;
  /** The timetable slot it was generated for; stays when the lesson is moved, so regeneration does not bring it back. */
  @Property({ type: 'date', columnType: 'date' }) plannedDate!: string;
  @Property({ type: 'integer' }) plannedPeriod!: number;
  @Property({ type: 'integer', version: true }) version!: number;
  @Property({ type: 'Date', onCreate: () => new Date() }) createdAt: Date = new Date();
  @Property({ type: 'Date', onUpdate: () => new Date() }) updatedAt: Date = new Date();
}

/** Append-only log of one-off changes to a lesson (the database refuses UPDATE and DELETE). */
@Entity({ tableName: 'lesson_change' })
export class LessonChange {
  [OptionalProps]?: 'id' | 'changedAt';
  @PrimaryKey({ type: 'bigint' }) id!: string;
  @Property({ type: 'integer' }) lessonId!: number;
  @Property({ type: 'string' }) kind!: LessonChangeKind;
  @Property({ type: 'json', fieldName: 'old' }) oldValue!: Record<string, unknown>;
  @Property({ type: 'json', fieldName: 'new' }) newValue!: Record<string, unknown>;
  @Property({ type: 'string' }) reason!: string;
  @Property({ type: 'string' }) changedBy!: string;
  @Property({ type: 'Date', onCreate: () => new Date() }) changedAt: Date = new Date();
}
