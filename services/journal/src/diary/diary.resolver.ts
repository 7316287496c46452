import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { JournalContext } from '../context';
import { DiaryService } from './diary.service';
import { DiaryWeekType, StudentRef } from './diary.type';

@Resolver(() => StudentRef)
export class DiaryResolver {
  @Query(() => DiaryWeekType, { description: 'A student’s diary week (the week holding `weekStart`, from Monday)' })
  diary(@Arg('studentId', () => ID) studentId: string, @Arg('weekStart', () => String) weekStart: string, @Ctx() ctx: JournalContext): Promise<DiaryWeekType> {
    return new DiaryService(ctx).week(studentId, weekStart);
  }

  @FieldResolver(() => DiaryWeekType, { name: 'diary', nullable: true, description: 'The electronic diary for the week holding `weekStart`' })
  diaryOfStudent(@Root() student: StudentRef, @Arg('weekStart', () => String) weekStart: string, @Ctx() ctx: JournalContext): Promise<DiaryWeekType> {
    return new DiaryService(ctx).week(student.id, weekStart);
  }
}
