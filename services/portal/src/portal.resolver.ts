import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { PortalContext } from './context';
import { PortalApplicantInput, PortalChildInput } from './portal.inputs';
import { PortalAccess, PortalDiary, PortalProgress } from './portal.type';

@Resolver()
export class PortalResolver {
  @Query(() => PortalProgress, {
    description:
      'The state portal’s question: a child’s current progress for a period (marks by subject, averages, attendance, term grades), answered only to a guardian of the child; refusals CHILD_NOT_FOUND, AMBIGUOUS_CHILD, NOT_A_GUARDIAN (docs/portal.md)',
  })
  portalProgress(
    @Arg('applicant', () => PortalApplicantInput) applicant: PortalApplicantInput,
    @Arg('child', () => PortalChildInput) child: PortalChildInput,
    @Arg('from', () => String, { description: 'YYYY-MM-DD' }) from: string,
    @Arg('to', () => String, { description: 'YYYY-MM-DD, at most 366 days after from' }) to: string,
    @Ctx() ctx: PortalContext,
  ): Promise<PortalProgress> {
    return ctx.portal.progress(applicant, child, from, to);
  }

  @Query(() => PortalDiary, {
    description: 'The state portal’s question: a child’s diary for the week holding weekStart, answered only to a guardian of the child',
  })
  portalDiary(
    @Arg('applicant', () => PortalApplicantInput) applicant: PortalApplicantInput,
    @Arg('child', () => PortalChildInput) child: PortalChildInput,
    @Arg('weekStart', () => String) weekStart: string,
    @Ctx() ctx: PortalContext,
  ): Promise<PortalDiary> {
    return ctx.portal.diary(applicant, child, weekStart);
  }

  @Query(() => [PortalAccess], {
    description: 'Who asked the state portal about a child, newest first (district admins): by the Student id, or one request by its reference',
  })
  portalAccessLog(
    @Arg('studentId', () => ID, { nullable: true }) studentId: string | null,
    @Arg('requestId', () => String, { nullable: true }) requestId: string | null,
    @Ctx() ctx: PortalContext,
  ): Promise<PortalAccess[]> {
    return ctx.portal.accessLog(studentId, requestId);
  }
}
