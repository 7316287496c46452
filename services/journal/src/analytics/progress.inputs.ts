import { ArgsType, Field } from 'type-graphql';
import { ProgressDimension, ProgressPeriodInput } from '@district/kit';

export { ProgressDimension, ProgressPeriodInput };

/** The arguments of School.progress, in this order (an args class keeps it; separate @Arg parameters print reversed). */
@ArgsType()
export class ProgressArgs {
  @Field(() => ProgressPeriodInput) period!: ProgressPeriodInput;
  @Field(() => [ProgressDimension], { defaultValue: [], description: 'Dimensions to group the rows by; none → one row for the school' })
  groupBy!: ProgressDimension[];
}
