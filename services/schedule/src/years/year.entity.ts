import { Entity, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';

/** Учебный год, e.g. "2026/2027" from 1 September to the end of May. */
@Entity({ tableName: 'academic_year' })
export class AcademicYear {
  [OptionalProps]?: 'id' | 'version' | 'createdAt' | 'updatedAt';
  @PrimaryKey({ type: 'integer' }) id!: number;
  @Property({ type: 'string' }) name!: string;
  @Property({ type: 'date', columnType: 'date' }) startDate!: string;
  @Property({ type: 'date', columnType: 'date' }) endDate!: string;
  @Property({ type: 'integer', version: true }) version!: number;
  @Property({ type: 'Date', onCreate: () => new Date() }) createdAt: Date = new Date();
  @Property({ type: 'Date', onUpdate: () => new Date() }) updatedAt: Date = new Date();
}

export type TermKind = 'quarter' | 'trimester' | 'half_year';

/**
 * Четверть / триместр / полугодие for the years of study `yearsFrom..yearsTo`
 * (years 10–11 often have half-years while 1–9 have quarters).
 */
@Entity({ tableName: 'term' })
export class Term {
  [OptionalProps]?: 'id' | 'version' | 'createdAt' | 'updatedAt';
  @PrimaryKey({ type: 'integer' }) id!: number;
  @Property({ type: 'integer' }) academicYearId!: number;
  @Property({ type: 'string' }) name!: string;
  @Property({ type: 'string' }) kind!: TermKind;
  @Property({ type: 'integer' }) number!: number;
  @Property({ type: 'date', columnType: 'date' }) startDate!: string;
  @Property({ type: 'date', columnType: 'date' }) endDate!: string;
  @Property({ type: 'integer' }) yearsFrom!: number;
  @Property({ type: 'integer' }) yearsTo!: number;
  @Property({ type: 'Date', nullable: true }) closedAt?: Date | null;
  /** person_id (or token subject) of who closed it. */
  @Property({ type: 'string', nullable: true }) closedBy?: string | null;
  @Property({ type: 'integer', version: true }) version!: number;
  @Property({ type: 'Date', onCreate: () => new Date() }) createdAt: Date = new Date();
  @Property({ type: 'Date', onUpdate: () => new Date() }) updatedAt: Date = new Date();
}

/** Каникулы, or a single public holiday (start = end): no lessons on these dates. */
@Entity({ tableName: 'holiday' })
export class Holiday {
  [OptionalProps]?: 'id' | 'version' | 'createdAt' | 'updatedAt';
  @PrimaryKey({ type: 'integer' }) id!: number;
  @Property({ type: 'integer' }) academicYearId!: number;
  @Property({ type: 'string' }) name!: string;
  @Property({ type: 'date', columnType: 'date' }) startDate!: string;
  @Property({ type: 'date', columnType: 'date' }) endDate!: string;
  @Property({ type: 'integer', version: true }) version!: number;
  @Property({ type: 'Date', onCreate: () => new Date() }) createdAt: Date = new Date();
  @Property({ type: 'Date', onUpdate: () => new Date() }) updatedAt: Date = new Date();
}
