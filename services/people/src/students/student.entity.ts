import { Entity, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';

@Entity({ tableName: 'student' })
export class Student {
  [OptionalProps]?: 'id' | 'version' | 'createdAt' | 'updatedAt';
  @PrimaryKey({ type: 'integer' }) id!: number;
  @Property({ type: 'uuid', nullable: true }) personId?: string | null;
  @Property({ type: 'string' }) lastName!: string;
  @Property({ type: 'string' }) firstName!: string;
  @Property({ type: 'string', nullable: true }) middleName?: string | null;
  @Property({ type: 'date', columnType: 'date' }) birthDate!: string;
  /** The SNILS as a keyed hash (kit identity-keys), never the number. */
  @Property({ type: 'string', nullable: true }) identityKey?: string | null;
  @Property({ type: 'integer', version: true }) version!: number;
  @Property({ type: 'Date', onCreate: () => new Date() }) createdAt: Date = new Date();
  @Property({ type: 'Date', onUpdate: () => new Date() }) updatedAt: Date = new Date();
}
