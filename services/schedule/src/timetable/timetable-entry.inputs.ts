import { Field, ID, InputType, Int } from 'type-graphql';

@InputType()
export class TimetableEntryInput {
  @Field(() => ID) assignmentId!: string;
  @Field(() => Int, { description: '1 Пн … 6 Сб' }) weekday!: number;
  @Field(() => Int) period!: number;
  @Field(() => Int, { defaultValue: 1 }) shift!: number;
  @Field(() => String, { nullable: true, description: 'Кабинет, e.g. «214»' }) room?: string | null;
  @Field(() => String, { nullable: true, description: 'Default: the start of the academic year' }) validFrom?: string | null;
  @Field(() => String, { nullable: true, description: 'Default: until the end of the academic year' }) validTo?: string | null;
}
