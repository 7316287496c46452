import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { MonitoringContext } from '../context';
import { MonitoringService } from './monitoring.service';
import { DiaryOpenInput, MonitoringCollectionRunType, MonthlyReportType, SchoolMonitoringType } from './monitoring.type';

@Resolver()
export class MonitoringResolver {
  @Query(() => [SchoolMonitoringType], {
    description:
      'The stored monitoring figures of a month (YYYY-MM) for every school the viewer may see, or the named ones: one query, served from the district database',
  })
  async monitoring(
    @Arg('month', () => String) month: string,
    @Arg('schoolIds', () => [ID], { nullable: true }) schoolIds: string[] | null,
    @Ctx() ctx: MonitoringContext,
  ): Promise<SchoolMonitoringType[]> {
    return (await new MonitoringService(ctx).lines(month, schoolIds)).map(SchoolMonitoringType.from);
  }

  @Query(() => MonthlyReportType, {
    nullable: true,
    description: 'The closed report of a month: the latest version, or the one asked for; null while the month is not closed',
  })
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

  @Query(() => MonitoringCollectionRunType, {
    description: 'A collection run: its state, progress and, once finished, each school’s outcome (district-admin, district-analyst)',
  })
  async monitoringCollectionRun(@Arg('id', () => ID) id: string, @Ctx() ctx: MonitoringContext): Promise<MonitoringCollectionRunType> {
    return MonitoringCollectionRunType.from(await new MonitoringService(ctx).run(id));
  }

  @Query(() => [MonitoringCollectionRunType], { description: 'The latest collection runs of a month, newest first (district-admin, district-analyst)' })
  async monitoringCollectionRuns(
    @Arg('month', () => String) month: string,
    @Arg('limit', () => Int, { defaultValue: 10, description: '1–100' }) limit: number,
    @Ctx() ctx: MonitoringContext,
  ): Promise<MonitoringCollectionRunType[]> {
    return (await new MonitoringService(ctx).runs(month, limit)).map(MonitoringCollectionRunType.from);
  }

  @Mutation(() => MonitoringCollectionRunType, {
    description:
      'Starts collecting a month’s figures from every school (district-admin) and answers at once with the run (RUNNING), or with the month’s run already under way. Follow it with monitoringCollectionRun(id). Schools that do not answer are marked stale; a month that is over is closed into a report (a new version only if something changed)',
  })
  async collectMonitoring(@Arg('month', () => String) month: string, @Ctx() ctx: MonitoringContext): Promise<MonitoringCollectionRunType> {
    return MonitoringCollectionRunType.from(await new MonitoringService(ctx).collect(month));
  }

  @Mutation(() => Int, { description: 'Diary views seen by the gateway (its service account only); returns how many were new for their month' })
  async recordDiaryOpens(@Arg('opens', () => [DiaryOpenInput]) opens: DiaryOpenInput[], @Ctx() ctx: MonitoringContext): Promise<number> {
    return new MonitoringService(ctx).recordDiaryOpens(opens);
  }
}
