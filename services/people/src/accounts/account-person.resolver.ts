import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { PeopleContext } from '../context';
import { AccountPersonService, MAX_ACCOUNT_PERSON_IDS } from './account-person.service';
import { AccountPersonType } from './account-person.type';

@Resolver(() => AccountPersonType)
export class AccountPersonResolver {
  @Query(() => [AccountPersonType], {
    description:
      'The school’s people for account administration (the school’s director, district IT). Without ids: every current person (active staff, students enrolled now, guardians of a student enrolled now) by kind, then surname and name. With ids (Staff, Student or Guardian ids of this school): those persons whatever their state, in the order asked; other ids are skipped',
  })
  async accountPersons(
    @Arg('schoolId', () => ID) _schoolId: string,
    @Arg('ids', () => [ID], { nullable: true, description: `At most ${MAX_ACCOUNT_PERSON_IDS}` }) ids: string[] | null,
    @Ctx() ctx: PeopleContext,
  ): Promise<AccountPersonType[]> {
    return (await new AccountPersonService(ctx).list(ids)).map((row) => AccountPersonType.from(row, ctx.schoolId));
  }

  @Mutation(() => [AccountPersonType], {
    description: `Gives each listed person without a district person id a fresh one, in one transaction, and returns the listed persons with theirs; persons who have one keep it. At most ${MAX_ACCOUNT_PERSON_IDS} ids; an id that is not a Staff, Student or Guardian of this school is BAD_USER_INPUT and nothing changes`,
  })
  async assignPersonIds(
    @Arg('schoolId', () => ID) _schoolId: string,
    @Arg('ids', () => [ID]) ids: string[],
    @Ctx() ctx: PeopleContext,
  ): Promise<AccountPersonType[]> {
    return (await new AccountPersonService(ctx).assignPersonIds(ids)).map((row) => AccountPersonType.from(row, ctx.schoolId));
  }
}
