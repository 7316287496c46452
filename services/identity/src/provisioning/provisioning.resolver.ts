import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { IdentityContext } from '../context';
import { AccountDriftType, AccountRunType } from './provisioning.type';

@Resolver()
export class ProvisioningResolver {
  @Query(() => [AccountDriftType], { description: 'Differences between the school’s people and their accounts in Keycloak, read now' })
  async accountDrift(@Arg('schoolId', () => ID) schoolId: string, @Ctx() ctx: IdentityContext): Promise<AccountDriftType[]> {
    return (await ctx.provisioning.drift(schoolId)).map(AccountDriftType.from);
  }

  @Mutation(() => AccountRunType, {
    description:
      'Creates the missing accounts of the school’s current people (and binds and grants what is missing), in the background; a second run creates nothing',
  })
  async provisionSchoolAccounts(
    @Arg('schoolId', () => ID) schoolId: string,
    @Arg('idempotencyKey', () => String, { description: 'A retry with the same key answers the same run' }) key: string,
    @Ctx() ctx: IdentityContext,
  ): Promise<AccountRunType> {
    return AccountRunType.from(await ctx.provisioning.start(schoolId, 'PROVISION', key));
  }

  @Mutation(() => AccountRunType, {
    description:
      'Closes every difference accountDrift lists: provisions, takes back roles and schools the school no longer gives, blocks accounts left with none',
  })
  async fixAccountDrift(
    @Arg('schoolId', () => ID) schoolId: string,
    @Arg('idempotencyKey', () => String, { description: 'A retry with the same key answers the same run' }) key: string,
    @Ctx() ctx: IdentityContext,
  ): Promise<AccountRunType> {
    return AccountRunType.from(await ctx.provisioning.start(schoolId, 'FIX', key));
  }

  @Query(() => AccountRunType, { nullable: true })
  async accountRun(@Arg('id', () => ID) id: string, @Ctx() ctx: IdentityContext): Promise<AccountRunType | null> {
    const run = /^\d{1,9}$/.test(id) ? await ctx.provisioning.run(Number(id)) : null;
    return run && AccountRunType.from(run);
  }

  @Query(() => [AccountRunType], { description: 'The school’s latest provisioning runs, newest first' })
  async accountRuns(@Arg('schoolId', () => ID) schoolId: string, @Ctx() ctx: IdentityContext): Promise<AccountRunType[]> {
    return (await ctx.provisioning.runs(schoolId)).map(AccountRunType.from);
  }
}
