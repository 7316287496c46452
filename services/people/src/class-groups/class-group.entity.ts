import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

@Entity({ tableName: 'class_group' })
export class ClassGroup {
  [OptionalProps]?: 'id' | 'version' | 'createdAt' | 'updatedAt';
  @PrimaryKey({ type: 'integer' }) id!: number;
  /** e.g. "5А": year of study and a letter. */
  @Property({ type: 'string' }) name!: string;
  @Property({ type: 'integer' }) yearOfStudy!: number;
  /** e.g. "2026/2027". */
  @Property({ type: 'string' }) academicYear!: string;
  @Property({ type: 'integer', nullable: true }) classTeacherId?: number | null;
  @Property({ type: 'integer', version: true }) version!: number;
  @Property({ type: 'Date', onCreate: () => new Date() }) createdAt: Date = new Date();
  @Property({ type: 'Date', onUpdate: () => new Date() }) updatedAt: Date = new Date();
}

@Entity({ tableName: 'enrollment' })
export class Enrollment {
  [OptionalProps]?: 'id' | 'createdAt';
  @PrimaryKey({ type: 'integer' }) id!: number;
  @Property({ type: 'integer' }) studentId!: number;
  @Property({ type: 'integer' }) classGroupId!: number;
  @Property({ type: 'date', columnType: 'date' }) startDate!: string;
  @Property({ type: 'date', columnType: 'date', nullable: true }) endDate?: string | null;
  @Property({ type: 'Date', onCreate: () => new Date() }) createdAt: Date = new Date();
}
