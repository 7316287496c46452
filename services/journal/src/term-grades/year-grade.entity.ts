import { Entity, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';
import type { TermGradeValue } from './term-grade.entity';

/** A year grade (годовая отметка) of a student in a subject. */
@Entity({ tableName: 'year_grade' })
export class YearGrade {
  [OptionalProps]?: 'id' | 'version';
  @PrimaryKey({ type: 'integer' }) id!: number;
  @Property({ type: 'integer' }) academicYearId!: number;
  @Property({ type: 'integer' }) studentId!: number;
  @Property({ type: 'integer' }) subjectId!: number;
  @Property({ type: 'string' }) value!: TermGradeValue;
  @Property({ type: 'string', nullable: true }) proposed?: string | null;
  @Property({ type: 'uuid' }) setBy!: string;
  @Property({ type: 'Date' }) setAt!: Date;
  @Property({ type: 'integer', version: true }) version!: number;
}
