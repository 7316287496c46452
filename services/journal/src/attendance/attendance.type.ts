import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { toGlobalId } from '@district/kit';
import { EntryStatusEnum } from '../marks/mark.type';
import type { EntryStatus } from '../marks/mark.entity';
import type { Attendance } from './attendance.entity';

export enum AttendanceCodeEnum {
  ABSENT = 'ABSENT',
  ILL = 'ILL',
  EXCUSED = 'EXCUSED',
  LATE = 'LATE',
}
registerEnumType(AttendanceCodeEnum, { name: 'AttendanceCode', description: 'Н absent, Б ill, УП excused, ОП late' });

export const ATTENDANCE_LETTERS: Record<AttendanceCodeEnum, string> = { ABSENT: 'Н', ILL: 'Б', EXCUSED: 'УП', LATE: 'ОП' };

@ObjectType('Attendance', { description: 'An absence or lateness of a student in a lesson (no entry = present)' })
export class AttendanceType {
  @Field(() => ID) id!: string;
  @Field(() => AttendanceCodeEnum) code!: AttendanceCodeEnum;
  @Field(() => String, { description: 'Н, Б, УП or ОП' }) letter!: string;
  @Field(() => String, { nullable: true }) reason?: string | null;
  @Field(() => EntryStatusEnum) status!: EntryStatus;
  @Field(() => String) lessonDate!: string;
  @Field(() => Int) version!: number;
  @Field(() => ID) lessonId!: string;
  @Field(() => ID) studentId!: string;

  static from(a: Attendance, schoolId: string): AttendanceType {
    return Object.assign(new AttendanceType(), {
      id: toGlobalId('Attendance', schoolId, a.id),
      code: a.code as AttendanceCodeEnum,
      letter: ATTENDANCE_LETTERS[a.code as AttendanceCodeEnum],
      reason: a.reason ?? null,
      status: a.status,
      lessonDate: a.lessonDate,
      version: a.version,
      lessonId: toGlobalId('Lesson', schoolId, a.lessonId),
      studentId: toGlobalId('Student', schoolId, a.studentId),
    });
  }
}

@InputType()
export class AttendanceInput {
  @Field(() => ID) studentId!: string;
  @Field(() => AttendanceCodeEnum) code!: AttendanceCodeEnum;
  @Field(() => String, { nullable: true, description: 'Причина, if known' }) reason?: string | null;
}
