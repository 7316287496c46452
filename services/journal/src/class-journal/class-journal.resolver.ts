import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { JournalContext } from '../context';
import { ClassJournalService } from './class-journal.service';
import { ClassJournalType } from './class-journal.type';

@Resolver()
export class ClassJournalResolver {
  @Query(() => ClassJournalType, {
    description:
      'The term’s journal of a subject in a class (lessons with marks, attendance, topic and homework): the subject’s teacher in the class, the class teacher, deputies, the director',
  })
  classJournal(
    @Arg('classGroupId', () => ID) classGroupId: string,
    @Arg('subjectId', () => ID) subjectId: string,
    @Arg('termId', () => ID) termId: string,
    @Ctx() ctx: JournalContext,
  ): Promise<ClassJournalType> {
    return new ClassJournalService(ctx).read(classGroupId, subjectId, termId);
  }
}
