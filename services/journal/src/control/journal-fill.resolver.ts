import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { JournalContext } from '../context';
import { requireSchoolFiguresAccess } from '../lessons/entry-rules';
import { JournalFillService } from './journal-fill.service';
import { JournalFillRow } from './journal-fill.type';

@Resolver()
export class JournalFillResolver {
  @Query(() => [JournalFillRow], {
    description:
      'Fill state of the school’s journal per class group and subject over a period (from..to inclusive, at most 62 days): held lessons, lessons without topic, attendance or homework, late entries. Deputies, the director, district analysts and admins (aggregates)',
  })
  journalFill(
    @Arg('schoolId', () => ID) _schoolId: string,
    @Arg('from', () => String, { description: 'First day, YYYY-MM-DD' }) from: string,
    @Arg('to', () => String, { description: 'Last day (inclusive), YYYY-MM-DD' }) to: string,
    @Ctx() ctx: JournalContext,
  ): Promise<JournalFillRow[]> {
    requireSchoolFiguresAccess(ctx, 'заполнению журнала');
    return new JournalFillService(ctx).fill(from, to);
  }
}
