import { Entity, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';

export type TermGradeValue = '1' | '2' | '3' | '4' | '5' | 'PASS' | 'FAIL' | 'NOT_ASSESSED' | 'EXEMPT';

/** A term grade (четвертная отметка) of a student in a subject, set by the teacher. */
@Entity({ tableName: 'term_grade' })
export class TermGrade {
  [OptionalProps]?: 'id' | 'version';
  @PrimaryKey({ type: 'integer' }) id!: number;
  @Property({ type: 'integer' }) termId!: number;
  @Property({ type: 'integer' }) studentId!: number;
  @Property({ type: 'integer' }) subjectId!: number;
  @Property({ type: 'string' }) value!: TermGradeValue;
  /** The weighted average when the grade was set, and the grade it suggested. */
  @Property({ type: 'decimal', columnType: 'numeric(4,2)', nullable: true }) average?: string | null;
  @Property({ type: 'string', nullable: true }) proposed?: string | null;
  @Property({ type: 'uuid' }) setBy!: string;
  @Property({ type: 'Date' }) setAt!: Date;
  @Property({ type: 'integer', version: true }) version!: number;
}
