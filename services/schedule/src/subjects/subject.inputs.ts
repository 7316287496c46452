import { Field, InputType } from 'type-graphql';
import { GradingEnum } from './subject.type';

@InputType()
export class SubjectInput {
  @Field(() => String, { description: 'e.g. «Математика»' }) name!: string;
  @Field(() => String, { nullable: true, description: 'e.g. «Матем.»; the name when omitted' }) shortName?: string | null;
  @Field(() => GradingEnum, { defaultValue: GradingEnum.MARKS }) grading!: GradingEnum;
}
