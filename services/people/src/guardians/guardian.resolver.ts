import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { accessOf } from '../access';
import type { PeopleContext } from '../context';
import { StudentType } from '../students/student.type';
import { GuardianInput } from './guardian.inputs';
import { GuardianService } from './guardian.service';
import { GuardianType } from './guardian.type';

@Resolver(() => GuardianType)
export class GuardianResolver {
  @Query(() => [GuardianType], {
    description:
      'Parents and legal representatives, sorted by surname: all for the school’s deputies and director; for a teacher or a district admin, those of the students whose personal data they read',
  })
  async guardians(@Arg('schoolId', () => ID) _schoolId: string, @Ctx() ctx: PeopleContext): Promise<GuardianType[]> {
    return (await new GuardianService(ctx).list()).map((g) => GuardianType.from(g, ctx.schoolId));
  }

  @Mutation(() => GuardianType)
  async createGuardian(
    @Arg('schoolId', () => ID) _schoolId: string,
    @Arg('input', () => GuardianInput) input: GuardianInput,
    @Ctx() ctx: PeopleContext,
  ): Promise<GuardianType> {
    return GuardianType.from(await new GuardianService(ctx).create(input), ctx.schoolId);
  }

  @Mutation(() => GuardianType)
  async updateGuardian(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('input', () => GuardianInput) input: GuardianInput,
    @Ctx() ctx: PeopleContext,
  ): Promise<GuardianType> {
    return GuardianType.from(await new GuardianService(ctx).update(id, version, input), ctx.schoolId);
  }

  @Mutation(() => Boolean, { description: 'Links a guardian to a student; relation: mother | father | guardian | other' })
  async linkGuardian(
    @Arg('studentId', () => ID) studentId: string,
    @Arg('guardianId', () => ID) guardianId: string,
    @Arg('relation', () => String) relation: string,
    @Ctx() ctx: PeopleContext,
  ): Promise<boolean> {
    await new GuardianService(ctx).link(studentId, guardianId, relation);
    return true;
  }

  @FieldResolver(() => [StudentType], { description: 'The guardian’s children in this school whose personal data the viewer reads' })
  async children(@Root() guardian: GuardianType, @Ctx() ctx: PeopleContext): Promise<StudentType[]> {
    const links = await accessOf(ctx).withPersonalData(await ctx.loaders.guardianshipsByGuardian.load(guardian.localId), (l) => l.studentId);
    const students = await ctx.loaders.student.loadMany(links.map((l) => l.studentId));
    return students.flatMap((s) => (s && !(s instanceof Error) ? [StudentType.from(s, ctx.schoolId)] : []));
  }
}
