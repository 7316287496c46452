import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { DomainError } from '@district/kit';
import type { JournalContext } from '../context';
import type { CorrectionStatus } from './correction-request.entity';
import { CorrectionService } from './correction.service';
import { CorrectionType } from './correction.type';

@Resolver()
export class CorrectionResolver {
  @Query(() => [CorrectionType], { description: 'Correction requests: a deputy sees the school’s, a teacher their own' })
  correctionRequests(
    @Arg('schoolId', () => ID) _schoolId: string,
    @Arg('status', () => String, { nullable: true, description: 'PENDING, APPROVED or REJECTED' }) status: string | null,
    @Ctx() ctx: JournalContext,
  ): Promise<CorrectionType[]> {
    if (status && !['PENDING', 'APPROVED', 'REJECTED'].includes(status)) throw DomainError.invalid('Статус: PENDING, APPROVED или REJECTED');
    return new CorrectionService(ctx).list(status as CorrectionStatus | null);
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
}
