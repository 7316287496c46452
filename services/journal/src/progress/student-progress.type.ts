import { Field, Float, ID, Int, ObjectType } from 'type-graphql';

@ObjectType('ProgressMark', { description: 'A current mark of the period, as the diary shows it (withdrawn marks are not listed)' })
export class ProgressMarkType {
  @Field(() => String, { description: 'Date of the lesson, YYYY-MM-DD' }) date!: string;
  @Field(() => String, { description: '1–5, PASS (зачёт) or FAIL (незачёт)' }) value!: string;
  @Field(() => String, { description: 'Форма контроля' }) controlForm!: string;
  @Field(() => Float, { description: 'The weight copied onto the mark when it was given' }) weight!: number;
  @Field(() => String, { nullable: true }) comment?: string | null;
}

@ObjectType('SubjectProgress', { description: 'A subject of the student’s lessons in the period, with its marks and weighted average' })
export class SubjectProgressType {
  @Field(() => String) subject!: string;
  @Field(() => [ProgressMarkType], { description: 'By date, then lesson period' }) marks!: ProgressMarkType[];
  @Field(() => Int) marksCount!: number;
  @Field(() => Float, {
    nullable: true,
    description: 'Средневзвешенный балл of the period’s marks 1–5, two decimals (docs/journal-rules.md); null when no mark counts',
  })
  average?: number | null;
}

@ObjectType('AttendanceSummary', { description: 'Held lessons of the period (started, not cancelled) and the absences in them' })
export class AttendanceSummaryType {
  @Field(() => Int, { description: 'Lessons of the student’s class and groups held in the period so far' }) lessons!: number;
  @Field(() => Int, { description: 'Н: absent, reason unknown' }) absent!: number;
  @Field(() => Int, { description: 'Б: ill' }) sick!: number;
  @Field(() => Int, { description: 'УП: absent for a valid reason' }) excused!: number;
  @Field(() => Int, { description: 'ОП: late' }) late!: number;
}

@ObjectType('StudentTermGrade', { description: 'A term grade set for the student in a term overlapping the period' })
export class StudentTermGradeType {
  @Field(() => String, { description: 'The term’s name' }) term!: string;
  @Field(() => String) subject!: string;
  @Field(() => String, { description: '1–5, PASS, FAIL, NOT_ASSESSED (н/а) or EXEMPT (осв.)' }) grade!: string;
}

@ObjectType('StudentProgress', { description: 'A student’s current progress over a period: what their diary shows, gathered by subject' })
export class StudentProgressType {
  @Field(() => ID) studentId!: string;
  @Field(() => String, { description: 'First day, YYYY-MM-DD' }) from!: string;
  @Field(() => String, { description: 'Last day (inclusive), YYYY-MM-DD' }) to!: string;
  @Field(() => [SubjectProgressType], { description: 'In Russian alphabetical order' }) subjects!: SubjectProgressType[];
  @Field(() => AttendanceSummaryType) attendance!: AttendanceSummaryType;
  @Field(() => [StudentTermGradeType], { description: 'By the term’s start, then subject' }) termGrades!: StudentTermGradeType[];
}
