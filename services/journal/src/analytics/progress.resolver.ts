import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { allows, DomainError } from '@district/kit';
import type { JournalContext } from '../context';
import { requireSchoolFiguresAccess } from '../lessons/entry-rules';
import { SchoolRef } from '../monitoring/monthly-figures.type';
import { ProgressArgs } from './progress.inputs';
import { ProgressService } from './progress.service';
import { SchoolProgress, StudentAtRisk } from './progress.type';

@Resolver(() => SchoolRef)
export class SchoolProgressResolver {
  @FieldResolver(() => SchoolProgress, {
    nullable: true,
    description: 'Progress analytics of the school for a period; null for another school than this instance’s. See docs/analytics.md',
  })
  async progress(
    @Root() school: SchoolRef,
    @Args(() => ProgressArgs) { period, groupBy }: ProgressArgs,
    @Ctx() ctx: JournalContext,
  ): Promise<SchoolProgress | null> {
    if (school.id !== ctx.schoolId) return null;
    requireSchoolFiguresAccess(ctx, 'аналитике успеваемости');
    return new ProgressService(ctx).progress(period, groupBy);
  }
}

@Resolver(() => SchoolProgress)
export class StudentsAtRiskResolver {
  @FieldResolver(() => [StudentAtRisk], { description: 'Students at risk, by name: only the school’s deputy and director (district roles get FORBIDDEN)' })
  studentsAtRisk(@Root() progress: SchoolProgress, @Ctx() ctx: JournalContext): Promise<StudentAtRisk[]> {
    if (!allows(ctx.viewer, 'atRisk:readNames', ctx.schoolId)) {
      throw DomainError.forbidden(
        'Список обучающихся группы риска с именами доступен только заместителю директора и директору школы; окружным пользователям — только число таких обучающихся в строках',
      );
    }
    return new ProgressService(ctx).studentsAtRisk(progress.atRisk);
  }
}
