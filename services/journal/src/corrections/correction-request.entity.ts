import { Entity, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';

export type CorrectionTarget = 'MARK' | 'ATTENDANCE';
export type CorrectionAction = 'EDIT' | 'WITHDRAW';
export type CorrectionStatus = 'PENDING' | 'APPROVED' | 'REJECTED';

/** A change asked for after the edit window: it needs a reason and a deputy's decision. */
@Entity({ tableName: 'correction_request' })
export class CorrectionRequest {
  [OptionalProps]?: 'id' | 'status' | 'version';
  @PrimaryKey({ type: 'integer' }) id!: number;
  @Property({ type: 'string' }) target!: CorrectionTarget;
  @Property({ type: 'integer' }) targetId!: number;
  @Property({ type: 'string' }) action!: CorrectionAction;
  @Property({ type: 'json', nullable: true }) proposed?: Record<string, unknown> | null;
  @Property({ type: 'text' }) reason!: string;
  @Property({ type: 'string' }) status: CorrectionStatus = 'PENDING';
  @Property({ type: 'uuid' }) requestedBy!: string;
  @Property({ type: 'Date' }) requestedAt!: Date;
  @Property({ type: 'uuid', nullable: true }) decidedBy?: string | null;
  @Property({ type: 'Date', nullable: true }) decidedAt?: Date | null;
  @Property({ type: 'text', nullable: true }) decisionComment?: string | null;
  @Property({ type: 'integer', version: true }) version!: number;
}
