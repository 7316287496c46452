import { Field, InputType } from 'type-graphql';
import { SNILS_DESCRIPTION } from '../names';

@InputType()
export class StudentInput {
  @Field(() => String) lastName!: string;
  @Field(() => String) firstName!: string;
  @Field(() => String, { nullable: true }) middleName?: string | null;
  @Field(() => String, { description: 'YYYY-MM-DD or ДД.ММ.ГГГГ' }) birthDate!: string;
  @Field(() => String, { nullable: true, description: 'District person id (Keycloak person_id), if the student has an account' }) personId?: string | null;
  @Field(() => String, { nullable: true, description: SNILS_DESCRIPTION }) snils?: string | null;
}
