import { Field, InputType } from 'type-graphql';

@InputType('PortalApplicantInput', { description: 'The applicant as the state portal verified them' })
export class PortalApplicantInput {
  @Field(() => String, { description: 'СНИЛС заявителя: 11 digits, spaces and dashes allowed' }) snils!: string;
}

@InputType('PortalChildInput', { description: 'The child: by SNILS, or by surname, name and birth date' })
export class PortalChildInput {
  @Field(() => String, { nullable: true, description: 'СНИЛС ребёнка (preferred)' }) snils?: string | null;
  @Field(() => String, { nullable: true }) lastName?: string | null;
  @Field(() => String, { nullable: true }) firstName?: string | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD or ДД.ММ.ГГГГ' }) birthDate?: string | null;
}
