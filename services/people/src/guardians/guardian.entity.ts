import { Entity, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';

@Entity({ tableName: 'guardian' })
export class Guardian {
  [OptionalProps]?: 'id' | 'version' | 'createdAt' | 'updatedAt';
  @PrimaryKey({ type: 'integer' }) id!: number;
  @Property({ type: 'uuid', nullable: true }) personId?: string | null;
  @Property({ type: 'string' }) lastName!: string;
  @Property({ type: 'string' }) firstName!: string;
  @Property({ type: 'string', nullable: true }) middleName?: string | null;
  @Property({ type: 'string', nullable: true }) phone?: string | null;
  @Property({ type: 'string', nullable: true }) email?: string | null;
  /** The SNILS as a keyed hash (kit identity-keys), never the number. */
  @Property({ type: 'string', nullable: true }) identityKey?: string | null;
  @Property({ type: 'integer', version: true }) version!: number;
  @Property({ type: 'Date', onCreate: () => new Date() }) createdAt: Date = new Date();
  @Property({ type: 'Date', onUpdate: () => new Date() }) updatedAt: Date = new Date();
}

export type GuardianRelation = 'mother' | 'father' | 'guardian' | 'other';

@Entity({ tableName: 'guardianship' })
export class Guardianship {
  [OptionalProps]?: 'id' | 'createdAt';
  @PrimaryKey({ type: 'integer' }) id!: number;
  @Property({ type: 'integer' }) guardianId!: number;
  @Property({ type: 'integer' }) studentId!: number;
  @Property({ type: 'string' }) relation!: GuardianRelation;
  @Property({ type: 'Date', onCreate: () => new Date() }) createdAt: Date = new Date();
}
