import { Field, ID, Int, ObjectType } from 'type-graphql';
import { toGlobalId } from '@district/kit';
import type { LessonRecord } from './lesson-record.entity';

@ObjectType('LessonRecord', { description: 'Тема урока и домашнее задание' })
export class LessonRecordType {
  @Field(() => ID) lessonId!: string;
  @Field(() => String, { nullable: true }) topic?: string | null;
  @Field(() => String, { nullable: true }) homework?: string | null;
  @Field(() => [String]) homeworkAttachments!: string[];
  @Field(() => Int) version!: number;

  static from(r: LessonRecord, schoolId: string): LessonRecordType {
    return Object.assign(new LessonRecordType(), {
      lessonId: toGlobalId('Lesson', schoolId, r.lessonId),
      topic: r.topic ?? null,
      homework: r.homework ?? null,
      homeworkAttachments: r.homeworkAttachments ?? [],
      version: r.version,
    });
  }
}
