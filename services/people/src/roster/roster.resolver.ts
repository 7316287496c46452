import { Arg, Ctx, Field, ID, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import type { PeopleContext } from '../loaders';
import { RosterService } from './roster.service';

@ObjectType('RosterImportResult')
export class RosterImportResultType {
  @Field(() => Int) studentsCreated!: number;
  @Field(() => Int) guardiansCreated!: number;
  @Field(() => Int) classGroupsCreated!: number;
}

@Resolver()
export class RosterResolver {
  @Mutation(() => RosterImportResultType, {
    description: 'Imports students, class groups and guardians from CSV (header row required). All rows or none: every bad row is reported with its line number.',
  })
  async importRoster(
    @Arg('schoolId', () => ID) _schoolId: string,
    @Arg('csv', () => String) csv: string,
    @Arg('academicYear', () => String, { nullable: true }) academicYear: string | null,
    @Arg('startDate', () => String, { nullable: true }) startDate: string | null,
    @Ctx() ctx: PeopleContext,
  ): Promise<RosterImportResultType> {
    return Object.assign(new RosterImportResultType(), await new RosterService(ctx).import(csv, academicYear, startDate));
  }
}
