import { Entity, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';

/** A form of control (форма контроля) with its weight, configurable per school. */
@Entity({ tableName: 'control_form' })
export class ControlForm {
  [OptionalProps]?: 'id' | 'active';
  @PrimaryKey({ type: 'integer' }) id!: number;
  @Property({ type: 'string' }) code!: string;
  @Property({ type: 'string' }) name!: string;
  @Property({ type: 'decimal', columnType: 'numeric(4,2)' }) weight!: string;
  @Property({ type: 'boolean' }) active: boolean = true;
}

@Entity({ tableName: 'settings' })
export class JournalSettings {
  [OptionalProps]?: 'version';
  @PrimaryKey({ type: 'integer', autoincrement: false }) id!: number;
  /** Days after the lesson's date during which its teacher may still change or withdraw an entry. */
  @Property({ type: 'integer' }) editWindowDays!: number;
  @Property({ type: 'string' }) timezone!: string;
  @Property({ type: 'integer', version: true }) version!: number;
}
