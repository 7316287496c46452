import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { DomainError } from '@district/kit';
import { accessOf } from '../access';
import { ClassGroupRef, StaffRef } from '../federation/stubs';
import type { ScheduleContext } from '../context';
import { GradingEnum, SubjectType } from '../subjects/subject.type';
import { TermType } from '../years/year.type';
import { LessonChangeService } from './lesson-change.service';
import { LessonService } from './lesson.service';
import { GenerateLessonsResultType, LessonChangeType, LessonType } from './lesson.type';

const toTypes = (ctx: ScheduleContext) => (rows: Parameters<typeof LessonType.from>[0][]) => rows.map((l) => LessonType.from(l, ctx.schoolId));

@Resolver(() => LessonType)
export class LessonResolver {
  @Query(() => [LessonType], { description: 'A class’s lessons from `from` to `to` (ISO dates, at most 62 days), by date and period' })
  async timetable(
    @Arg('schoolId', () => ID) _schoolId: string,
    @Arg('classGroupId', () => ID) classGroupId: string,
    @Arg('from', () => String) from: string,
    @Arg('to', () => String) to: string,
    @Ctx() ctx: ScheduleContext,
  ): Promise<LessonType[]> {
    return toTypes(ctx)(await new LessonService(ctx).timetable(classGroupId, from, to));
  }

  @Query(() => [LessonType], { description: 'A teacher’s lessons, assigned or as a substitute (the viewer’s own when teacherId is omitted)' })
  async teacherLessons(
    @Arg('schoolId', () => ID) _schoolId: string,
    @Arg('from', () => String) from: string,
    @Arg('to', () => String) to: string,
    @Arg('teacherId', () => ID, { nullable: true }) teacherId: string | null,
    @Ctx() ctx: ScheduleContext,
  ): Promise<LessonType[]> {
    return toTypes(ctx)(await new LessonService(ctx).teacherLessons(from, to, teacherId));
  }

  @Query(() => [LessonType], { description: 'The lessons a student takes in the week (Monday–Sunday) containing weekStart: the class’s and their own groups’' })
  async studentWeek(
    @Arg('studentId', () => ID) studentId: string,
    @Arg('weekStart', () => String) weekStart: string,
    @Ctx() ctx: ScheduleContext,
  ): Promise<LessonType[]> {
    return toTypes(ctx)(await new LessonService(ctx).studentWeek(studentId, weekStart));
  }

  @Query(() => LessonType, { nullable: true })
  async lesson(@Arg('id', () => ID) id: string, @Ctx() ctx: ScheduleContext): Promise<LessonType | null> {
    const lesson = await new LessonService(ctx).get(id);
    return lesson && LessonType.from(lesson, ctx.schoolId);
  }

  @Mutation(() => GenerateLessonsResultType, {
    description: 'Creates the term’s dated lessons from the timetable, skipping holidays; a second run creates nothing',
  })
  async generateLessons(@Arg('termId', () => ID) termId: string, @Ctx() ctx: ScheduleContext): Promise<GenerateLessonsResultType> {
    const { created, existing, term } = await new LessonService(ctx).generate(termId);
    return Object.assign(new GenerateLessonsResultType(), { created, existing, term: TermType.from(term, ctx.schoolId) });
  }

  @Mutation(() => LessonType, { description: 'Замена: another teacher takes the lesson (null gives it back to the assigned teacher)' })
  async substituteLesson(
    @Arg('lessonId', () => ID) lessonId: string,
    @Arg('substituteStaffId', () => ID, { nullable: true }) substituteStaffId: string | null,
    @Arg('reason', () => String) reason: string,
    @Arg('version', () => Int) version: number,
    @Ctx() ctx: ScheduleContext,
  ): Promise<LessonType> {
    return LessonType.from(await new LessonChangeService(ctx).substitute(lessonId, substituteStaffId, reason, version), ctx.schoolId);
  }

  @Mutation(() => LessonType)
  async cancelLesson(
    @Arg('lessonId', () => ID) lessonId: string,
    @Arg('reason', () => String) reason: string,
    @Arg('version', () => Int) version: number,
    @Ctx() ctx: ScheduleContext,
  ): Promise<LessonType> {
    return LessonType.from(await new LessonChangeService(ctx).cancel(lessonId, reason, version), ctx.schoolId);
  }

  @Mutation(() => LessonType, { description: 'Перенос to another date and period, or (same date and period) to another room' })
  async moveLesson(
    @Arg('lessonId', () => ID) lessonId: string,
    @Arg('date', () => String) date: string,
    @Arg('period', () => Int) period: number,
    @Arg('room', () => String, { nullable: true, description: 'null keeps the room' }) room: string | null,
    @Arg('reason', () => String) reason: string,
    @Arg('version', () => Int) version: number,
    @Ctx() ctx: ScheduleContext,
  ): Promise<LessonType> {
    return LessonType.from(await new LessonChangeService(ctx).move(lessonId, { date, period, room }, reason, version), ctx.schoolId);
  }

  @FieldResolver(() => SubjectType)
  async subject(@Root() lesson: LessonType, @Ctx() ctx: ScheduleContext): Promise<SubjectType> {
    const assignment = (await ctx.loaders.assignment.load(lesson.teachingAssignmentId))!;
    return SubjectType.from((await ctx.loaders.subject.load(assignment.subjectId))!, ctx.schoolId);
  }

  @FieldResolver(() => GradingEnum, { description: 'How the lesson is graded, the year-1 rule applied' })
  async grading(@Root() lesson: LessonType, @Ctx() ctx: ScheduleContext): Promise<GradingEnum> {
    return (await ctx.loaders.grading.load(lesson.teachingAssignmentId))!.grading as GradingEnum;
  }

  @FieldResolver(() => ClassGroupRef)
  async classGroup(@Root() lesson: LessonType, @Ctx() ctx: ScheduleContext): Promise<ClassGroupRef> {
    return ClassGroupRef.of(ctx.schoolId, (await ctx.loaders.assignment.load(lesson.teachingAssignmentId))!.classGroupId);
  }

  @FieldResolver(() => StaffRef, { description: 'The assigned teacher' })
  async teacher(@Root() lesson: LessonType, @Ctx() ctx: ScheduleContext): Promise<StaffRef> {
    return StaffRef.of(ctx.schoolId, (await ctx.loaders.assignment.load(lesson.teachingAssignmentId))!.teacherStaffId);
  }

  @FieldResolver(() => StaffRef, { nullable: true, description: 'Who teaches it instead (замена); null: the assigned teacher' })
  substitute(@Root() lesson: LessonType, @Ctx() ctx: ScheduleContext): StaffRef | null {
    return lesson.substituteStaffId ? StaffRef.of(ctx.schoolId, lesson.substituteStaffId) : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'The group of a split class, e.g. «Английский, гр. 1»; null: the whole class' })
  async groupName(@Root() lesson: LessonType, @Ctx() ctx: ScheduleContext): Promise<string | null> {
    return (await ctx.loaders.assignment.load(lesson.teachingAssignmentId))!.groupName ?? null;
  }

  @FieldResolver(() => TermType)
  async term(@Root() lesson: LessonType, @Ctx() ctx: ScheduleContext): Promise<TermType> {
    return TermType.from((await ctx.loaders.term.load(lesson.termId))!, ctx.schoolId);
  }

  @FieldResolver(() => [LessonChangeType], { nullable: true, description: 'Changes of the lesson, oldest first (staff of the school)' })
  async changes(@Root() lesson: LessonType, @Ctx() ctx: ScheduleContext): Promise<LessonChangeType[]> {
    // Reasons may name people ("teacher ill"): staff only.
    if (!accessOf(ctx).seesWholeSchool) throw DomainError.forbidden('История изменений урока доступна сотрудникам школы');
    return (await ctx.loaders.changesByLesson.load(lesson.localId)).map((c) => LessonChangeType.from(c, ctx.schoolId));
  }
}
