import { Directive, Field, Float, ID, Int, ObjectType } from 'type-graphql';

/** The district registry owns School; the journal adds the school's monthly monitoring figures. */
@Directive('@key(fields: "id")')
@ObjectType('School')
export class SchoolRef {
  @Field(() => ID, { description: 'School code, e.g. s001' }) id!: string;
}

/**
 * Operational monitoring figures of one school for one calendar month (aggregates only, no personal data).
 * Exact definitions: docs/monitoring.md. Shares are in [0, 1], rounded to 4 decimals, null when nothing to measure.
 */
@ObjectType('SchoolMonthFigures')
export class SchoolMonthFigures {
  @Field(() => String, { description: 'YYYY-MM' }) month!: string;
  @Field(() => String, { description: 'The school time zone the figures are computed in' }) timezone!: string;

  @Field(() => Int, { description: 'Held lessons: dated in the month, SCHEDULED (not cancelled), started before now' }) heldLessons!: number;
  @Field(() => Int) lessonsWithTopic!: number;
  @Field(() => Float, { nullable: true, description: 'lessonsWithTopic / heldLessons' }) shareWithTopic!: number | null;
  @Field(() => Int) lessonsWithAttendanceTaken!: number;
  @Field(() => Float, { nullable: true, description: 'Proxy: held lessons with any attendance entry or any mark / heldLessons' }) shareWithAttendanceTaken!:
    number | null;

  @Field(() => Int, { description: 'Marks (active or withdrawn) for held lessons of the month' }) marksEntered!: number;
  @Field(() => Int) marksSameDay!: number;
  @Field(() => Float, { nullable: true }) shareMarksSameDay!: number | null;
  @Field(() => Int, { description: 'Attendance entries (active or withdrawn) for held lessons of the month' }) absencesEntered!: number;
  @Field(() => Int) absencesSameDay!: number;
  @Field(() => Float, { nullable: true }) shareAbsencesSameDay!: number | null;
  @Field(() => Int, { description: 'Held lessons with homework (text or attachments)' }) lessonsWithHomework!: number;
  @Field(() => Int) homeworkWithinHour!: number;
  @Field(() => Float, { nullable: true }) shareHomeworkWithinHour!: number | null;
  @Field(() => Float, { nullable: true, description: 'Median of delay_minutes over the marks and attendance entries above (percentile_cont 0.5), 2 decimals' })
  medianEntryDelayMinutes!: number | null;

  @Field(() => Int, { description: 'Correction requests (after the edit window) requested in the month' }) correctionsAfterWindow!: number;
  @Field(() => Int, { description: 'Of those, approved (so far)' }) correctionsApproved!: number;

  @Field(() => Int, { description: 'Active marks for held lessons of the month' }) activeMarks!: number;
  @Field(() => Int, { description: 'Distinct (student, subject) pairs with a held graded lesson in the month' }) studentSubjectPairs!: number;
  @Field(() => Float, { nullable: true, description: 'activeMarks / studentSubjectPairs, 2 decimals' }) marksPerStudentPerSubject!: number | null;

  @Field(() => Int, { description: 'Active numeric marks (1–5) for held lessons of the month' }) numericMarks!: number;
  @Field(() => Float, { nullable: true, description: 'Plain (unweighted) mean of numeric active marks, 2 decimals' }) averageMark!: number | null;
  @Field(() => Float, { nullable: true, description: 'Share of numeric active marks that are 4 or 5 (not the term-grade quality rate)' }) markQualityShare!:
    number | null;
  @Field(() => Float, { nullable: true, description: 'Share of numeric active marks that are 3, 4 or 5 (not the term-grade success rate)' }) markSuccessShare!:
    number | null;
}
