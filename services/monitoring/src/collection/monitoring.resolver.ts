import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { MonitoringContext } from '../context';
import { MonitoringService } from './monitoring.service';
import { CollectionRunType, DiaryOpenInput, MonthlyReportType, SchoolMonitoringType } from './monitoring.type';

@Resolver()
export class MonitoringResolver {
  @Query(() => [SchoolMonitoringType], {
    description: 'The stored monitoring figures of a month (YYYY-MM) for every school the viewer may see, or the named ones: one query, served from the district database',
  })
  async monitoring(
    @Arg('month', () => String) month: string,
    @Arg('schoolIds', () => [ID], { nullable: true }) schoolIds: string[] | null,
    @Ctx() ctx: MonitoringContext,
  ): Promise<SchoolMonitoringType[]> {
    return (await new MonitoringService(ctx).lines(month, schoolIds)).map(SchoolMonitoringType.from);
  }

  @Query(() => MonthlyReportType, { nullable: true, description: 'The closed report of a month: the latest version, or the one asked for; null while the month is not closed' })
  async monthlyReport(
    @Arg('month', () => String) month: string,
    @Arg('version', () => Int, { nullable: true }) version: number | null,
    @Ctx() ctx: MonitoringContext,
  ): Promise<MonthlyReportType | null> {
    const found = await new MonitoringService(ctx).report(month, version);
    return found && MonthlyReportType.from(found.report, found.visible);
  }

  @Query(() => [MonthlyReportType], { description: 'Every version of a month’s report, oldest first' })
  async monthlyReportVersions(@Arg('month', () => String) month: string, @Ctx() ctx: MonitoringContext): Promise<MonthlyReportType[]> {
    const { reports, visible } = await new MonitoringService(ctx).versions(month);
    return reports.map((r) => MonthlyReportType.from(r, visible));
  }

  @Query(() => [CollectionRunType], { description: 'The latest collection runs of a month, newest first' })
  async collectionRuns(
    @Arg('month', () => String) month: string,
    @Arg('last', () => Int, { defaultValue: 10 }) last: number,
    @Ctx() ctx: MonitoringContext,
  ): Promise<CollectionRunType[]> {
    return (await new MonitoringService(ctx).runs(month, last)).map(CollectionRunType.from);
  }

  @Mutation(() => CollectionRunType, {
    description: 'Collects a month’s figures from every school now (district-admin). Schools that do not answer are marked stale; a month that is over is closed into a report (a new version only if something changed)',
  })
  async collectMonitoring(@Arg('month', () => String) month: string, @Ctx() ctx: MonitoringContext): Promise<CollectionRunType> {
    return CollectionRunType.from(await new MonitoringService(ctx).collect(month));
  }

  @Mutation(() => Int, { description: 'Diary views seen by the gateway (its service account only); returns how many were new for their month' })
  async recordDiaryOpens(@Arg('opens', () => [DiaryOpenInput]) opens: DiaryOpenInput[], @Ctx() ctx: MonitoringContext): Promise<number> {
    return new MonitoringService(ctx).recordDiaryOpens(opens);
  }
}
