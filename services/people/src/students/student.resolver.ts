import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ClassGroupType } from '../class-groups/class-group.type';
import { GuardianLinkType, GuardianType } from '../guardians/guardian.type';
import type { PeopleContext } from '../loaders';
import { School } from '../school/school.type';
import { StudentInput } from './student.inputs';
import { StudentService } from './student.service';
import { StudentType } from './student.type';

@Resolver(() => StudentType)
export class StudentResolver {
  @Query(() => [StudentType], { description: 'Students of a school (staff of the school), sorted by surname' })
  async students(
    @Arg('schoolId', () => ID) _schoolId: string,
    @Arg('classGroupId', () => ID, { nullable: true }) classGroupId: string | null,
    @Arg('search', () => String, { nullable: true, description: 'Surname prefix' }) search: string | null,
    @Arg('limit', () => Int, { defaultValue: 100 }) limit: number,
    @Arg('offset', () => Int, { defaultValue: 0 }) offset: number,
    @Ctx() ctx: PeopleContext,
  ): Promise<StudentType[]> {
    const rows = await new StudentService(ctx).list({ classGroupId, search, limit, offset });
    return rows.map((s) => StudentType.from(s, ctx.schoolId));
  }

  @Query(() => StudentType, { nullable: true })
  async student(@Arg('id', () => ID) id: string, @Ctx() ctx: PeopleContext): Promise<StudentType | null> {
    const row = await new StudentService(ctx).get(id);
    return row && StudentType.from(row, ctx.schoolId);
  }

  @Query(() => [StudentType], { description: 'A parent’s children, across every school the parent’s token names' })
  async myChildren(@Ctx() ctx: PeopleContext): Promise<StudentType[]> {
    return (await new StudentService(ctx).children()).map((s) => StudentType.from(s, ctx.schoolId));
  }

  @Mutation(() => StudentType)
  async createStudent(@Arg('schoolId', () => ID) _schoolId: string, @Arg('input', () => StudentInput) input: StudentInput, @Ctx() ctx: PeopleContext): Promise<StudentType> {
    return StudentType.from(await new StudentService(ctx).create(input), ctx.schoolId);
  }

  @Mutation(() => StudentType)
  async updateStudent(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('input', () => StudentInput) input: StudentInput,
    @Ctx() ctx: PeopleContext,
  ): Promise<StudentType> {
    return StudentType.from(await new StudentService(ctx).update(id, version, input), ctx.schoolId);
  }

  @FieldResolver(() => ClassGroupType, { nullable: true, description: 'The class group the student is in now' })
  async classGroup(@Root() student: StudentType, @Ctx() ctx: PeopleContext): Promise<ClassGroupType | null> {
    const enrollment = await ctx.loaders.activeEnrollmentByStudent.load(student.localId);
    const group = enrollment && (await ctx.loaders.classGroup.load(enrollment.classGroupId));
    return group ? ClassGroupType.from(group, ctx.schoolId) : null;
  }

  @FieldResolver(() => [GuardianLinkType])
  async guardians(@Root() student: StudentType, @Ctx() ctx: PeopleContext): Promise<GuardianLinkType[]> {
    const links = await ctx.loaders.guardianshipsByStudent.load(student.localId);
    const guardians = await ctx.loaders.guardian.loadMany(links.map((l) => l.guardianId));
    return links.flatMap((link, i) => {
      const g = guardians[i];
      return g && !(g instanceof Error) ? [Object.assign(new GuardianLinkType(), { guardian: GuardianType.from(g, ctx.schoolId), relation: link.relation })] : [];
    });
  }

  @FieldResolver(() => School)
  school(@Ctx() ctx: PeopleContext): School {
    return Object.assign(new School(), { id: ctx.schoolId });
  }
}
