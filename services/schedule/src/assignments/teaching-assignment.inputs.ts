import { Field, ID, InputType } from 'type-graphql';

@InputType()
export class TeachingAssignmentInput {
  @Field(() => ID) academicYearId!: string;
  @Field(() => ID) classGroupId!: string;
  @Field(() => ID) subjectId!: string;
  @Field(() => ID, { description: 'Staff id of the teacher' }) teacherId!: string;
  @Field(() => String, { nullable: true, description: 'For a split class, e.g. «Английский, гр. 1»' }) groupName?: string | null;
  @Field(() => [ID], { nullable: true, description: 'The group’s students (only with groupName)' }) studentIds?: string[] | null;
  @Field(() => Boolean, { nullable: true, description: 'null: derive (year 1 ungraded); false: never graded; true: graded even in year 1' }) graded?:
    boolean | null;
}

@InputType()
export class TeachingAssignmentFilter {
  @Field(() => ID, { nullable: true }) classGroupId?: string | null;
  @Field(() => ID, { nullable: true }) teacherId?: string | null;
  @Field(() => String, { nullable: true, description: 'e.g. 2026/2027' }) academicYear?: string | null;
}
