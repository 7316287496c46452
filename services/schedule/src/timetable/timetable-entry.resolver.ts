import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { TeachingAssignmentType } from '../assignments/teaching-assignment.type';
import type { ScheduleContext } from '../context';
import { TimetableEntryInput } from './timetable-entry.inputs';
import { TimetableEntryService } from './timetable-entry.service';
import { TimetableEntryType } from './timetable-entry.type';

@Resolver(() => TimetableEntryType)
export class TimetableEntryResolver {
  @Query(() => [TimetableEntryType], { description: 'The weekly timetable (staff of the school), by weekday and period' })
  async timetableEntries(
    @Arg('schoolId', () => ID) _schoolId: string,
    @Arg('classGroupId', () => ID, { nullable: true }) classGroupId: string | null,
    @Arg('teacherId', () => ID, { nullable: true }) teacherId: string | null,
    @Ctx() ctx: ScheduleContext,
  ): Promise<TimetableEntryType[]> {
    return (await new TimetableEntryService(ctx).list(classGroupId, teacherId)).map((e) => TimetableEntryType.from(e, ctx.schoolId));
  }

  @Mutation(() => TimetableEntryType)
  async createTimetableEntry(
    @Arg('schoolId', () => ID) _schoolId: string,
    @Arg('input', () => TimetableEntryInput) input: TimetableEntryInput,
    @Ctx() ctx: ScheduleContext,
  ): Promise<TimetableEntryType> {
    return TimetableEntryType.from(await new TimetableEntryService(ctx).create(input), ctx.schoolId);
  }

  @FieldResolver(() => TeachingAssignmentType)
  async assignment(@Root() entry: TimetableEntryType, @Ctx() ctx: ScheduleContext): Promise<TeachingAssignmentType> {
    return TeachingAssignmentType.from((await ctx.loaders.assignment.load(entry.teachingAssignmentId))!, ctx.schoolId);
  }
}
