import { Entity, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';

@Entity({ tableName: 'staff' })
export class Staff {
  [OptionalProps]?: 'id' | 'active' | 'version' | 'createdAt' | 'updatedAt';
  @PrimaryKey({ type: 'integer' }) id!: number;
  @Property({ type: 'uuid', nullable: true }) personId?: string | null;
  @Property({ type: 'string' }) lastName!: string;
  @Property({ type: 'string' }) firstName!: string;
  @Property({ type: 'string', nullable: true }) middleName?: string | null;
  @Property({ type: 'string' }) position!: string;
  @Property({ type: 'string', nullable: true }) email?: string | null;
  @Property({ type: 'boolean' }) active: boolean = true;
  @Property({ type: 'integer', version: true }) version!: number;
  @Property({ type: 'Date', onCreate: () => new Date() }) createdAt: Date = new Date();
  @Property({ type: 'Date', onUpdate: () => new Date() }) updatedAt: Date = new Date();
}
