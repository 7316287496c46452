import { Directive, Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { LessonRef } from '../marks/mark.type';

@ObjectType('DiaryMark')
export class DiaryMarkType {
  @Field(() => String) value!: string;
  @Field(() => String, { description: 'Форма контроля' }) controlForm!: string;
  @Field(() => Float) weight!: number;
  @Field(() => String, { nullable: true }) comment?: string | null;
}

@ObjectType('DiaryLesson')
export class DiaryLessonType {
  @Field(() => LessonRef) lesson!: LessonRef;
  @Field(() => Int) period!: number;
  @Field(() => String) startTime!: string;
  @Field(() => String) endTime!: string;
  @Field(() => String) subject!: string;
  @Field(() => Boolean) cancelled!: boolean;
  @Field(() => String, { nullable: true }) topic?: string | null;
  @Field(() => String, { nullable: true }) homework?: string | null;
  @Field(() => [String]) homeworkAttachments!: string[];
  @Field(() => [DiaryMarkType]) marks!: DiaryMarkType[];
  @Field(() => String, { nullable: true, description: 'Н, Б, УП or ОП; null when present' }) attendance?: string | null;
}

@ObjectType('DiaryDay')
export class DiaryDayType {
  @Field(() => String) date!: string;
  @Field(() => String, { description: 'Пн, Вт, Ср, Чт, Пт, Сб, Вс' }) weekday!: string;
  @Field(() => [DiaryLessonType]) lessons!: DiaryLessonType[];
}

@ObjectType('DiarySubject', { description: 'A subject’s marks this term, with the weighted average' })
export class DiarySubjectType {
  @Field(() => String) subject!: string;
  @Field(() => Float, { nullable: true, description: 'Средневзвешенный балл за четверть, two decimals' }) average?: number | null;
  @Field(() => String, { nullable: true, description: 'The term grade the average suggests' }) proposedGrade?: string | null;
  @Field(() => Int) marksCount!: number;
  @Field(() => [String]) marks!: string[];
}

@ObjectType('DiaryWeek')
export class DiaryWeekType {
  @Field(() => String) weekStart!: string;
  @Field(() => String, { nullable: true }) term?: string | null;
  @Field(() => [DiaryDayType]) days!: DiaryDayType[];
  @Field(() => [DiarySubjectType]) subjects!: DiarySubjectType[];
}

/** The student, owned by the people subgraph; the journal adds the diary. */
@Directive('@key(fields: "id")')
@ObjectType('Student')
export class StudentRef {
  @Field(() => ID) id!: string;
}
