import { requireAction, toGlobalId } from '@district/kit';
import type { JournalContext } from '../context';
import { matchPortalChild } from './portal-match';
import { PortalMatchOutcome, type PortalMatchInput, type PortalSchoolAnswer } from './portal.type';

/**
 * The school's side of the state portal's questions (docs/portal.md): the
 * district's portal service asks every school through the gateway; each
 * school matches the applicant and the child in its own data and reads the
 * child's data only for the child's guardian. Who asked is logged by the
 * district.
 */
export class PortalAnswers {
  constructor(private readonly ctx: JournalContext) {}

  /**
   * Authorizes (the portal service only), matches, and then reads with `read`
   * (nothing for the bare match). A refusal names no one; the student's id
   * goes (to the district's service only) so that its access log can name whom
   * it refused.
   */
  async answer(match: PortalMatchInput, read?: (studentId: number) => Promise<Partial<PortalSchoolAnswer>>): Promise<PortalSchoolAnswer> {
    const { ctx } = this;
    requireAction(ctx.viewer, 'portal:match', ctx.schoolId);
    const found = await matchPortalChild(ctx.em, match);
    const studentId = found.studentId === undefined ? null : toGlobalId('Student', ctx.schoolId, found.studentId);
    if (found.outcome !== PortalMatchOutcome.FOUND) return { outcome: found.outcome, studentId };
    return {
      outcome: found.outcome,
      studentId,
      fullName: found.fullName,
      classGroup: found.classGroup ?? null,
      ...(read ? await read(found.studentId!) : {}),
    };
  }
}
