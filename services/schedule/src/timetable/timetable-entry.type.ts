import { Field, ID, Int, ObjectType } from 'type-graphql';
import { toGlobalId } from '@district/kit';
import type { TimetableEntry } from './timetable-entry.entity';

@ObjectType('TimetableEntry', { description: 'A weekly slot of the timetable' })
export class TimetableEntryType {
  @Field(() => ID) id!: string;
  @Field(() => Int, { description: '1 Пн … 6 Сб' }) weekday!: number;
  @Field(() => Int) period!: number;
  @Field(() => Int) shift!: number;
  @Field(() => String, { nullable: true }) room?: string | null;
  @Field(() => String) validFrom!: string;
  @Field(() => String, { nullable: true, description: 'null: until the end of the academic year' }) validTo?: string | null;
  @Field(() => Int) version!: number;
  teachingAssignmentId!: number;

  static from(entity: TimetableEntry, schoolId: string): TimetableEntryType {
    return Object.assign(new TimetableEntryType(), {
      id: toGlobalId('TimetableEntry', schoolId, entity.id),
      teachingAssignmentId: entity.teachingAssignmentId,
      weekday: entity.weekday,
      period: entity.period,
      shift: entity.shift,
      room: entity.room ?? null,
      validFrom: entity.validFrom,
      validTo: entity.validTo ?? null,
      version: entity.version,
    });
  }
}
