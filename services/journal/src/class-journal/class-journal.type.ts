import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { AttendanceType } from '../attendance/attendance.type';
import { StudentRef } from '../diary/diary.type';
import { LessonRecordType } from '../lesson-records/lesson-record.type';
import type { Grading } from '../lessons/lesson-facts';
import { LessonRef, MarkType } from '../marks/mark.type';

/** The same enum (name and values) as the schedule subgraph's Grading. */
export const GradingEnum = { MARKS: 'MARKS', PASS_FAIL: 'PASS_FAIL', NONE: 'NONE' } as const satisfies Record<Grading, Grading>;
registerEnumType(GradingEnum, { name: 'Grading', description: 'MARKS: отметки 1–5; PASS_FAIL: зачёт / незачёт; NONE: безотметочное' });

@ObjectType('LessonJournal', { description: 'The journal page of one lesson: topic, homework, marks, attendance' })
export class LessonJournalType {
  @Field(() => LessonRef) lesson!: LessonRef;
  @Field(() => LessonRecordType, { nullable: true }) record?: LessonRecordType | null;
  @Field(() => [MarkType]) marks!: MarkType[];
  @Field(() => [AttendanceType]) attendance!: AttendanceType[];
  @Field(() => Boolean, { description: 'The teacher may still change entries directly' }) editWindowOpen!: boolean;
  @Field(() => Boolean, { description: 'The lesson has started (school time)' }) held!: boolean;
  @Field(() => Boolean, { description: 'The viewer may enter marks and attendance for this lesson now' }) editable!: boolean;
  @Field(() => String, { nullable: true, description: 'Why the viewer may not enter anything now (null when editable)' }) readOnlyReason?: string | null;
}

@ObjectType('ClassJournal', { description: 'The journal of a subject in a class over a term, like the paper journal: its lessons with their entries' })
export class ClassJournalType {
  @Field(() => String) subject!: string;
  @Field(() => GradingEnum, { description: 'How the subject is graded; NONE in an ungraded year' }) grading!: Grading;
  @Field(() => Boolean) termClosed!: boolean;
  @Field(() => [StudentRef], { description: 'The students who take the subject in the term (any order)' }) students!: StudentRef[];
  @Field(() => [LessonJournalType], { description: 'Lessons by date and period' }) lessons!: LessonJournalType[];
}
