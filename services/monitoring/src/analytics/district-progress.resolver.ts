import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { DomainError, ProgressDimension, ProgressPeriodInput, requireAction } from '@district/kit';
import type { MonitoringContext } from '../context';
import { DistrictProgressRowType, DistrictProgressType, UnavailableSchoolType } from './district-progress.type';
import { districtTotals } from './district-totals';
import { fetchProgress } from './progress-client';

@Resolver()
export class DistrictProgressResolver {
  @Query(() => DistrictProgressType, {
    description:
      'Progress across every school for a period, by year of study and subject: each school computes its rows (through the gateway, with the caller’s token), the district sums them. District roles only',
  })
  async districtProgress(
    @Arg('period', () => ProgressPeriodInput) period: ProgressPeriodInput,
    @Arg('groupBy', () => [ProgressDimension], { defaultValue: [] }) groupBy: ProgressDimension[],
    @Ctx() ctx: MonitoringContext,
  ): Promise<DistrictProgressType> {
    requireAction(ctx.viewer, 'district:read');
    if (groupBy.includes(ProgressDimension.CLASS_GROUP)) {
      throw DomainError.invalid('Классы у каждой школы свои: итоги по району — по параллелям и предметам (по классам — schools { progress })', [
        { field: 'groupBy', message: 'YEAR_OF_STUDY | SUBJECT' },
      ]);
    }
    const answer = await fetchProgress(ctx.collector.gatewayUrl(), `Bearer ${ctx.viewer.token}`, {
      // GraphQL's nulls are the request's absent values.
      period: {
        from: period.from ?? undefined,
        to: period.to ?? undefined,
        academicYear: period.academicYear ?? undefined,
        termNumber: period.termNumber ?? undefined,
      },
      groupBy,
      label: '',
      withNames: false,
    });
    return Object.assign(new DistrictProgressType(), {
      rows: districtTotals(answer).map(DistrictProgressRowType.from),
      schools: answer.schools.filter((s) => s.progress).map((s) => s.id),
      unavailable: answer.unavailable.map((u) => Object.assign(new UnavailableSchoolType(), u)),
    });
  }
}
