import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { PeopleContext } from '../context';
import { StaffInput } from './staff.inputs';
import { StaffService } from './staff.service';
import { StaffType } from './staff.type';

@Resolver(() => StaffType)
export class StaffResolver {
  @Query(() => [StaffType], { description: 'The school’s staff directory, sorted by surname: anyone of the school, district admins and analysts' })
  async staff(@Arg('schoolId', () => ID) _schoolId: string, @Ctx() ctx: PeopleContext): Promise<StaffType[]> {
    return (await new StaffService(ctx).list()).map((s) => StaffType.from(s, ctx.schoolId));
  }

  @Mutation(() => StaffType)
  async createStaff(
    @Arg('schoolId', () => ID) _schoolId: string,
    @Arg('input', () => StaffInput) input: StaffInput,
    @Ctx() ctx: PeopleContext,
  ): Promise<StaffType> {
    return StaffType.from(await new StaffService(ctx).create(input), ctx.schoolId);
  }

  @Mutation(() => StaffType)
  async updateStaff(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('input', () => StaffInput) input: StaffInput,
    @Ctx() ctx: PeopleContext,
  ): Promise<StaffType> {
    return StaffType.from(await new StaffService(ctx).update(id, version, input), ctx.schoolId);
  }
}
