import { Entity, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';

export type SchoolStatus = 'LIVE' | 'PILOT' | 'NOT_STARTED';

/** A school of the district and where its instances run. */
@Entity({ tableName: 'school' })
export class SchoolRecord {
  [OptionalProps]?: 'version' | 'createdAt' | 'updatedAt';
  /** School code, e.g. s001. */
  @PrimaryKey({ type: 'string' }) id!: string;
  @Property({ type: 'string' }) fullName!: string;
  @Property({ type: 'string' }) shortName!: string;
  @Property({ type: 'string' }) address!: string;
  @Property({ type: 'string', nullable: true }) director?: string | null;
  @Property({ type: 'string' }) status!: SchoolStatus;
  @Property({ type: 'string', nullable: true }) peopleUrl?: string | null;
  @Property({ type: 'string', nullable: true }) scheduleUrl?: string | null;
  @Property({ type: 'string', nullable: true }) journalUrl?: string | null;
  @Property({ type: 'integer', version: true }) version!: number;
  @Property({ type: 'Date', onCreate: () => new Date() }) createdAt: Date = new Date();
  @Property({ type: 'Date', onUpdate: () => new Date() }) updatedAt: Date = new Date();
}
