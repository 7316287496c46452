import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { requireAction, Validator } from '@district/kit';
import type { JournalContext } from '../context';
import { DiaryService } from '../diary/diary.service';
import { SchoolRef } from '../monitoring/monthly-figures.type';
import { StudentProgressService } from '../progress/student-progress.service';
import { PortalAnswers } from './portal.service';
import { PortalMatchInput, PortalSchoolAnswer } from './portal.type';

/** The school's side of the state portal's questions (portal.service.ts); each field is null for another school. */
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
    return school.id === ctx.schoolId ? new PortalAnswers(ctx).answer(match) : null;
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
    return new PortalAnswers(ctx).answer(match, async (studentId) => ({ diary: await new DiaryService(ctx).readWeek(studentId, date!) }));
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
    return new PortalAnswers(ctx).answer(match, async (studentId) => ({ progress: await new StudentProgressService(ctx).read(studentId, from, to) }));
  }
}
