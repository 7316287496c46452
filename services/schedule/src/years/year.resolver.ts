import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { ScheduleContext } from '../context';
import { AcademicYearInput, HolidayInput, TermInput } from './year.inputs';
import { YearService } from './year.service';
import { AcademicYearType, HolidayType, TermType } from './year.type';

@Resolver(() => AcademicYearType)
export class AcademicYearResolver {
  @Query(() => [AcademicYearType], { description: 'Academic years of a school, newest first' })
  async academicYears(@Arg('schoolId', () => ID) _schoolId: string, @Ctx() ctx: ScheduleContext): Promise<AcademicYearType[]> {
    return (await new YearService(ctx).listYears()).map((y) => AcademicYearType.from(y, ctx.schoolId));
  }

  @Mutation(() => AcademicYearType)
  async createAcademicYear(
    @Arg('schoolId', () => ID) _schoolId: string,
    @Arg('input', () => AcademicYearInput) input: AcademicYearInput,
    @Ctx() ctx: ScheduleContext,
  ): Promise<AcademicYearType> {
    return AcademicYearType.from(await new YearService(ctx).createYear(input), ctx.schoolId);
  }

  @Mutation(() => HolidayType, { description: 'Каникулы or a public holiday; refused while lessons are planned on those dates' })
  async createHoliday(
    @Arg('schoolId', () => ID) _schoolId: string,
    @Arg('input', () => HolidayInput) input: HolidayInput,
    @Ctx() ctx: ScheduleContext,
  ): Promise<HolidayType> {
    return HolidayType.from(await new YearService(ctx).createHoliday(input), ctx.schoolId);
  }

  @FieldResolver(() => [TermType])
  async terms(@Root() year: AcademicYearType, @Ctx() ctx: ScheduleContext): Promise<TermType[]> {
    return (await ctx.loaders.termsByYear.load(year.localId)).map((t) => TermType.from(t, ctx.schoolId));
  }

  @FieldResolver(() => [HolidayType])
  async holidays(@Root() year: AcademicYearType, @Ctx() ctx: ScheduleContext): Promise<HolidayType[]> {
    return (await ctx.loaders.holidaysByYear.load(year.localId)).map((h) => HolidayType.from(h, ctx.schoolId));
  }
}

@Resolver(() => TermType)
export class TermResolver {
  @Query(() => [TermType], { description: 'Terms of a school (of one academic year, e.g. 2026/2027, if given), by start date' })
  async terms(
    @Arg('schoolId', () => ID) _schoolId: string,
    @Arg('academicYear', () => String, { nullable: true }) academicYear: string | null,
    @Ctx() ctx: ScheduleContext,
  ): Promise<TermType[]> {
    return (await new YearService(ctx).listTerms(academicYear)).map((t) => TermType.from(t, ctx.schoolId));
  }

  @Query(() => TermType, { nullable: true })
  async term(@Arg('id', () => ID) id: string, @Ctx() ctx: ScheduleContext): Promise<TermType | null> {
    const term = await new YearService(ctx).getTerm(id);
    return term && TermType.from(term, ctx.schoolId);
  }

  @Mutation(() => TermType)
  async createTerm(
    @Arg('schoolId', () => ID) _schoolId: string,
    @Arg('input', () => TermInput) input: TermInput,
    @Ctx() ctx: ScheduleContext,
  ): Promise<TermType> {
    return TermType.from(await new YearService(ctx).createTerm(input), ctx.schoolId);
  }

  @Mutation(() => TermType, { description: 'Closes a term (deputy or school-admin); the journal locks its entries' })
  async closeTerm(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @Ctx() ctx: ScheduleContext): Promise<TermType> {
    return TermType.from(await new YearService(ctx).closeTerm(id, version), ctx.schoolId);
  }

  @FieldResolver(() => AcademicYearType)
  async academicYear(@Root() term: TermType, @Ctx() ctx: ScheduleContext): Promise<AcademicYearType> {
    return AcademicYearType.from((await ctx.loaders.academicYear.load(term.academicYearId))!, ctx.schoolId);
  }
}
