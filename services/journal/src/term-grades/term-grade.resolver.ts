import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { JournalContext } from '../context';
import { TermGradeService } from './term-grade.service';
import { TermGradeInput, TermGradeSheetType, YearGradeSheetType } from './term-grade.type';
import { YearGradeService } from './year-grade.service';

@Resolver()
export class TermGradeResolver {
  @Query(() => TermGradeSheetType, { description: 'The term grade sheet of a subject in a class: averages, proposed and set grades' })
  termGradeSheet(
    @Arg('termId', () => ID) termId: string,
    @Arg('classGroupId', () => ID) classGroupId: string,
    @Arg('subjectId', () => ID) subjectId: string,
    @Ctx() ctx: JournalContext,
  ): Promise<TermGradeSheetType> {
    return new TermGradeService(ctx).read(termId, classGroupId, subjectId);
  }

  @Mutation(() => TermGradeSheetType, { description: 'Sets term grades (1–5, PASS/FAIL, NOT_ASSESSED, EXEMPT) for students of a class, all or nothing' })
  setTermGrades(
    @Arg('termId', () => ID) termId: string,
    @Arg('classGroupId', () => ID) classGroupId: string,
    @Arg('subjectId', () => ID) subjectId: string,
    @Arg('grades', () => [TermGradeInput]) grades: TermGradeInput[],
    @Arg('idempotencyKey', () => String) key: string,
    @Ctx() ctx: JournalContext,
  ): Promise<TermGradeSheetType> {
    return new TermGradeService(ctx).set(termId, classGroupId, subjectId, grades, key);
  }

  @Query(() => YearGradeSheetType, { description: 'The year grade sheet of a subject in a class: term grades and the proposed year grade' })
  yearGradeSheet(
    @Arg('academicYearId', () => ID) academicYearId: string,
    @Arg('classGroupId', () => ID) classGroupId: string,
    @Arg('subjectId', () => ID) subjectId: string,
    @Ctx() ctx: JournalContext,
  ): Promise<YearGradeSheetType> {
    return new YearGradeService(ctx).read(academicYearId, classGroupId, subjectId);
  }

  @Mutation(() => YearGradeSheetType, { description: 'Sets year grades for students of a class, all or nothing' })
  setYearGrades(
    @Arg('academicYearId', () => ID) academicYearId: string,
    @Arg('classGroupId', () => ID) classGroupId: string,
    @Arg('subjectId', () => ID) subjectId: string,
    @Arg('grades', () => [TermGradeInput]) grades: TermGradeInput[],
    @Arg('idempotencyKey', () => String) key: string,
    @Ctx() ctx: JournalContext,
  ): Promise<YearGradeSheetType> {
    return new YearGradeService(ctx).set(academicYearId, classGroupId, subjectId, grades, key);
  }
}
