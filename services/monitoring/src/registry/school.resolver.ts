import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { MonitoringContext } from '../context';
import { SchoolInput } from './school.inputs';
import { SchoolRegistryService } from './school.service';
import { SchoolInstancesType, SchoolType } from './school.type';

@Resolver(() => SchoolType)
export class SchoolResolver {
  @Query(() => [SchoolType], { description: 'Schools of the district the viewer may reach, by code' })
  async schools(@Ctx() ctx: MonitoringContext): Promise<SchoolType[]> {
    return (await new SchoolRegistryService(ctx).list()).map(SchoolType.from);
  }

  @Query(() => SchoolType, { nullable: true })
  async school(@Arg('id', () => ID) id: string, @Ctx() ctx: MonitoringContext): Promise<SchoolType | null> {
    const record = await new SchoolRegistryService(ctx).get(id);
    return record && SchoolType.from(record);
  }

  @Mutation(() => SchoolType, { description: 'Registers a school with the district: the gateway routes to it from then on, without a restart' })
  async registerSchool(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => SchoolInput) input: SchoolInput,
    @Ctx() ctx: MonitoringContext,
  ): Promise<SchoolType> {
    return SchoolType.from(await new SchoolRegistryService(ctx).register(id, input));
  }

  @Mutation(() => SchoolType)
  async updateSchool(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('input', () => SchoolInput) input: SchoolInput,
    @Ctx() ctx: MonitoringContext,
  ): Promise<SchoolType> {
    return SchoolType.from(await new SchoolRegistryService(ctx).update(id, version, input));
  }

  @FieldResolver(() => SchoolInstancesType, { nullable: true })
  instances(@Root() school: SchoolType, @Ctx() ctx: MonitoringContext): SchoolInstancesType {
    new SchoolRegistryService(ctx).requireInstanceReader();
    const r = school.record;
    return Object.assign(new SchoolInstancesType(), { people: r.peopleUrl ?? null, schedule: r.scheduleUrl ?? null, journal: r.journalUrl ?? null });
  }
}
