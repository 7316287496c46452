import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { PeopleContext } from '../context';
import { RosterService, SYNC_MAX_ROWS } from './roster.service';
import { RosterImportResultType, RosterImportRunType } from './roster.type';

@Resolver()
export class RosterResolver {
  @Mutation(() => RosterImportResultType, {
    description: `Imports students, class groups and guardians from CSV (header row required), in the request: files up to ${SYNC_MAX_ROWS} rows; a bigger file is refused (BAD_USER_INPUT) — use startRosterImport. All rows or none: every bad row is reported with its line number.`,
  })
  async importRoster(
    @Arg('schoolId', () => ID) _schoolId: string,
    @Arg('csv', () => String) csv: string,
    @Arg('academicYear', () => String, { nullable: true }) academicYear: string | null,
    @Arg('startDate', () => String, { nullable: true }) startDate: string | null,
    @Ctx() ctx: PeopleContext,
  ): Promise<RosterImportResultType> {
    return RosterImportResultType.from(await new RosterService(ctx).import(csv, academicYear, startDate));
  }

  @Mutation(() => RosterImportRunType, {
    description:
      'Starts importing a roster file of any size (up to 5000 rows) and answers at once with the run; follow it with rosterImportRun. The file’s structure is checked at once; its rows in the run: all rows or none, every bad row reported with its line number.',
  })
  async startRosterImport(
    @Arg('schoolId', () => ID) _schoolId: string,
    @Arg('csv', () => String) csv: string,
    @Arg('academicYear', () => String, { nullable: true }) academicYear: string | null,
    @Arg('startDate', () => String, { nullable: true }) startDate: string | null,
    @Ctx() ctx: PeopleContext,
  ): Promise<RosterImportRunType> {
    return RosterImportRunType.from(await new RosterService(ctx).start(csv, academicYear, startDate), ctx.schoolId);
  }

  @Query(() => RosterImportRunType, { description: 'A roster import run of the school (the school’s admin, a district admin)' })
  async rosterImportRun(
    @Arg('schoolId', () => ID) _schoolId: string,
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: PeopleContext,
  ): Promise<RosterImportRunType> {
    return RosterImportRunType.from(await new RosterService(ctx).run(id), ctx.schoolId);
  }

  @Query(() => [RosterImportRunType], { description: 'The school’s latest roster import runs, newest first' })
  async rosterImportRuns(
    @Arg('schoolId', () => ID) _schoolId: string,
    @Arg('limit', () => Int, { defaultValue: 10, description: '1–100' }) limit: number,
    @Ctx() ctx: PeopleContext,
  ): Promise<RosterImportRunType[]> {
    return (await new RosterService(ctx).runs(limit)).map((r) => RosterImportRunType.from(r, ctx.schoolId));
  }
}
