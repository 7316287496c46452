import { Arg, Ctx, Field, ID, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { DomainError, requireAction, tryParseGlobalId } from '@district/kit';
import type { JournalContext } from '../context';
import { audit } from '../journal-writes';

@ObjectType('AuditVerification', { description: 'Result of re-checking the hash chain of the school’s journal audit' })
export class AuditVerificationType {
  @Field(() => Boolean) ok!: boolean;
  @Field(() => Int) rowsChecked!: number;
  @Field(() => ID, { nullable: true, description: 'The first row that does not match' }) firstBrokenId?: string | null;
  @Field(() => String, { nullable: true }) problem?: string | null;
}

@ObjectType('AuditEvent', { description: 'One change to a journal entry, as the audit recorded it' })
export class AuditEventType {
  @Field(() => ID) id!: string;
  @Field(() => String) at!: string;
  @Field(() => String) actor!: string;
  @Field(() => String) action!: string;
  @Field(() => String, { nullable: true, description: 'JSON' }) old?: string | null;
  @Field(() => String, { nullable: true, description: 'JSON' }) new?: string | null;
  @Field(() => String, { nullable: true }) reason?: string | null;
  @Field(() => String) requestId!: string;
  @Field(() => String) client!: string;
}

const ENTITY_OF: Record<string, string> = {
  Mark: 'MARK',
  Attendance: 'ATTENDANCE',
  CorrectionRequest: 'CORRECTION',
  Lesson: 'LESSON_RECORD',
  TermGrade: 'TERM_GRADE',
  YearGrade: 'YEAR_GRADE',
};

function requireController(ctx: JournalContext): void {
  requireAction(ctx.viewer, 'audit:verify', ctx.schoolId);
}

@Resolver()
export class AuditResolver {
  @Query(() => AuditVerificationType, { description: 'Re-checks the whole audit chain and names the first broken row' })
  async verifyAudit(@Arg('schoolId', () => ID) _schoolId: string, @Ctx() ctx: JournalContext): Promise<AuditVerificationType> {
    requireController(ctx);
    return Object.assign(new AuditVerificationType(), await audit.verify(ctx.em));
  }

  @Query(() => [AuditEventType], {
    description: 'The history of a mark, an attendance entry, a correction request, or a lesson’s topic/homework (by the lesson id)',
  })
  async entryHistory(@Arg('id', () => ID) id: string, @Ctx() ctx: JournalContext): Promise<AuditEventType[]> {
    // An entry's history holds marks and absences, old and new: the school's deputies and director only, not district roles (docs/security.md).
    requireAction(ctx.viewer, 'journal:control', ctx.schoolId, 'История записи журнала доступна заместителю директора и директору школы');
    const parsed = tryParseGlobalId(id);
    const entity = parsed && parsed.schoolId === ctx.schoolId ? ENTITY_OF[parsed.type] : undefined;
    if (!parsed || !entity) throw DomainError.invalid(`Нет истории для идентификатора ${id}`);
    const rows = await audit.history(ctx.em, entity, parsed.localId);
    return rows.map((r) =>
      Object.assign(new AuditEventType(), {
        id: String(r.id),
        at: new Date(r.at).toISOString(),
        actor: r.actor_name,
        action: r.action,
        old: r.old === null ? null : JSON.stringify(r.old),
        new: r.new === null ? null : JSON.stringify(r.new),
        reason: r.reason,
        requestId: r.request_id,
        client: r.client,
      }),
    );
  }
}
