import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import type { AtRiskStudent } from './progress-rules';

/**
 * Progress figures of one group of a school (a combination of the requested
 * dimensions). Aggregates only: no names, no student ids. Every rate comes with
 * its numerator and denominator so the district can sum schools' rows.
 * Definitions: docs/analytics.md.
 */
@ObjectType('ProgressRow')
export class ProgressRow {
  @Field(() => ID, { description: 'School code, e.g. s001' }) schoolId!: string;
  @Field(() => Int, { nullable: true, description: 'Year of study (параллель); null when not grouped by it' }) yearOfStudy!: number | null;
  @Field(() => String, { nullable: true, description: 'Class group name, e.g. "5А"; null when not grouped by it' }) classGroup!: string | null;
  @Field(() => String, { nullable: true, description: 'Subject name; null when not grouped by it' }) subject!: string | null;

  @Field(() => Int, { description: 'Students who take a held lesson of the group in the period' }) students!: number;
  @Field(() => Int, { description: 'Students with at least one result (term grade or proposed grade) in the group’s subjects' }) ratedStudents!: number;
  @Field(() => Int, { description: 'Rated students whose results are only 4 and 5 (зачёт ignored)' }) qualityStudents!: number;
  @Field(() => Int, { description: 'Rated students without 1, 2, незачёт or н/а' }) successStudents!: number;
  @Field(() => Float, { nullable: true, description: 'Качество знаний: qualityStudents / ratedStudents, 4 decimals; null when nobody is rated' }) qualityRate!:
    number | null;
  @Field(() => Float, { nullable: true, description: 'Успеваемость: successStudents / ratedStudents, 4 decimals; null when nobody is rated' }) successRate!:
    number | null;

  @Field(() => Int, { description: 'Active marks 1–5 of the group’s held lessons' }) numericMarks!: number;
  @Field(() => Float, { description: 'Σ mark × weight over those marks' }) weightedMarkSum!: number;
  @Field(() => Float, { description: 'Σ weight over those marks' }) weightSum!: number;
  @Field(() => Float, { nullable: true, description: 'weightedMarkSum / weightSum, 2 decimals half up; null without marks' }) averageMark!: number | null;

  @Field(() => Int, { description: '(student, held lesson) pairs of the group' }) lessonSlots!: number;
  @Field(() => Int, { description: 'Slots with an active absence (Н, Б, УП; not ОП)' }) absences!: number;
  @Field(() => Float, { nullable: true, description: '1 − absences / lessonSlots, 4 decimals; null without slots' }) attendanceRate!: number | null;

  @Field(() => Int, { description: 'Students of the group at risk within the group (see docs/analytics.md)' }) studentsAtRisk!: number;
}

@ObjectType('LowSubject')
export class LowSubject {
  @Field(() => String) subject!: string;
  @Field(() => Float, { description: 'The student’s weighted average in the subject over the period' }) average!: number;
}

@ObjectType('StudentAtRisk', { description: 'A student at risk (personal data: only the school’s deputy and director see it)' })
export class StudentAtRisk {
  @Field(() => ID) studentId!: string;
  @Field(() => String, { description: 'Фамилия Имя Отчество' }) fullName!: string;
  @Field(() => String) classGroup!: string;
  @Field(() => Int) yearOfStudy!: number;
  @Field(() => [LowSubject], { description: 'Subjects with a weighted average below 3.00 over the period' }) lowSubjects!: LowSubject[];
  @Field(() => Float, { nullable: true, description: 'Absences / lesson slots of the student over the period, 4 decimals' }) absenceShare!: number | null;
}

/** Progress analytics of one school for one period. */
@ObjectType('SchoolProgress')
export class SchoolProgress {
  @Field(() => String, { description: 'First day of the resolved period, YYYY-MM-DD' }) from!: string;
  @Field(() => String, { description: 'Last day of the resolved period (inclusive), YYYY-MM-DD' }) to!: string;
  @Field(() => String, { nullable: true, description: 'The term’s name for a term period; null for a date range' }) termName!: string | null;
  @Field(() => [ProgressRow], { description: 'One row per combination of the requested dimensions, sorted by yearOfStudy, classGroup, subject' })
  rows!: ProgressRow[];
  // studentsAtRisk is resolved by SchoolProgressResolver (access check, names read only when asked).

  /** The school's students at risk, without names; not a GraphQL field. */
  atRisk!: AtRiskStudent[];
}
