import { Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { requireAction, tryParseGlobalId } from '@district/kit';
import { AccountType } from '../accounts/account.type';
import type { IdentityContext } from '../context';
import { GuardianRef, StaffRef, StudentRef, type PersonRef } from './person-refs';

/**
 * A person's account: for whoever administers the accounts of the person's
 * school (its director, district IT); anyone else gets null with FORBIDDEN.
 * A list of persons costs one query (the loader), whatever its length.
 */
async function accountOf(person: PersonRef, ctx: IdentityContext): Promise<AccountType | null> {
  requireAction(ctx.viewer, 'accounts:read', tryParseGlobalId(person.id)?.schoolId ?? '');
  if (!person.personId) return null;
  const [account] = await ctx.loaders.accountsByPerson.load(person.personId);
  return account ? AccountType.from(account) : null;
}

const ACCOUNT = { nullable: true, description: 'The person’s single sign-on account (status, roles, last login); null when they have none' };

@Resolver(() => StaffRef)
export class StaffAccountResolver {
  @Directive('@requires(fields: "personId")')
  @FieldResolver(() => AccountType, ACCOUNT)
  account(@Root() staff: StaffRef, @Ctx() ctx: IdentityContext): Promise<AccountType | null> {
    return accountOf(staff, ctx);
  }
}

@Resolver(() => StudentRef)
export class StudentAccountResolver {
  @Directive('@requires(fields: "personId")')
  @FieldResolver(() => AccountType, ACCOUNT)
  account(@Root() student: StudentRef, @Ctx() ctx: IdentityContext): Promise<AccountType | null> {
    return accountOf(student, ctx);
  }
}

@Resolver(() => GuardianRef)
export class GuardianAccountResolver {
  @Directive('@requires(fields: "personId")')
  @FieldResolver(() => AccountType, ACCOUNT)
  account(@Root() guardian: GuardianRef, @Ctx() ctx: IdentityContext): Promise<AccountType | null> {
    return accountOf(guardian, ctx);
  }
}
