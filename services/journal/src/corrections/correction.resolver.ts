import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { toGlobalId } from '@district/kit';
import { StudentRef } from '../diary/diary.type';
import type { JournalContext } from '../context';
import type { CorrectionStatus } from './correction-request.entity';
import { CorrectionService } from './correction.service';
import { CorrectionEntryType, CorrectionStatusEnum, CorrectionType } from './correction.type';

@Resolver(() => CorrectionType)
export class CorrectionResolver {
  @Query(() => [CorrectionType], { description: 'Correction requests: a deputy sees the school’s, a teacher their own' })
  correctionRequests(
    @Arg('schoolId', () => ID) _schoolId: string,
    @Arg('status', () => CorrectionStatusEnum, { nullable: true, description: 'Only the requests in this status' }) status: CorrectionStatus | null,
    @Ctx() ctx: JournalContext,
  ): Promise<CorrectionType[]> {
    return new CorrectionService(ctx).list(status);
  }

  @Mutation(() => CorrectionType, { description: 'A deputy approves (the change is applied) or rejects a correction request' })
  decideCorrection(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('approve', () => Boolean) approve: boolean,
    @Arg('comment', () => String, { nullable: true }) comment: string | null,
    @Ctx() ctx: JournalContext,
  ): Promise<CorrectionType> {
    return new CorrectionService(ctx).decide(id, version, approve, comment);
  }

  @FieldResolver(() => CorrectionEntryType, {
    nullable: true,
    description: 'The mark or attendance entry asked about: student, lesson, current value, who asked',
  })
  async entry(@Root() request: CorrectionType, @Ctx() ctx: JournalContext): Promise<CorrectionEntryType | null> {
    // Whoever may read the request (its deputy, director or requesting teacher) may read what it is about.
    const facts = await ctx.loaders.correctionEntry.load(request.localId);
    if (!facts) return null;
    const { schoolId } = ctx;
    return Object.assign(new CorrectionEntryType(), {
      student: Object.assign(new StudentRef(), { id: toGlobalId('Student', schoolId, facts.studentId) }),
      lessonId: toGlobalId('Lesson', schoolId, facts.lessonId),
      lessonDate: facts.lessonDate,
      subjectName: facts.subjectName,
      className: facts.className,
      currentValue: facts.currentValue,
      currentStatus: facts.currentStatus,
      requestedBy: facts.requestedBy,
    });
  }
}
