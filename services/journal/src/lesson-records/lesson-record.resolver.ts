import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { allows, parseGlobalId, requireAction } from '@district/kit';
import { LessonJournalType } from '../class-journal/class-journal.type';
import { lessonPages } from '../class-journal/lesson-page';
import type { JournalContext } from '../context';
import { EntryRules } from '../lessons/entry-rules';
import { LessonRecordService } from './lesson-record.service';
import { LessonRecordType } from './lesson-record.type';

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
    // Only the school's staff may ever read a lesson page: everyone else is refused before the lesson is looked up.
    requireAction(ctx.viewer, 'staff:work', ctx.schoolId, 'Страница урока в журнале доступна учителю урока, заместителю директора и директору');
    const id = parseGlobalId(lessonId, 'Lesson', ctx.schoolId).localId;
    const rules = new EntryRules(ctx);
    const fact = await rules.lesson(id, lessonId);
    if (!allows(ctx.viewer, 'journal:control', ctx.schoolId)) await rules.requireLessonTeacher(fact);
    const [page] = await lessonPages(ctx, [fact]);
    return page!;
  }
}
