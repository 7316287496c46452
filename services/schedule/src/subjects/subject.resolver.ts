import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { ScheduleContext } from '../context';
import { SubjectInput } from './subject.inputs';
import { SubjectService } from './subject.service';
import { SubjectType } from './subject.type';

@Resolver(() => SubjectType)
export class SubjectResolver {
  @Query(() => [SubjectType], { description: 'Subjects taught in a school, by name' })
  async subjects(@Arg('schoolId', () => ID) _schoolId: string, @Ctx() ctx: ScheduleContext): Promise<SubjectType[]> {
    return (await new SubjectService(ctx).list()).map((s) => SubjectType.from(s, ctx.schoolId));
  }

  @Mutation(() => SubjectType)
  async createSubject(
    @Arg('schoolId', () => ID) _schoolId: string,
    @Arg('input', () => SubjectInput) input: SubjectInput,
    @Ctx() ctx: ScheduleContext,
  ): Promise<SubjectType> {
    return SubjectType.from(await new SubjectService(ctx).create(input), ctx.schoolId);
  }
}
