import { Field, ID, InputType } from 'type-graphql';

@InputType()
export class ClassGroupInput {
  @Field(() => String, { description: 'e.g. "5А": year of study 1–11 followed by a letter' }) name!: string;
  @Field(() => String, { description: 'e.g. 2026/2027' }) academicYear!: string;
  @Field(() => ID, { nullable: true, description: 'Staff id of the class teacher (классный руководитель)' }) classTeacherId?: string | null;
}
