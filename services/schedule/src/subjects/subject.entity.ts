import { Entity, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';

/** MARKS: отметки 1–5; PASS_FAIL: зачёт / незачёт; NONE: no marks at all. */
export type Grading = 'MARKS' | 'PASS_FAIL' | 'NONE';

@Entity({ tableName: 'subject' })
export class Subject {
  [OptionalProps]?: 'id' | 'version' | 'createdAt' | 'updatedAt';
  @PrimaryKey({ type: 'integer' }) id!: number;
  /** e.g. «Математика». */
  @Property({ type: 'string' }) name!: string;
  /** e.g. «Матем.» for narrow timetable cells. */
  @Property({ type: 'string' }) shortName!: string;
  @Property({ type: 'string' }) grading!: Grading;
  @Property({ type: 'integer', version: true }) version!: number;
  @Property({ type: 'Date', onCreate: () => new Date() }) createdAt: Date = new Date();
  @Property({ type: 'Date', onUpdate: () => new Date() }) updatedAt: Date = new Date();
}
