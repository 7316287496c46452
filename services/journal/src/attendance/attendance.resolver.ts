import { Arg, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import type { JournalContext } from '../context';
import { EditOutcomeType } from '../corrections/correction.type';
import { AttendanceService } from './attendance.service';
import { AttendanceCodeEnum, AttendanceInput, AttendanceType } from './attendance.type';

@Resolver()
export class AttendanceResolver {
  @Mutation(() => [AttendanceType], { description: 'Absences and lateness for one lesson, all or nothing (students not listed were present)' })
  enterAttendance(
    @Arg('lessonId', () => ID) lessonId: string,
    @Arg('entries', () => [AttendanceInput]) entries: AttendanceInput[],
    @Arg('idempotencyKey', () => String) key: string,
    @Ctx() ctx: JournalContext,
  ): Promise<AttendanceType[]> {
    return new AttendanceService(ctx).enter(lessonId, entries, key);
  }

  @Mutation(() => EditOutcomeType)
  editAttendance(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('code', () => AttendanceCodeEnum) code: AttendanceCodeEnum,
    @Arg('absenceReason', () => String, { nullable: true }) absenceReason: string | null,
    @Arg('reason', () => String, { nullable: true, description: 'Why it is corrected (required after the edit window)' }) reason: string | null,
    @Arg('idempotencyKey', () => String) key: string,
    @Ctx() ctx: JournalContext,
  ): Promise<EditOutcomeType> {
    return new AttendanceService(ctx).edit(id, version, code, absenceReason, reason, key);
  }

  @Mutation(() => EditOutcomeType, { description: 'The student was present after all: withdraws the entry (kept in the history)' })
  withdrawAttendance(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
    @Arg('idempotencyKey', () => String) key: string,
    @Ctx() ctx: JournalContext,
  ): Promise<EditOutcomeType> {
    return new AttendanceService(ctx).withdraw(id, version, reason, key);
  }
}
