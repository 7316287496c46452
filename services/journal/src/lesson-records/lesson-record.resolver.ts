import { Arg, Ctx, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { DomainError, parseGlobalId } from '@district/kit';
import { AttendanceType } from '../attendance/attendance.type';
import type { JournalContext } from '../context';
import { EntryRules, isDeputyOf } from '../lessons/entry-rules';
import { LessonRef, MarkType } from '../marks/mark.type';
import { LessonRecordService } from './lesson-record.service';
import { LessonRecordType } from './lesson-record.type';

@ObjectType('LessonJournal', { description: 'The journal page of one lesson: topic, homework, marks, attendance' })
export class LessonJournalType {
  @Field(() => LessonRef) lesson!: LessonRef;
  @Field(() => LessonRecordType, { nullable: true }) record?: LessonRecordType | null;
  @Field(() => [MarkType]) marks!: MarkType[];
  @Field(() => [AttendanceType]) attendance!: AttendanceType[];
  @Field(() => Boolean, { description: 'The teacher may still change entries directly' }) editWindowOpen!: boolean;
}

@Resolver()
export class LessonRecordResolver {
  @Mutation(() => LessonRecordType, { description: 'Sets the topic and/or homework of a lesson; `version` is required once a record exists' })
  setLessonRecord(
    @Arg('lessonId', () => ID) lessonId: string,
    @Arg('topic', () => String, { nullable: true }) topic: string | null | undefined,
    @Arg('homework', () => String, { nullable: true }) homework: string | null | undefined,
    @Arg('homeworkAttachments', () => [String], { nullable: true }) homeworkAttachments: string[] | null | undefined,
    @Arg('version', () => Int, { nullable: true }) version: number | null,
    @Arg('idempotencyKey', () => String) key: string,
    @Ctx() ctx: JournalContext,
  ): Promise<LessonRecordType> {
    return new LessonRecordService(ctx).set(lessonId, { topic, homework, homeworkAttachments }, version ?? null, key);
  }

  @Query(() => LessonJournalType, { description: 'A lesson’s journal page: its teacher (or substitute), deputies, the director' })
  async lessonJournal(@Arg('lessonId', () => ID) lessonId: string, @Ctx() ctx: JournalContext): Promise<LessonJournalType> {
    const id = parseGlobalId(lessonId, 'Lesson', ctx.schoolId).localId;
    const rules = new EntryRules(ctx);
    const fact = await rules.lesson(id, lessonId);
    if (!isDeputyOf(ctx.viewer, ctx.schoolId)) await rules.requireLessonTeacher(fact);
    const [record, marks, attendance] = await Promise.all([ctx.loaders.record.load(id), ctx.loaders.marksByLesson.load(id), ctx.loaders.attendanceByLesson.load(id)]);
    const forms = await ctx.loaders.controlForm.loadMany([...new Set(marks.map((m) => m.controlFormId))]);
    const formBy = new Map(forms.flatMap((f) => (f && !(f instanceof Error) ? [[f.id, f] as const] : [])));
    if (marks.some((m) => !formBy.has(m.controlFormId))) throw DomainError.notFound('Форма контроля', lessonId);
    return Object.assign(new LessonJournalType(), {
      lesson: { id: lessonId },
      record: record ? LessonRecordType.from(record, ctx.schoolId) : null,
      marks: marks.map((m) => MarkType.from(m, formBy.get(m.controlFormId)!, ctx.schoolId)),
      attendance: attendance.map((a) => AttendanceType.from(a, ctx.schoolId)),
      editWindowOpen: fact.editWindowOpen,
    });
  }
}
