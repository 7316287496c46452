import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { toGlobalId } from '@district/kit';
import { isoWeekday, shortTime } from '../dates';
import { StaffRef } from '../federation/stubs';
import { TermType } from '../years/year.type';
import type { Lesson, LessonChange } from './lesson.entity';

export enum LessonStatusEnum {
  SCHEDULED = 'SCHEDULED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(LessonStatusEnum, { name: 'LessonStatus' });

export enum LessonChangeKindEnum {
  SUBSTITUTION = 'SUBSTITUTION',
  MOVED = 'MOVED',
  CANCELLED = 'CANCELLED',
  ROOM = 'ROOM',
}
registerEnumType(LessonChangeKindEnum, { name: 'LessonChangeKind', description: 'Замена, перенос, отмена, смена кабинета' });

@Directive('@key(fields: "id")')
@ObjectType('Lesson', { description: 'A dated lesson of a class (or of a group of it)' })
export class LessonType {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'ISO date' }) date!: string;
  @Field(() => Int, { description: '1 Пн … 6 Сб' }) weekday!: number;
  @Field(() => Int, { description: 'Урок № (period of the bell schedule)' }) period!: number;
  @Field(() => String, { description: 'HH:MM' }) startTime!: string;
  @Field(() => String, { description: 'HH:MM' }) endTime!: string;
  @Field(() => String, { nullable: true }) room?: string | null;
  @Field(() => LessonStatusEnum) status!: LessonStatusEnum;
  @Field(() => Int, { description: 'Send it back with a change; a stale one is CONFLICT' }) version!: number;
  localId!: number;
  teachingAssignmentId!: number;
  termId!: number;
  substituteStaffId!: number | null;

  static from(entity: Lesson, schoolId: string): LessonType {
    return Object.assign(new LessonType(), {
      id: toGlobalId('Lesson', schoolId, entity.id),
      localId: entity.id,
      teachingAssignmentId: entity.teachingAssignmentId,
      termId: entity.termId,
      substituteStaffId: entity.substituteStaffId ?? null,
      date: entity.date,
      weekday: isoWeekday(entity.date),
      period: entity.period,
      startTime: shortTime(entity.startTime),
      endTime: shortTime(entity.endTime),
      room: entity.room ?? null,
      status: entity.status as LessonStatusEnum,
      version: entity.version,
    });
  }
}

/** What a lesson looked like before or after a change; kept in lesson_change.old / .new. */
export interface LessonSnapshotData {
  date: string;
  period: number;
  startTime: string;
  endTime: string;
  room: string | null;
  status: string;
  substituteStaffId: number | null;
}

export function snapshotOf(lesson: Lesson): LessonSnapshotData {
  return {
    date: lesson.date,
    period: lesson.period,
    startTime: shortTime(lesson.startTime),
    endTime: shortTime(lesson.endTime),
    room: lesson.room ?? null,
    status: lesson.status,
    substituteStaffId: lesson.substituteStaffId ?? null,
  };
}

@ObjectType('LessonSnapshot', { description: 'A lesson as it was before or after a change' })
export class LessonSnapshotType {
  @Field(() => String) date!: string;
  @Field(() => Int) period!: number;
  @Field(() => String) startTime!: string;
  @Field(() => String) endTime!: string;
  @Field(() => String, { nullable: true }) room?: string | null;
  @Field(() => LessonStatusEnum) status!: LessonStatusEnum;
  @Field(() => StaffRef, { nullable: true, description: 'null: the assigned teacher' }) substitute?: StaffRef | null;

  static from(data: LessonSnapshotData, schoolId: string): LessonSnapshotType {
    return Object.assign(new LessonSnapshotType(), {
      date: data.date,
      period: data.period,
      startTime: data.startTime,
      endTime: data.endTime,
      room: data.room,
      status: data.status as LessonStatusEnum,
      substitute: data.substituteStaffId ? StaffRef.of(schoolId, data.substituteStaffId) : null,
    });
  }
}

@ObjectType('LessonChange', { description: 'One recorded change of a lesson: who, when, why, before and after' })
export class LessonChangeType {
  @Field(() => ID) id!: string;
  @Field(() => LessonChangeKindEnum) kind!: LessonChangeKindEnum;
  @Field(() => LessonSnapshotType) before!: LessonSnapshotType;
  @Field(() => LessonSnapshotType) after!: LessonSnapshotType;
  @Field(() => String) reason!: string;
  @Field(() => String, { description: 'person_id of who made the change' }) changedBy!: string;
  @Field(() => String, { description: 'ISO timestamp' }) changedAt!: string;

  static from(entity: LessonChange, schoolId: string): LessonChangeType {
    return Object.assign(new LessonChangeType(), {
      id: toGlobalId('LessonChange', schoolId, entity.id),
      kind: entity.kind as LessonChangeKindEnum,
      before: LessonSnapshotType.from(entity.oldValue as unknown as LessonSnapshotData, schoolId),
      after: LessonSnapshotType.from(entity.newValue as unknown as LessonSnapshotData, schoolId),
      reason: entity.reason,
      changedBy: entity.changedBy,
      changedAt: new Date(entity.changedAt).toISOString(),
    });
  }
}

@ObjectType('GenerateLessonsResult')
export class GenerateLessonsResultType {
  @Field(() => Int, { description: 'Lessons created by this run' }) created!: number;
  @Field(() => Int, { description: 'Timetable slots of the term that already had their lesson' }) existing!: number;
  @Field(() => TermType) term!: TermType;
}
