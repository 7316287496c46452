import { Entity, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';

/** A weekly slot of the timetable: an assignment's lesson every `weekday` (1 Пн … 6 Сб) at `period`. */
@Entity({ tableName: 'timetable_entry' })
export class TimetableEntry {
  [OptionalProps]?: 'id' | 'shift' | 'version' | 'createdAt' | 'updatedAt';
  @PrimaryKey({ type: 'integer' }) id!: number;
  @Property({ type: 'integer' }) teachingAssignmentId!: number;
  @Property({ type: 'integer' }) weekday!: number;
  @Property({ type: 'integer' }) period!: number;
  @Property({ type: 'integer' }) shift: number = 1;
  @Property({ type: 'string', nullable: true }) room?: string | null;
  @Property({ type: 'date', columnType: 'date' }) validFrom!: string;
  /** null: until the end of the academic year. */
  @Property({ type: 'date', columnType: 'date', nullable: true }) validTo?: string | null;
  @Property({ type: 'integer', version: true }) version!: number;
  @Property({ type: 'Date', onCreate: () => new Date() }) createdAt: Date = new Date();
  @Property({ type: 'Date', onUpdate: () => new Date() }) updatedAt: Date = new Date();
}
