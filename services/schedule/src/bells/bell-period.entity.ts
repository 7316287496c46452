import { Entity, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';

/** One line of the bell schedule (расписание звонков): period `number` of a shift. */
@Entity({ tableName: 'bell_period' })
export class BellPeriod {
  [OptionalProps]?: 'id' | 'shift' | 'version' | 'createdAt' | 'updatedAt';
  @PrimaryKey({ type: 'integer' }) id!: number;
  @Property({ type: 'integer' }) shift: number = 1;
  @Property({ type: 'integer' }) number!: number;
  /** 'HH:MM:SS' as PostgreSQL returns a `time`. */
  @Property({ type: 'time', columnType: 'time' }) startTime!: string;
  @Property({ type: 'time', columnType: 'time' }) endTime!: string;
  @Property({ type: 'integer', version: true }) version!: number;
  @Property({ type: 'Date', onCreate: () => new Date() }) createdAt: Date = new Date();
  @Property({ type: 'Date', onUpdate: () => new Date() }) updatedAt: Date = new Date();
}
