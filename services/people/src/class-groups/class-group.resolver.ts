import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { accessOf } from '../access';
import type { PeopleContext } from '../context';
import { StaffType } from '../staff/staff.type';
import { StudentType } from '../students/student.type';
import { ClassGroupInput } from './class-group.inputs';
import { ClassGroupService } from './class-group.service';
import { ClassGroupType, EnrollmentType } from './class-group.type';

const byName = (a: { lastName: string; firstName: string }, b: { lastName: string; firstName: string }) =>
  a.lastName.localeCompare(b.lastName, 'ru') || a.firstName.localeCompare(b.firstName, 'ru');

@Resolver(() => ClassGroupType)
export class ClassGroupResolver {
  @Query(() => [ClassGroupType], { description: 'Class groups of a school, by year of study and name' })
  async classGroups(
    @Arg('schoolId', () => ID) _schoolId: string,
    @Arg('academicYear', () => String, { nullable: true }) academicYear: string | null,
    @Ctx() ctx: PeopleContext,
  ): Promise<ClassGroupType[]> {
    return (await new ClassGroupService(ctx).list(academicYear)).map((g) => ClassGroupType.from(g, ctx.schoolId));
  }

  @Query(() => [ClassGroupType], {
    description: 'The class groups the signed-in teacher leads as class teacher (классный руководитель), latest academic year first',
  })
  async myClassGroups(@Arg('schoolId', () => ID) _schoolId: string, @Ctx() ctx: PeopleContext): Promise<ClassGroupType[]> {
    return (await new ClassGroupService(ctx).ledByMe()).map((g) => ClassGroupType.from(g, ctx.schoolId));
  }

  @Query(() => ClassGroupType, { nullable: true })
  async classGroup(@Arg('id', () => ID) id: string, @Ctx() ctx: PeopleContext): Promise<ClassGroupType | null> {
    const group = await new ClassGroupService(ctx).get(id);
    return group && ClassGroupType.from(group, ctx.schoolId);
  }

  @Mutation(() => ClassGroupType)
  async createClassGroup(
    @Arg('schoolId', () => ID) _schoolId: string,
    @Arg('input', () => ClassGroupInput) input: ClassGroupInput,
    @Ctx() ctx: PeopleContext,
  ): Promise<ClassGroupType> {
    return ClassGroupType.from(await new ClassGroupService(ctx).create(input), ctx.schoolId);
  }

  @Mutation(() => ClassGroupType)
  async updateClassGroup(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('input', () => ClassGroupInput) input: ClassGroupInput,
    @Ctx() ctx: PeopleContext,
  ): Promise<ClassGroupType> {
    return ClassGroupType.from(await new ClassGroupService(ctx).update(id, version, input), ctx.schoolId);
  }

  @Mutation(() => EnrollmentType, { description: 'Enrolls a student into a class group from a date (ending the current enrollment)' })
  async enrollStudent(
    @Arg('studentId', () => ID) studentId: string,
    @Arg('classGroupId', () => ID) classGroupId: string,
    @Arg('startDate', () => String) startDate: string,
    @Ctx() ctx: PeopleContext,
  ): Promise<EnrollmentType> {
    return EnrollmentType.from(await new ClassGroupService(ctx).enroll(studentId, classGroupId, startDate), ctx.schoolId);
  }

  @Mutation(() => EnrollmentType)
  async endEnrollment(@Arg('id', () => ID) id: string, @Arg('endDate', () => String) endDate: string, @Ctx() ctx: PeopleContext): Promise<EnrollmentType> {
    return EnrollmentType.from(await new ClassGroupService(ctx).endEnrollment(id, endDate), ctx.schoolId);
  }

  @FieldResolver(() => [StudentType], {
    description:
      'Students currently in the class, sorted by surname: all for the school’s staff; for anyone else only the students whose personal data they read',
  })
  async students(@Root() group: ClassGroupType, @Ctx() ctx: PeopleContext): Promise<StudentType[]> {
    const enrollments = await accessOf(ctx).onRoster(await ctx.loaders.activeEnrollmentsByClassGroup.load(group.localId), (e) => e.studentId);
    const students = await ctx.loaders.student.loadMany(enrollments.map((e) => e.studentId));
    return students
      .flatMap((s) => (s && !(s instanceof Error) ? [s] : []))
      .sort(byName)
      .map((s) => StudentType.from(s, ctx.schoolId));
  }

  @FieldResolver(() => Int)
  async studentCount(@Root() group: ClassGroupType, @Ctx() ctx: PeopleContext): Promise<number> {
    return (await ctx.loaders.activeEnrollmentsByClassGroup.load(group.localId)).length;
  }

  @FieldResolver(() => StaffType, { nullable: true, description: 'Классный руководитель' })
  async classTeacher(@Root() group: ClassGroupType, @Ctx() ctx: PeopleContext): Promise<StaffType | null> {
    if (!group.classTeacherId) return null;
    const staff = await ctx.loaders.staff.load(group.classTeacherId);
    return staff ? StaffType.from(staff, ctx.schoolId) : null;
  }
}

@Resolver(() => EnrollmentType)
export class EnrollmentResolver {
  @FieldResolver(() => StudentType, { nullable: true })
  async student(@Root() e: EnrollmentType, @Ctx() ctx: PeopleContext): Promise<StudentType | null> {
    const access = accessOf(ctx);
    if (!(await access.canSeeStudent(e.studentId))) throw access.refusePersonalData();
    const s = await ctx.loaders.student.load(e.studentId);
    return s ? StudentType.from(s, ctx.schoolId) : null;
  }

  @FieldResolver(() => ClassGroupType, { nullable: true })
  async classGroup(@Root() e: EnrollmentType, @Ctx() ctx: PeopleContext): Promise<ClassGroupType | null> {
    const g = await ctx.loaders.classGroup.load(e.classGroupId);
    return g ? ClassGroupType.from(g, ctx.schoolId) : null;
  }
}
