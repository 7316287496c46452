import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { accessOf } from '../access';
import { ClassGroupType } from '../class-groups/class-group.type';
import { GuardianLinkType, GuardianType } from '../guardians/guardian.type';
import type { PeopleContext } from '../context';
import { School } from '../school/school.type';
import { StudentInput } from './student.inputs';
import { StudentService } from './student.service';
import { StudentType } from './student.type';

@Resolver(() => StudentType)
export class StudentResolver {
  @Query(() => [StudentType], {
    description:
      'Students of a school, sorted by surname: the whole roster for the school’s staff; for a district admin only the students with an access open now (openPersonalDataAccess)',
  })
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

  @Query(() => StudentType, { nullable: true, description: 'The signed-in student’s own record (their diary starts here); null for anyone else' })
  async myStudentRecord(@Ctx() ctx: PeopleContext): Promise<StudentType | null> {
    const row = await new StudentService(ctx).self();
    return row && StudentType.from(row, ctx.schoolId);
  }

  @Query(() => [StudentType], { description: 'A parent’s children, across every school the parent’s token names' })
  async myChildren(@Ctx() ctx: PeopleContext): Promise<StudentType[]> {
    return (await new StudentService(ctx).children()).map((s) => StudentType.from(s, ctx.schoolId));
  }

  @Mutation(() => StudentType)
  async createStudent(
    @Arg('schoolId', () => ID) _schoolId: string,
    @Arg('input', () => StudentInput) input: StudentInput,
    @Ctx() ctx: PeopleContext,
  ): Promise<StudentType> {
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

  @FieldResolver(() => String, {
    nullable: true,
    description: 'ISO date YYYY-MM-DD. Personal data: null with FORBIDDEN for a viewer who may not read this student’s personal data',
  })
  async birthDate(@Root() student: StudentType, @Ctx() ctx: PeopleContext): Promise<string> {
    const access = accessOf(ctx);
    if (!(await access.canReadPersonal(student.localId))) throw access.refusePersonalData();
    return student.birthDate;
  }

  @FieldResolver(() => [GuardianLinkType], {
    nullable: true,
    description:
      'Parents and legal representatives with their contacts. Personal data: null with FORBIDDEN for a viewer who may not read this student’s personal data',
  })
  async guardians(@Root() student: StudentType, @Ctx() ctx: PeopleContext): Promise<GuardianLinkType[]> {
    const access = accessOf(ctx);
    if (!(await access.canReadPersonal(student.localId))) throw access.refusePersonalData();
    const links = await ctx.loaders.guardianshipsByStudent.load(student.localId);
    const guardians = await ctx.loaders.guardian.loadMany(links.map((l) => l.guardianId));
    return links.flatMap((link, i) => {
      const g = guardians[i];
      return g && !(g instanceof Error)
        ? [Object.assign(new GuardianLinkType(), { guardian: GuardianType.from(g, ctx.schoolId), relation: link.relation })]
        : [];
    });
  }

  @FieldResolver(() => School)
  school(@Ctx() ctx: PeopleContext): School {
    return Object.assign(new School(), { id: ctx.schoolId });
  }
}
