import { Entity, PrimaryKey, Property, type Opt } from '@mikro-orm/core';

/** A Keycloak account as last read or written by identity (identity.account; Keycloak stays the source). */
@Entity({ tableName: 'account', schema: 'identity' })
export class AccountRecord {
  @PrimaryKey({ type: 'uuid' }) id!: string;
  @Property({ type: 'string' }) username!: string;
  @Property({ type: 'string' }) firstName!: string;
  @Property({ type: 'string' }) lastName!: string;
  @Property({ type: 'string', nullable: true }) email?: string | null;
  @Property({ type: 'boolean' }) enabled!: boolean;
  @Property({ type: 'uuid', nullable: true }) personId?: string | null;
  @Property({ type: 'text[]' }) schoolIds: string[] & Opt = [];
  @Property({ type: 'text[]' }) roles: string[] & Opt = [];
  @Property({ type: 'datetime', nullable: true }) createdAt?: Date | null;
  @Property({ type: 'datetime', nullable: true }) lastLoginAt?: Date | null;
  @Property({ type: 'datetime' }) syncedAt!: Date;
}
