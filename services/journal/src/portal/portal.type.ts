import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { DiaryWeekType } from '../diary/diary.type';
import { StudentProgressType } from '../progress/student-progress.type';

export enum PortalMatchOutcome {
  FOUND = 'FOUND',
  CHILD_NOT_FOUND = 'CHILD_NOT_FOUND',
  AMBIGUOUS_CHILD = 'AMBIGUOUS_CHILD',
  NOT_A_GUARDIAN = 'NOT_A_GUARDIAN',
}
registerEnumType(PortalMatchOutcome, {
  name: 'PortalMatchOutcome',
  description: 'How a portal applicant and child matched in one school: found and a guardian, no such child, several, or not their guardian',
});

@InputType('PortalMatchInput', { description: 'An applicant and a child as the district portal service passes them: keyed hashes, never SNILS numbers' })
export class PortalMatchInput {
  @Field(() => String, { description: 'The applicant’s identity key (kit identity-keys)' }) applicantKey!: string;
  @Field(() => String, { nullable: true, description: 'The child’s identity key, or null to match by name and birth date' }) childKey?: string | null;
  @Field(() => String, { nullable: true }) lastName?: string | null;
  @Field(() => String, { nullable: true }) firstName?: string | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' }) birthDate?: string | null;
}

@ObjectType('PortalSchoolAnswer', {
  description: 'One school’s side of a portal question: the match, and the data only when the applicant is the child’s guardian',
})
export class PortalSchoolAnswer {
  @Field(() => PortalMatchOutcome) outcome!: PortalMatchOutcome;
  @Field(() => ID, { nullable: true, description: 'The child found (FOUND, NOT_A_GUARDIAN): for the district’s access log' }) studentId?: string | null;
  /** Named only when FOUND: a refusal never tells the applicant who the child is. */
  @Field(() => String, { nullable: true }) fullName?: string | null;
  @Field(() => String, { nullable: true }) classGroup?: string | null;
  @Field(() => DiaryWeekType, { nullable: true }) diary?: DiaryWeekType | null;
  @Field(() => StudentProgressType, { nullable: true }) progress?: StudentProgressType | null;
}
