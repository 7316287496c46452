import { Entity, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';

export type EntryStatus = 'ACTIVE' | 'WITHDRAWN';
export type MarkValue = '1' | '2' | '3' | '4' | '5' | 'PASS' | 'FAIL';

/** A mark (отметка) a student got in a lesson; never deleted — a withdrawn mark stays in the history. */
@Entity({ tableName: 'mark' })
export class Mark {
  [OptionalProps]?: 'id' | 'status' | 'version';
  @PrimaryKey({ type: 'integer' }) id!: number;
  @Property({ type: 'integer' }) lessonId!: number;
  @Property({ type: 'integer' }) studentId!: number;
  @Property({ type: 'string' }) value!: MarkValue;
  @Property({ type: 'integer' }) controlFormId!: number;
  /** The form of control's weight when the mark was given (numeric comes back as a string). */
  @Property({ type: 'decimal', columnType: 'numeric(4,2)' }) weight!: string;
  @Property({ type: 'string', nullable: true }) comment?: string | null;
  @Property({ type: 'string' }) status: EntryStatus = 'ACTIVE';
  @Property({ type: 'date', columnType: 'date' }) lessonDate!: string;
  @Property({ type: 'uuid' }) enteredBy!: string;
  @Property({ type: 'Date' }) enteredAt!: Date;
  /** Minutes from the lesson's end to the entry (negative: entered during the lesson). */
  @Property({ type: 'integer' }) delayMinutes!: number;
  @Property({ type: 'Date' }) updatedAt!: Date;
  @Property({ type: 'integer', version: true }) version!: number;
}
