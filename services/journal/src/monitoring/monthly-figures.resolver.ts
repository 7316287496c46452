import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { JournalContext } from '../context';
import { requireSchoolFiguresAccess } from '../lessons/entry-rules';
import { MonthlyFiguresService } from './monthly-figures.service';
import { SchoolMonthFigures, SchoolRef } from './monthly-figures.type';

@Resolver(() => SchoolRef)
export class SchoolMonitoringResolver {
  @FieldResolver(() => SchoolMonthFigures, {
    nullable: true,
    description: 'Operational monitoring of how the school keeps its journal in a month (YYYY-MM); null for another school. See docs/monitoring.md',
  })
  async monthlyFigures(@Root() school: SchoolRef, @Arg('month', () => String) month: string, @Ctx() ctx: JournalContext): Promise<SchoolMonthFigures | null> {
    if (school.id !== ctx.schoolId) return null;
    requireSchoolFiguresAccess(ctx, 'показателям мониторинга');
    return new MonthlyFiguresService(ctx).figures(month);
  }
}
