import { Field, InputType, Int, registerEnumType } from 'type-graphql';

/**
 * The period and grouping of progress analytics, shared by the journal (each
 * school's `School.progress`) and monitoring (district totals): one GraphQL
 * definition, so the composed schema has one input type and one enum.
 */
export enum ProgressDimension {
  YEAR_OF_STUDY = 'YEAR_OF_STUDY',
  CLASS_GROUP = 'CLASS_GROUP',
  SUBJECT = 'SUBJECT',
}
registerEnumType(ProgressDimension, { name: 'ProgressDimension', description: 'YEAR_OF_STUDY (параллель), CLASS_GROUP (класс), SUBJECT (предмет)' });

@InputType('ProgressPeriodInput', {
  description: 'Either from + to (YYYY-MM-DD, inclusive, at most 366 days) or academicYear ("2026/2027") + termNumber; exactly one of the two',
})
export class ProgressPeriodInput {
  @Field(() => String, { nullable: true, description: 'First day, YYYY-MM-DD' }) from?: string | null;
  @Field(() => String, { nullable: true, description: 'Last day (inclusive), YYYY-MM-DD' }) to?: string | null;
  @Field(() => String, { nullable: true, description: 'Academic year, e.g. "2026/2027"' }) academicYear?: string | null;
  @Field(() => Int, { nullable: true, description: 'Term number in the academic year (1–4)' }) termNumber?: number | null;
}

/**
 * The figures of one progress row, the contract between a school's journal
 * (which computes them) and the district (which sums schools' numerators and
 * recomputes the rates). Definitions: docs/analytics.md.
 */
export interface ProgressFigures {
  students: number;
  ratedStudents: number;
  qualityStudents: number;
  successStudents: number;
  qualityRate: number | null;
  successRate: number | null;
  numericMarks: number;
  weightedMarkSum: number;
  weightSum: number;
  averageMark: number | null;
  lessonSlots: number;
  absences: number;
  attendanceRate: number | null;
  studentsAtRisk: number;
}
