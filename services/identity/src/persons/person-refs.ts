import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * The schools' persons, owned by people; identity adds their `account`. People
 * gives the district person id (`personId`) the account is found by.
 */
@Directive('@key(fields: "id")')
@ObjectType('Staff')
export class StaffRef {
  @Field(() => ID) id!: string;
  @Directive('@external') @Field(() => String, { nullable: true }) personId?: string | null;
}

@Directive('@key(fields: "id")')
@ObjectType('Student')
export class StudentRef {
  @Field(() => ID) id!: string;
  @Directive('@external') @Field(() => String, { nullable: true }) personId?: string | null;
}

@Directive('@key(fields: "id")')
@ObjectType('Guardian')
export class GuardianRef {
  @Field(() => ID) id!: string;
  @Directive('@external') @Field(() => String, { nullable: true }) personId?: string | null;
}

export type PersonRef = StaffRef | StudentRef | GuardianRef;
