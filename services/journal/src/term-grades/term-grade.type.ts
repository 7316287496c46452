import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';

@ObjectType('TermGrade')
export class TermGradeType {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: '1–5, PASS, FAIL, NOT_ASSESSED (н/а) or EXEMPT (осв.)' }) value!: string;
  @Field(() => Int) version!: number;
}

@ObjectType('TermGradeRow', { description: 'One student on the term grade sheet of a subject' })
export class TermGradeRowType {
  @Field(() => ID) studentId!: string;
  @Field(() => Float, { nullable: true, description: 'Weighted average of the term' }) average?: number | null;
  @Field(() => String, { nullable: true, description: 'The grade the average suggests' }) proposed?: string | null;
  @Field(() => Int) marksCount!: number;
  @Field(() => TermGradeType, { nullable: true }) grade?: TermGradeType | null;
}

@ObjectType('TermGradeSheet')
export class TermGradeSheetType {
  @Field(() => ID) termId!: string;
  @Field(() => String) subject!: string;
  @Field(() => Boolean) termClosed!: boolean;
  @Field(() => [TermGradeRowType]) rows!: TermGradeRowType[];
}

@InputType()
export class TermGradeInput {
  @Field(() => ID) studentId!: string;
  @Field(() => String) value!: string;
  @Field(() => Int, { nullable: true, description: 'Required when changing a grade already set' }) version?: number | null;
}

@ObjectType('TermGradeOfYear')
export class TermGradeOfYearType {
  @Field(() => String) term!: string;
  @Field(() => String) value!: string;
}

@ObjectType('YearGradeRow', { description: 'One student on the year grade sheet of a subject' })
export class YearGradeRowType {
  @Field(() => ID) studentId!: string;
  @Field(() => [TermGradeOfYearType]) termGrades!: TermGradeOfYearType[];
  @Field(() => String, { nullable: true, description: 'The year grade the term grades suggest' }) proposed?: string | null;
  @Field(() => TermGradeType, { nullable: true }) grade?: TermGradeType | null;
}

@ObjectType('YearGradeSheet')
export class YearGradeSheetType {
  @Field(() => ID) academicYearId!: string;
  @Field(() => String) subject!: string;
  @Field(() => [YearGradeRowType]) rows!: YearGradeRowType[];
}
