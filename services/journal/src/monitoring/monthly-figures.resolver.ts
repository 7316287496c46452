import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { DomainError } from '@district/kit';
import type { JournalContext } from '../context';
import { isDeputyOf } from '../lessons/entry-rules';
import { MonthlyFiguresService } from './monthly-figures.service';
import { SchoolMonthFigures, SchoolRef } from './monthly-figures.type';

/** District analysts and admins (for a school they may reach), or the school's deputy / director. */
function requireMonitoringAccess(ctx: JournalContext): void {
  const { viewer, schoolId } = ctx;
  const district = viewer.has('district-analyst', 'district-admin') && viewer.canReachSchool(schoolId);
  if (!district && !isDeputyOf(viewer, schoolId)) throw DomainError.forbidden(`Нет доступа к показателям мониторинга школы ${schoolId}`);
}

@Resolver(() => SchoolRef)
export class SchoolMonitoringResolver {
  @FieldResolver(() => SchoolMonthFigures, {
    nullable: true,
    description: 'Operational monitoring of how the school keeps its journal in a month (YYYY-MM); null for another school. See docs/monitoring.md',
  })
  async monthlyFigures(@Root() school: SchoolRef, @Arg('month', () => String) month: string, @Ctx() ctx: JournalContext): Promise<SchoolMonthFigures | null> {
    if (school.id !== ctx.schoolId) return null;
    requireMonitoringAccess(ctx);
    return new MonthlyFiguresService(ctx).figures(month);
  }
}
