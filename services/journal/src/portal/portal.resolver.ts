import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { requireAction, toGlobalId, Validator } from '@district/kit';
import type { JournalContext } from '../context';
import { DiaryService } from '../diary/diary.service';
import { StudentProgressService } from '../progress/student-progress.service';
import { SchoolRef } from '../monitoring/monthly-figures.type';
import { matchPortalChild, type PortalMatch } from './portal-match';
import { PortalMatchInput, PortalMatchOutcome, PortalSchoolAnswer } from './portal.type';

/**
 * The school's side of the state portal's questions (docs/portal.md): the
 * district's portal service asks every school through the gateway; each
 * school matches the applicant and the child in its own data and answers the
 * data only to the child's guardian. Who asked is logged by the district.
 */
/** A refusal names no one; the student's id goes (to the district's service only) so that its access log can name whom it refused. */
function refusal(schoolId: string, found: PortalMatch): PortalSchoolAnswer {
  return { outcome: found.outcome, studentId: found.studentId === undefined ? null : toGlobalId('Student', schoolId, found.studentId) };
}

@Resolver(() => SchoolRef)
export class SchoolPortalResolver {
  @FieldResolver(() => PortalSchoolAnswer, {
    nullable: true,
    description:
      'Whether the portal’s child is this school’s and the applicant their guardian (the district’s portal service only; it then asks the one school that found the child for the data); null for another school',
  })
  async portalMatch(
    @Root() school: SchoolRef,
    @Arg('match', () => PortalMatchInput) match: PortalMatchInput,
    @Ctx() ctx: JournalContext,
  ): Promise<PortalSchoolAnswer | null> {
    if (school.id !== ctx.schoolId) return null;
    requireAction(ctx.viewer, 'portal:match', ctx.schoolId);
    const found = await matchPortalChild(ctx.em, match);
    if (found.outcome !== PortalMatchOutcome.FOUND) return refusal(ctx.schoolId, found);
    return {
      outcome: found.outcome,
      studentId: toGlobalId('Student', ctx.schoolId, found.studentId!),
      fullName: found.fullName,
      classGroup: found.classGroup ?? null,
    };
  }

  @FieldResolver(() => PortalSchoolAnswer, {
    nullable: true,
    description:
      'The child’s diary week for a portal applicant, when the applicant is the child’s guardian (the district’s portal service only); null for another school',
  })
  async portalDiary(
    @Root() school: SchoolRef,
    @Arg('match', () => PortalMatchInput) match: PortalMatchInput,
    @Arg('weekStart', () => String) weekStart: string,
    @Ctx() ctx: JournalContext,
  ): Promise<PortalSchoolAnswer | null> {
    if (school.id !== ctx.schoolId) return null;
    requireAction(ctx.viewer, 'portal:match', ctx.schoolId);
    const v = new Validator();
    const date = v.date('weekStart', weekStart, { label: 'Начало недели', min: '2000-01-01', max: '2100-01-01' });
    v.done();
    const found = await matchPortalChild(ctx.em, match);
    if (found.outcome !== PortalMatchOutcome.FOUND) return refusal(ctx.schoolId, found);
    return {
      outcome: found.outcome,
      studentId: toGlobalId('Student', ctx.schoolId, found.studentId!),
      fullName: found.fullName,
      classGroup: found.classGroup ?? null,
      diary: await new DiaryService(ctx).readWeek(found.studentId!, date!),
    };
  }

  @FieldResolver(() => PortalSchoolAnswer, {
    nullable: true,
    description:
      'The child’s progress for a period (as studentProgress) for a portal applicant, when the applicant is the child’s guardian (the district’s portal service only); null for another school',
  })
  async portalProgress(
    @Root() school: SchoolRef,
    @Arg('match', () => PortalMatchInput) match: PortalMatchInput,
    @Arg('from', () => String) from: string,
    @Arg('to', () => String) to: string,
    @Ctx() ctx: JournalContext,
  ): Promise<PortalSchoolAnswer | null> {
    if (school.id !== ctx.schoolId) return null;
    requireAction(ctx.viewer, 'portal:match', ctx.schoolId);
    const found = await matchPortalChild(ctx.em, match);
    if (found.outcome !== PortalMatchOutcome.FOUND) return refusal(ctx.schoolId, found);
    return {
      outcome: found.outcome,
      studentId: toGlobalId('Student', ctx.schoolId, found.studentId!),
      fullName: found.fullName,
      classGroup: found.classGroup ?? null,
      progress: await new StudentProgressService(ctx).read(found.studentId!, from, to),
    };
  }
}
