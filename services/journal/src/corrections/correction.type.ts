import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { toGlobalId } from '@district/kit';
import { AttendanceType } from '../attendance/attendance.type';
import { StudentRef } from '../diary/diary.type';
import { MarkType } from '../marks/mark.type';
import { EntryStatusEnum } from '../marks/mark.type';
import type { EntryStatus } from '../marks/mark.entity';
import type { CorrectionAction, CorrectionRequest, CorrectionStatus, CorrectionTarget } from './correction-request.entity';

// GraphQL enums over the stored strings: the same values on the wire, checked against the entity's unions.
export const CorrectionTargetEnum = { MARK: 'MARK', ATTENDANCE: 'ATTENDANCE' } as const satisfies Record<CorrectionTarget, CorrectionTarget>;
registerEnumType(CorrectionTargetEnum, { name: 'CorrectionTarget', description: 'The kind of entry a correction is about' });
export const CorrectionActionEnum = { EDIT: 'EDIT', WITHDRAW: 'WITHDRAW' } as const satisfies Record<CorrectionAction, CorrectionAction>;
registerEnumType(CorrectionActionEnum, { name: 'CorrectionAction', description: 'EDIT changes the entry, WITHDRAW withdraws it' });
export const CorrectionStatusEnum = { PENDING: 'PENDING', APPROVED: 'APPROVED', REJECTED: 'REJECTED' } as const satisfies Record<
  CorrectionStatus,
  CorrectionStatus
>;
registerEnumType(CorrectionStatusEnum, {
  name: 'CorrectionStatus',
  description: 'PENDING until a deputy decides: APPROVED (the change is applied) or REJECTED',
});

@ObjectType('CorrectionRequest', { description: 'Исправление после срока: причина обязательна, решение принимает заместитель директора' })
export class CorrectionType {
  @Field(() => ID) id!: string;
  @Field(() => CorrectionTargetEnum) target!: CorrectionTarget;
  @Field(() => ID) targetId!: string;
  @Field(() => CorrectionActionEnum) action!: CorrectionAction;
  @Field(() => String, { nullable: true, description: 'The proposed values, as JSON' }) proposed?: string | null;
  @Field(() => String) reason!: string;
  @Field(() => CorrectionStatusEnum) status!: CorrectionStatus;
  @Field(() => String) requestedAt!: string;
  @Field(() => String, { nullable: true }) decidedAt?: string | null;
  @Field(() => String, { nullable: true }) decisionComment?: string | null;
  @Field(() => Int) version!: number;
  /** The database id, for the entry's loader (not in the API). */
  localId!: number;

  static from(r: CorrectionRequest, schoolId: string): CorrectionType {
    return Object.assign(new CorrectionType(), {
      localId: r.id,
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

@ObjectType('CorrectionEntry', { description: 'The entry a correction request is about, as it stands now' })
export class CorrectionEntryType {
  @Field(() => StudentRef) student!: StudentRef;
  @Field(() => ID) lessonId!: string;
  @Field(() => String, { description: 'The lesson’s date, YYYY-MM-DD' }) lessonDate!: string;
  @Field(() => String) subjectName!: string;
  @Field(() => String, { nullable: true, description: 'e.g. «5А»' }) className?: string | null;
  @Field(() => String, { description: 'The mark (1–5, PASS, FAIL) or attendance code now' }) currentValue!: string;
  @Field(() => EntryStatusEnum) currentStatus!: EntryStatus;
  @Field(() => String, { nullable: true, description: 'The teacher who asked (Фамилия Имя Отчество)' }) requestedBy?: string | null;
}

@ObjectType('EditOutcome', { description: 'An edit is applied at once inside the edit window, or becomes a correction request after it' })
export class EditOutcomeType {
  @Field(() => Boolean) applied!: boolean;
  @Field(() => MarkType, { nullable: true }) mark?: MarkType | null;
  @Field(() => AttendanceType, { nullable: true }) attendance?: AttendanceType | null;
  @Field(() => CorrectionType, { nullable: true }) correction?: CorrectionType | null;
}
