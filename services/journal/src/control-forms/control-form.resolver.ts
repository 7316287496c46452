import { Arg, Ctx, Field, Float, ID, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { JournalContext } from '../context';
import { ControlFormType } from '../marks/mark.type';
import { ControlForm } from './control-form.entity';
import { SchoolRulesService } from './control-form.service';

@ObjectType('JournalSettings', { description: 'The school’s rules for entries and corrections' })
export class JournalSettingsType {
  @Field(() => Int, { description: 'Days after a lesson during which its teacher may change entries directly' }) editWindowDays!: number;
  @Field(() => String) timezone!: string;
  @Field(() => Int) version!: number;
}

@Resolver()
export class SchoolRulesResolver {
  @Query(() => [ControlFormType], { description: 'The school’s forms of control and their weights' })
  async controlForms(@Arg('schoolId', () => ID) _schoolId: string, @Ctx() ctx: JournalContext): Promise<ControlFormType[]> {
    const forms = await ctx.em.find(ControlForm, { active: true }, { orderBy: { weight: 'asc', id: 'asc' } });
    return forms.map(ControlFormType.from);
  }

  @Query(() => JournalSettingsType)
  async journalSettings(@Arg('schoolId', () => ID) _schoolId: string, @Ctx() ctx: JournalContext): Promise<JournalSettingsType> {
    return Object.assign(new JournalSettingsType(), await new SchoolRulesService(ctx).settings());
  }

  @Mutation(() => ControlFormType, { description: 'Adds or changes a form of control (director); a new weight applies to marks given from then on' })
  async setControlForm(
    @Arg('schoolId', () => ID) _schoolId: string,
    @Arg('code', () => String) code: string,
    @Arg('name', () => String) name: string,
    @Arg('weight', () => Float) weight: number,
    @Arg('active', () => Boolean, { defaultValue: true }) active: boolean,
    @Ctx() ctx: JournalContext,
  ): Promise<ControlFormType> {
    return ControlFormType.from(await new SchoolRulesService(ctx).setControlForm(code, name, weight, active));
  }

  @Mutation(() => JournalSettingsType, { description: 'Sets the edit window (director)' })
  async setEditWindow(
    @Arg('schoolId', () => ID) _schoolId: string,
    @Arg('editWindowDays', () => Int) days: number,
    @Arg('version', () => Int) version: number,
    @Ctx() ctx: JournalContext,
  ): Promise<JournalSettingsType> {
    return Object.assign(new JournalSettingsType(), await new SchoolRulesService(ctx).setEditWindow(days, version));
  }
}
