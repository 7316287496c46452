import { Field, ID, InputType, Int } from 'type-graphql';
import { TermKindEnum } from './year.type';

@InputType()
export class AcademicYearInput {
  @Field(() => String, { description: 'e.g. 2026/2027' }) name!: string;
  @Field(() => String, { description: 'ISO date, e.g. 2026-09-01' }) startDate!: string;
  @Field(() => String) endDate!: string;
}

@InputType()
export class TermInput {
  @Field(() => ID) academicYearId!: string;
  @Field(() => String, { description: 'e.g. «1 четверть»' }) name!: string;
  @Field(() => TermKindEnum) kind!: TermKindEnum;
  @Field(() => Int) number!: number;
  @Field(() => String) startDate!: string;
  @Field(() => String) endDate!: string;
  @Field(() => Int, { defaultValue: 1 }) yearsFrom!: number;
  @Field(() => Int, { defaultValue: 11 }) yearsTo!: number;
}

@InputType()
export class HolidayInput {
  @Field(() => ID) academicYearId!: string;
  @Field(() => String, { description: 'e.g. «Осенние каникулы» or «День народного единства»' }) name!: string;
  @Field(() => String) startDate!: string;
  @Field(() => String, { description: 'The same as startDate for a single day' }) endDate!: string;
}
