import { Field, ID, Int, ObjectType } from 'type-graphql';
import { toGlobalId } from '@district/kit';
import { shortTime } from '../dates';
import type { BellPeriod } from './bell-period.entity';

@ObjectType('BellPeriod', { description: 'One lesson period of the bell schedule (расписание звонков)' })
export class BellPeriodType {
  @Field(() => ID) id!: string;
  @Field(() => Int, { description: 'Урок № 1–8' }) number!: number;
  @Field(() => Int, { description: 'Смена (1 unless the school works in shifts)' }) shift!: number;
  @Field(() => String, { description: 'HH:MM' }) startTime!: string;
  @Field(() => String, { description: 'HH:MM' }) endTime!: string;
  @Field(() => Int) version!: number;

  static from(entity: BellPeriod, schoolId: string): BellPeriodType {
    return Object.assign(new BellPeriodType(), {
      id: toGlobalId('BellPeriod', schoolId, entity.id),
      number: entity.number,
      shift: entity.shift,
      startTime: shortTime(entity.startTime),
      endTime: shortTime(entity.endTime),
      version: entity.version,
    });
  }
}
