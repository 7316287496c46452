import { Field, InputType } from 'type-graphql';
import { SchoolStatusEnum } from './school.type';

@InputType()
export class SchoolInput {
  @Field(() => String, { description: 'Полное наименование' }) fullName!: string;
  @Field(() => String, { description: 'Краткое наименование, e.g. «Школа № 1»' }) shortName!: string;
  @Field(() => String) address!: string;
  @Field(() => String, { nullable: true }) director?: string | null;
  @Field(() => SchoolStatusEnum, { defaultValue: SchoolStatusEnum.PILOT }) status!: SchoolStatusEnum;
  @Field(() => String, { nullable: true, description: 'URL of the school’s people subgraph, e.g. https://s004.example/people/graphql' }) peopleUrl?:
    string | null;
  @Field(() => String, { nullable: true }) scheduleUrl?: string | null;
  @Field(() => String, { nullable: true }) journalUrl?: string | null;
}
