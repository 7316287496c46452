import { Field, InputType } from 'type-graphql';
import { SNILS_DESCRIPTION } from '../names';

@InputType()
export class GuardianInput {
  @Field(() => String) lastName!: string;
  @Field(() => String) firstName!: string;
  @Field(() => String, { nullable: true }) middleName?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) personId?: string | null;
  @Field(() => String, { nullable: true, description: SNILS_DESCRIPTION }) snils?: string | null;
}
