import { ArgsType, Field, InputType, Int, registerEnumType } from 'type-graphql';

/** The dimensions progress rows can be grouped by (a row per combination; none → one row for the school). */
export enum ProgressDimension {
  YEAR_OF_STUDY = 'YEAR_OF_STUDY',
  CLASS_GROUP = 'CLASS_GROUP',
  SUBJECT = 'SUBJECT',
}
registerEnumType(ProgressDimension, { name: 'ProgressDimension', description: 'YEAR_OF_STUDY (параллель), CLASS_GROUP (класс), SUBJECT (предмет)' });

@InputType('ProgressPeriodInput', {
  description: 'Either from + to (YYYY-MM-DD, inclusive, at most 366 days) or academicYear ("2026/2027") + termNumber; exactly one of the two',
})
export class ProgressPeriodInput {
  @Field(() => String, { nullable: true, description: 'First day, YYYY-MM-DD' }) from?: string | null;
  @Field(() => String, { nullable: true, description: 'Last day (inclusive), YYYY-MM-DD' }) to?: string | null;
  @Field(() => String, { nullable: true, description: 'Academic year, e.g. "2026/2027"' }) academicYear?: string | null;
  @Field(() => Int, { nullable: true, description: 'Term number in the academic year (1–4)' }) termNumber?: number | null;
}

/** The arguments of School.progress, in this order (an args class keeps it; separate @Arg parameters print reversed). */
@ArgsType()
export class ProgressArgs {
  @Field(() => ProgressPeriodInput) period!: ProgressPeriodInput;
  @Field(() => [ProgressDimension], { defaultValue: [], description: 'Dimensions to group the rows by; none → one row for the school' }) groupBy!: ProgressDimension[];
}
