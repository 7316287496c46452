import { Arg, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import type { JournalContext } from '../context';
import { EditOutcomeType } from '../corrections/correction.type';
import { MarkService } from './mark.service';
import { MarkChangeInput, MarkInput, MarkType } from './mark.type';

const KEY = { description: 'Idempotency key: a retry with the same key returns the first answer and writes nothing' };

@Resolver()
export class MarkResolver {
  @Mutation(() => [MarkType], { description: 'Marks for one lesson (a whole class at once), all or nothing' })
  enterMarks(
    @Arg('lessonId', () => ID) lessonId: string,
    @Arg('marks', () => [MarkInput]) marks: MarkInput[],
    @Arg('idempotencyKey', () => String, KEY) key: string,
    @Ctx() ctx: JournalContext,
  ): Promise<MarkType[]> {
    return new MarkService(ctx).enter(lessonId, marks, key);
  }

  @Mutation(() => EditOutcomeType, { description: 'Inside the edit window: applied at once. After it: needs a reason and becomes a correction request' })
  editMark(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('change', () => MarkChangeInput) change: MarkChangeInput,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
    @Arg('idempotencyKey', () => String, KEY) key: string,
    @Ctx() ctx: JournalContext,
  ): Promise<EditOutcomeType> {
    return new MarkService(ctx).edit(id, version, change, reason, key);
  }

  @Mutation(() => EditOutcomeType, { description: 'Withdraws a mark (it stays in the history)' })
  withdrawMark(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
    @Arg('idempotencyKey', () => String, KEY) key: string,
    @Ctx() ctx: JournalContext,
  ): Promise<EditOutcomeType> {
    return new MarkService(ctx).withdraw(id, version, reason, key);
  }
}
