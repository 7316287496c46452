import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import type { DistrictProgressRow } from './district-totals';

@ObjectType('DistrictProgressRow', {
  description: 'Progress across the district for one year of study and subject (null: all); numerators summed over schools, rates recomputed',
})
export class DistrictProgressRowType {
  @Field(() => Int, { nullable: true }) yearOfStudy!: number | null;
  @Field(() => String, { nullable: true }) subject!: string | null;
  @Field(() => Int, { description: 'Schools with a row here' }) schools!: number;
  @Field(() => Int) students!: number;
  @Field(() => Int) ratedStudents!: number;
  @Field(() => Int) qualityStudents!: number;
  @Field(() => Int) successStudents!: number;
  @Field(() => Float, { nullable: true, description: 'Качество знаний: qualityStudents / ratedStudents' }) qualityRate!: number | null;
  @Field(() => Float, { nullable: true, description: 'Успеваемость: successStudents / ratedStudents' }) successRate!: number | null;
  @Field(() => Int) numericMarks!: number;
  @Field(() => Float) weightedMarkSum!: number;
  @Field(() => Float) weightSum!: number;
  @Field(() => Float, { nullable: true, description: 'Weighted mean of every mark in the district: weightedMarkSum / weightSum' }) averageMark!: number | null;
  @Field(() => Int) lessonSlots!: number;
  @Field(() => Int) absences!: number;
  @Field(() => Float, { nullable: true }) attendanceRate!: number | null;
  @Field(() => Int) studentsAtRisk!: number;

  static from(row: DistrictProgressRow): DistrictProgressRowType {
    return Object.assign(new DistrictProgressRowType(), row);
  }
}

@ObjectType('UnavailableSchool', { description: 'A school that did not answer: its rows are missing from the totals' })
export class UnavailableSchoolType {
  @Field(() => ID) schoolId!: string;
  @Field(() => String) reason!: string;
}

@ObjectType('DistrictProgress', { description: 'District totals of progress analytics (aggregates only). Per-school rows: `schools { progress(...) }`' })
export class DistrictProgressType {
  @Field(() => [DistrictProgressRowType]) rows!: DistrictProgressRowType[];
  @Field(() => [ID], { description: 'Schools whose rows are in the totals' }) schools!: string[];
  @Field(() => [UnavailableSchoolType]) unavailable!: UnavailableSchoolType[];
}
