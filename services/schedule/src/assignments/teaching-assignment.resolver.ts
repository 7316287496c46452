import { allows } from '@district/kit';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ClassGroupRef, StaffRef, StudentRef } from '../federation/stubs';
import type { ScheduleContext } from '../context';
import { GradingEnum, SubjectType } from '../subjects/subject.type';
import { AcademicYearType } from '../years/year.type';
import { TeachingAssignmentFilter, TeachingAssignmentInput } from './teaching-assignment.inputs';
import { TeachingAssignmentService } from './teaching-assignment.service';
import { TeachingAssignmentType } from './teaching-assignment.type';

@Resolver(() => TeachingAssignmentType)
export class TeachingAssignmentResolver {
  @Query(() => [TeachingAssignmentType], { description: 'Who teaches what to which class (staff of the school)' })
  async teachingAssignments(
    @Arg('schoolId', () => ID) _schoolId: string,
    @Arg('filter', () => TeachingAssignmentFilter, { nullable: true }) filter: TeachingAssignmentFilter | null,
    @Ctx() ctx: ScheduleContext,
  ): Promise<TeachingAssignmentType[]> {
    return (await new TeachingAssignmentService(ctx).list(filter ?? {})).map((a) => TeachingAssignmentType.from(a, ctx.schoolId));
  }

  @Mutation(() => TeachingAssignmentType)
  async createTeachingAssignment(
    @Arg('schoolId', () => ID) _schoolId: string,
    @Arg('input', () => TeachingAssignmentInput) input: TeachingAssignmentInput,
    @Ctx() ctx: ScheduleContext,
  ): Promise<TeachingAssignmentType> {
    return TeachingAssignmentType.from(await new TeachingAssignmentService(ctx).create(input), ctx.schoolId);
  }

  @FieldResolver(() => AcademicYearType)
  async academicYear(@Root() a: TeachingAssignmentType, @Ctx() ctx: ScheduleContext): Promise<AcademicYearType> {
    return AcademicYearType.from((await ctx.loaders.academicYear.load(a.academicYearId))!, ctx.schoolId);
  }

  @FieldResolver(() => SubjectType)
  async subject(@Root() a: TeachingAssignmentType, @Ctx() ctx: ScheduleContext): Promise<SubjectType> {
    return SubjectType.from((await ctx.loaders.subject.load(a.subjectId))!, ctx.schoolId);
  }

  @FieldResolver(() => ClassGroupRef)
  classGroup(@Root() a: TeachingAssignmentType, @Ctx() ctx: ScheduleContext): ClassGroupRef {
    return ClassGroupRef.of(ctx.schoolId, a.classGroupId);
  }

  @FieldResolver(() => StaffRef)
  teacher(@Root() a: TeachingAssignmentType, @Ctx() ctx: ScheduleContext): StaffRef {
    return StaffRef.of(ctx.schoolId, a.teacherStaffId);
  }

  @FieldResolver(() => GradingEnum, { description: 'How its lessons are graded, the year-1 rule applied' })
  async grading(@Root() a: TeachingAssignmentType, @Ctx() ctx: ScheduleContext): Promise<GradingEnum> {
    return (await ctx.loaders.grading.load(a.localId))!.grading as GradingEnum;
  }

  @FieldResolver(() => [StudentRef], { description: 'The group’s students; empty when the whole class takes the lessons' })
  async students(@Root() a: TeachingAssignmentType, @Ctx() ctx: ScheduleContext): Promise<StudentRef[]> {
    // Who is in which group is about the students: the school's staff only (a district admin sees the assignment, not its members).
    if (!allows(ctx.viewer, 'staff:work', ctx.schoolId)) return [];
    return (await ctx.loaders.studentsByAssignment.load(a.localId)).map((s) => StudentRef.of(ctx.schoolId, s.studentId));
  }
}
