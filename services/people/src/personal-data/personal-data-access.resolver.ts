import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { accessOf } from '../access';
import type { PeopleContext } from '../context';
import { StudentType } from '../students/student.type';
import { PersonalDataAccessService } from './personal-data-access.service';
import { PersonalDataAccessType } from './personal-data-access.type';

@Resolver(() => PersonalDataAccessType)
export class PersonalDataAccessResolver {
  @Mutation(() => PersonalDataAccessType, {
    description:
      'District admin only: opens their access to one student’s personal data (birth date, guardians and contacts, diary) for a limited time, with a reason of at least 10 characters; written to the school’s append-only log',
  })
  async openPersonalDataAccess(
    @Arg('schoolId', () => ID) _schoolId: string,
    @Arg('studentId', () => ID) studentId: string,
    @Arg('reason', () => String) reason: string,
    @Ctx() ctx: PeopleContext,
  ): Promise<PersonalDataAccessType> {
    return PersonalDataAccessType.from(await new PersonalDataAccessService(ctx).open(studentId, reason), ctx.schoolId);
  }

  @Query(() => [PersonalDataAccessType], {
    description: 'The school’s log of district accesses to personal data, newest first: its director and the district admins',
  })
  async personalDataAccessLog(
    @Arg('schoolId', () => ID) _schoolId: string,
    @Arg('studentId', () => ID, { nullable: true }) studentId: string | null,
    @Arg('limit', () => Int, { defaultValue: 100 }) limit: number,
    @Arg('offset', () => Int, { defaultValue: 0 }) offset: number,
    @Ctx() ctx: PeopleContext,
  ): Promise<PersonalDataAccessType[]> {
    return (await new PersonalDataAccessService(ctx).log({ studentId, limit, offset })).map((row) => PersonalDataAccessType.from(row, ctx.schoolId));
  }

  @FieldResolver(() => StudentType, {
    nullable: true,
    description: 'The student, for a viewer who may see them (the director; the admin while the access is open)',
  })
  async student(@Root() access: PersonalDataAccessType, @Ctx() ctx: PeopleContext): Promise<StudentType | null> {
    const rules = accessOf(ctx);
    if (!(await rules.canSeeStudent(access.studentLocalId))) throw rules.refusePersonalData();
    const row = await ctx.loaders.student.load(access.studentLocalId);
    return row ? StudentType.from(row, ctx.schoolId) : null;
  }
}
