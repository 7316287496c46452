import { Field, ID, Int, ObjectType } from 'type-graphql';
import { toGlobalId } from '@district/kit';
import { AttendanceType } from '../attendance/attendance.type';
import { MarkType } from '../marks/mark.type';
import type { CorrectionRequest } from './correction-request.entity';

@ObjectType('CorrectionRequest', { description: 'Исправление после срока: причина обязательна, решение принимает заместитель директора' })
export class CorrectionType {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'MARK or ATTENDANCE' }) target!: string;
  @Field(() => ID) targetId!: string;
  @Field(() => String, { description: 'EDIT or WITHDRAW' }) action!: string;
  @Field(() => String, { nullable: true, description: 'The proposed values, as JSON' }) proposed?: string | null;
  @Field(() => String) reason!: string;
  @Field(() => String, { description: 'PENDING, APPROVED or REJECTED' }) status!: string;
  @Field(() => String) requestedAt!: string;
  @Field(() => String, { nullable: true }) decidedAt?: string | null;
  @Field(() => String, { nullable: true }) decisionComment?: string | null;
  @Field(() => Int) version!: number;

  static from(r: CorrectionRequest, schoolId: string): CorrectionType {
    return Object.assign(new CorrectionType(), {
      id: toGlobalId('CorrectionRequest', schoolId, r.id),
      target: r.target,
      targetId: toGlobalId(r.target === 'MARK' ? 'Mark' : 'Attendance', schoolId, r.targetId),
      action: r.action,
      proposed: r.proposed ? JSON.stringify(r.proposed) : null,
      reason: r.reason,
      status: r.status,
      requestedAt: new Date(r.requestedAt).toISOString(),
      decidedAt: r.decidedAt ? new Date(r.decidedAt).toISOString() : null,
      decisionComment: r.decisionComment ?? null,
      version: r.version,
    });
  }
}

@ObjectType('EditOutcome', { description: 'An edit is applied at once inside the edit window, or becomes a correction request after it' })
export class EditOutcomeType {
  @Field(() => Boolean) applied!: boolean;
  @Field(() => MarkType, { nullable: true }) mark?: MarkType | null;
  @Field(() => AttendanceType, { nullable: true }) attendance?: AttendanceType | null;
  @Field(() => CorrectionType, { nullable: true }) correction?: CorrectionType | null;
}
