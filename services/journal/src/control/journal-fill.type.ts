import { Field, ID, Int, ObjectType } from 'type-graphql';

/**
 * How fully and how timely one subject's journal of one class group was kept
 * over a period (a week or a month): aggregates only, no personal data.
 * Definitions are the monthly monitoring's (docs/monitoring.md), per class and subject.
 */
@ObjectType('JournalFillRow')
export class JournalFillRow {
  @Field(() => ID) classGroupId!: string;
  @Field(() => String, { description: 'e.g. «5А»' }) className!: string;
  @Field(() => Int) yearOfStudy!: number;
  @Field(() => ID) subjectId!: string;
  @Field(() => String) subjectName!: string;
  @Field(() => Int, { description: 'Held lessons: SCHEDULED (not cancelled), dated in the period, started before now' }) heldLessons!: number;
  @Field(() => Int, { description: 'Held lessons without a topic (blank counts as none)' }) withoutTopic!: number;
  @Field(() => Int, { description: 'Held lessons with no attendance entry and no mark (the monitoring’s “attendance taken” proxy, negated)' })
  withoutAttendance!: number;
  @Field(() => Int, { description: 'Held lessons without homework (neither text nor attachments)' }) withoutHomework!: number;
  @Field(() => Int, { description: 'Marks and attendance entries (active or withdrawn) for the held lessons' }) entries!: number;
  @Field(() => Int, { description: 'Of those, entered after the lesson’s day (school time): not same-day' }) lateEntries!: number;
}
