import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { ScheduleContext } from '../context';
import { BellPeriodInput } from './bell-period.inputs';
import { BellPeriodService } from './bell-period.service';
import { BellPeriodType } from './bell-period.type';

@Resolver(() => BellPeriodType)
export class BellPeriodResolver {
  @Query(() => [BellPeriodType], { description: 'The bell schedule (расписание звонков), by shift and period' })
  async bellSchedule(
    @Arg('schoolId', () => ID) _schoolId: string,
    @Arg('shift', () => Int, { nullable: true }) shift: number | null,
    @Ctx() ctx: ScheduleContext,
  ): Promise<BellPeriodType[]> {
    return (await new BellPeriodService(ctx).list(shift)).map((p) => BellPeriodType.from(p, ctx.schoolId));
  }

  @Mutation(() => BellPeriodType)
  async createBellPeriod(
    @Arg('schoolId', () => ID) _schoolId: string,
    @Arg('input', () => BellPeriodInput) input: BellPeriodInput,
    @Ctx() ctx: ScheduleContext,
  ): Promise<BellPeriodType> {
    return BellPeriodType.from(await new BellPeriodService(ctx).create(input), ctx.schoolId);
  }
}
