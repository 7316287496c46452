import { Arg, Ctx, Field, ID, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { DomainError, managesEveryAccount, type AuditRow } from '@district/kit';
import { AccountStore } from '../accounts/account-store';
import { AccountRules, notYours } from '../accounts/account-rules';
import { identityAudit } from '../changes/change-runner';
import type { IdentityContext } from '../context';

@ObjectType('IdentityAuditEntry', { description: 'One change of an account, as the identity audit recorded it (append-only, hash-chained)' })
export class IdentityAuditEntryType {
  @Field(() => ID) id!: string;
  @Field(() => String) at!: string;
  @Field(() => String, { description: 'Who made the change (username)' }) actor!: string;
  @Field(() => ID, { description: 'The account changed' }) accountId!: string;
  @Field(() => String, {
    description: 'CREATE, BIND_PERSON, GRANT_ROLE, REVOKE_ROLE, BIND_SCHOOL, UNBIND_SCHOOL, ENABLE, DISABLE, RESET_PASSWORD, END_SESSIONS',
  })
  action!: string;
  @Field(() => String, { nullable: true, description: 'JSON: roles, schools, status before' }) old?: string | null;
  @Field(() => String, { nullable: true, description: 'JSON: after' }) new?: string | null;
  @Field(() => String, { nullable: true }) reason?: string | null;
  @Field(() => String) requestId!: string;
  @Field(() => String) client!: string;
}

@ObjectType('IdentityAuditVerification', { description: 'Result of re-checking the hash chain of the identity audit' })
export class IdentityAuditVerificationType {
  @Field(() => Boolean) ok!: boolean;
  @Field(() => Int) rowsChecked!: number;
  @Field(() => ID, { nullable: true, description: 'The first row that does not match' }) firstBrokenId?: string | null;
  @Field(() => String, { nullable: true }) problem?: string | null;
}

function entryOf(r: AuditRow): IdentityAuditEntryType {
  return Object.assign(new IdentityAuditEntryType(), {
    id: String(r.id),
    at: new Date(r.at).toISOString(),
    actor: r.actor_name,
    accountId: r.entity_id,
    action: r.action,
    old: r.old === null ? null : JSON.stringify(r.old),
    new: r.new === null ? null : JSON.stringify(r.new),
    reason: r.reason,
    requestId: r.request_id,
    client: r.client,
  });
}

@Resolver()
export class IdentityAuditResolver {
  @Query(() => [IdentityAuditEntryType], { description: 'The changes of an account, oldest first (a director: accounts of their school)' })
  async identityAudit(@Arg('accountId', () => ID) accountId: string, @Ctx() ctx: IdentityContext): Promise<IdentityAuditEntryType[]> {
    const rules = new AccountRules(ctx.viewer);
    const [account] = await new AccountStore(ctx.em).byIds([accountId]);
    if (!rules.everyAccount && !(account && rules.canSee(account))) throw notYours();
    return (await identityAudit.history(ctx.em, 'ACCOUNT', accountId)).map(entryOf);
  }

  @Query(() => IdentityAuditVerificationType, { description: 'Re-checks the whole identity audit chain (district IT) and names the first broken row' })
  async verifyIdentityAudit(@Ctx() ctx: IdentityContext): Promise<IdentityAuditVerificationType> {
    if (!managesEveryAccount(ctx.viewer)) throw DomainError.forbidden('Цепочку аудита учётных записей проверяет администратор единого входа района');
    return Object.assign(new IdentityAuditVerificationType(), await identityAudit.verify(ctx.em));
  }
}
