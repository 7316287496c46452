import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { JournalContext } from '../context';
import { StudentRef } from '../diary/diary.type';
import { StudentProgressService } from './student-progress.service';
import { StudentProgressType } from './student-progress.type';

const PERIOD = 'YYYY-MM-DD, both days inclusive, at most 366 days';

@Resolver(() => StudentRef)
export class StudentProgressResolver {
  @Query(() => StudentProgressType, {
    description: `A student’s current progress over a period (${PERIOD}): marks by subject, weighted averages, attendance, term grades. Readers as for the diary`,
  })
  studentProgress(
    @Arg('studentId', () => ID) studentId: string,
    @Arg('from', () => String) from: string,
    @Arg('to', () => String) to: string,
    @Ctx() ctx: JournalContext,
  ): Promise<StudentProgressType> {
    return new StudentProgressService(ctx).forViewer(studentId, from, to);
  }

  @FieldResolver(() => StudentProgressType, {
    name: 'progress',
    nullable: true,
    description: `Current progress over a period (${PERIOD}); readers as for the diary`,
  })
  progressOfStudent(
    @Root() student: StudentRef,
    @Arg('from', () => String) from: string,
    @Arg('to', () => String) to: string,
    @Ctx() ctx: JournalContext,
  ): Promise<StudentProgressType> {
    return new StudentProgressService(ctx).forViewer(student.id, from, to);
  }
}
