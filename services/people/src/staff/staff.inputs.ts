import { Field, InputType } from 'type-graphql';

@InputType()
export class StaffInput {
  @Field(() => String) lastName!: string;
  @Field(() => String) firstName!: string;
  @Field(() => String, { nullable: true }) middleName?: string | null;
  @Field(() => String, { description: 'Должность' }) position!: string;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => Boolean, { nullable: true, defaultValue: true }) active?: boolean;
  @Field(() => String, { nullable: true }) personId?: string | null;
}
