import { Arg, Ctx, Field, ID, InputType, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Role } from '@district/kit';
import type { IdentityContext } from '../context';
import { AccountPageType, AccountSessionType, AccountStatus, AccountType, CreatedAccountType, PasswordResetType, PlatformRole } from './account.type';

@InputType('AccountFilter')
export class AccountFilterInput {
  @Field(() => ID, { nullable: true, description: 'Accounts bound to this school' }) schoolId?: string | null;
  @Field(() => PlatformRole, { nullable: true }) role?: Role | null;
  @Field(() => AccountStatus, { nullable: true }) status?: AccountStatus | null;
  @Field(() => String, { nullable: true, description: 'Part of the username, surname or name' }) text?: string | null;
}

const KEY = { description: 'Idempotency key: a retry with the same key does the change once (and resumes one Keycloak left unfinished)' };

@Resolver()
export class AccountResolver {
  @Query(() => AccountPageType, { description: 'Accounts the caller administers (district IT: all; a director: their school’s), by surname' })
  async accounts(
    @Arg('filter', () => AccountFilterInput, { nullable: true }) filter: AccountFilterInput | null,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('offset', () => Int, { defaultValue: 0 }) offset: number,
    @Ctx() ctx: IdentityContext,
  ): Promise<AccountPageType> {
    return Object.assign(new AccountPageType(), await ctx.accounts.search(filter ?? {}, first, offset));
  }

  @Query(() => AccountType, { nullable: true, description: 'One account, read from Keycloak now' })
  account(@Arg('id', () => ID) id: string, @Ctx() ctx: IdentityContext): Promise<AccountType | null> {
    return ctx.accounts.get(id);
  }

  @Query(() => [AccountSessionType], { description: 'The account’s open sessions' })
  accountSessions(@Arg('accountId', () => ID) accountId: string, @Ctx() ctx: IdentityContext): Promise<AccountSessionType[]> {
    return ctx.accounts.sessions(accountId);
  }

  @Mutation(() => CreatedAccountType, {
    description:
      'An account for a person of a school (their Staff, Student or Guardian id) with a temporary password; a person who has one gets it bound to the school',
  })
  createAccount(
    @Arg('person', () => ID) person: string,
    @Arg('roles', () => [PlatformRole]) roles: Role[],
    @Arg('idempotencyKey', () => String, KEY) key: string,
    @Ctx() ctx: IdentityContext,
  ): Promise<CreatedAccountType> {
    return ctx.accounts.create(person, roles, key);
  }

  @Mutation(() => AccountType)
  grantRole(
    @Arg('accountId', () => ID) accountId: string,
    @Arg('role', () => PlatformRole) role: Role,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
    @Arg('idempotencyKey', () => String, KEY) key: string,
    @Ctx() ctx: IdentityContext,
  ): Promise<AccountType> {
    return ctx.accounts.grantRole(accountId, role, reason ?? null, key);
  }

  @Mutation(() => AccountType)
  revokeRole(
    @Arg('accountId', () => ID) accountId: string,
    @Arg('role', () => PlatformRole) role: Role,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
    @Arg('idempotencyKey', () => String, KEY) key: string,
    @Ctx() ctx: IdentityContext,
  ): Promise<AccountType> {
    return ctx.accounts.revokeRole(accountId, role, reason ?? null, key);
  }

  @Mutation(() => AccountType, { description: 'Adds the school to the account’s schools (`school_ids`)' })
  bindAccountToSchool(
    @Arg('accountId', () => ID) accountId: string,
    @Arg('schoolId', () => ID) schoolId: string,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
    @Arg('idempotencyKey', () => String, KEY) key: string,
    @Ctx() ctx: IdentityContext,
  ): Promise<AccountType> {
    return ctx.accounts.bindSchool(accountId, schoolId, reason ?? null, key);
  }

  @Mutation(() => AccountType, { description: 'Removes the school from the account’s schools; its other schools stay' })
  unbindAccountFromSchool(
    @Arg('accountId', () => ID) accountId: string,
    @Arg('schoolId', () => ID) schoolId: string,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
    @Arg('idempotencyKey', () => String, KEY) key: string,
    @Ctx() ctx: IdentityContext,
  ): Promise<AccountType> {
    return ctx.accounts.unbindSchool(accountId, schoolId, reason ?? null, key);
  }

  @Mutation(() => AccountType, { description: 'Blocks (ending its sessions) or unblocks the account' })
  setAccountEnabled(
    @Arg('accountId', () => ID) accountId: string,
    @Arg('enabled', () => Boolean) enabled: boolean,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
    @Arg('idempotencyKey', () => String, KEY) key: string,
    @Ctx() ctx: IdentityContext,
  ): Promise<AccountType> {
    return ctx.accounts.setEnabled(accountId, enabled, reason ?? null, key);
  }

  @Mutation(() => PasswordResetType, { description: 'A new temporary password; the person sets their own at the next login' })
  resetAccountPassword(
    @Arg('accountId', () => ID) accountId: string,
    @Arg('idempotencyKey', () => String, KEY) key: string,
    @Ctx() ctx: IdentityContext,
  ): Promise<PasswordResetType> {
    return ctx.accounts.resetPassword(accountId, key);
  }

  @Mutation(() => AccountType, { description: 'Ends every session of the account (logs it out everywhere)' })
  endAccountSessions(
    @Arg('accountId', () => ID) accountId: string,
    @Arg('idempotencyKey', () => String, KEY) key: string,
    @Ctx() ctx: IdentityContext,
  ): Promise<AccountType> {
    return ctx.accounts.endSessions(accountId, key);
  }
}
