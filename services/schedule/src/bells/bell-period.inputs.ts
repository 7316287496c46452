import { Field, InputType, Int } from 'type-graphql';

@InputType()
export class BellPeriodInput {
  @Field(() => Int, { description: 'Урок № 1–8' }) number!: number;
  @Field(() => Int, { defaultValue: 1 }) shift!: number;
  @Field(() => String, { description: 'HH:MM' }) startTime!: string;
  @Field(() => String, { description: 'HH:MM' }) endTime!: string;
}
