import { Entity, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';
import type { EntryStatus } from '../marks/mark.entity';

/** Н absent, Б ill, УП excused (уважительная причина), ОП late. */
export type AttendanceCode = 'ABSENT' | 'ILL' | 'EXCUSED' | 'LATE';

@Entity({ tableName: 'attendance' })
export class Attendance {
  [OptionalProps]?: 'id' | 'status' | 'version';
  @PrimaryKey({ type: 'integer' }) id!: number;
  @Property({ type: 'integer' }) lessonId!: number;
  @Property({ type: 'integer' }) studentId!: number;
  @Property({ type: 'string' }) code!: AttendanceCode;
  @Property({ type: 'string', nullable: true }) reason?: string | null;
  @Property({ type: 'string' }) status: EntryStatus = 'ACTIVE';
  @Property({ type: 'date', columnType: 'date' }) lessonDate!: string;
  @Property({ type: 'uuid' }) enteredBy!: string;
  @Property({ type: 'Date' }) enteredAt!: Date;
  @Property({ type: 'integer' }) delayMinutes!: number;
  @Property({ type: 'Date' }) updatedAt!: Date;
  @Property({ type: 'integer', version: true }) version!: number;
}
