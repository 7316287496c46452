import { Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { requireAction } from '@district/kit';
import { ClassGroup, Enrollment } from '../class-groups/class-group.entity';
import type { PeopleContext } from '../context';
import { Staff } from '../staff/staff.entity';
import { School } from './school.type';

/** Aggregates are open to district roles; no names leave through these fields. */
function requireFigures(ctx: PeopleContext): void {
  requireAction(ctx.viewer, 'schoolCounts:read', ctx.schoolId);
}

@Resolver(() => School)
export class SchoolPeopleResolver {
  @FieldResolver(() => Int, { nullable: true, description: 'Students enrolled now (from the school’s own instance)' })
  async studentCount(@Root() school: School, @Ctx() ctx: PeopleContext): Promise<number | null> {
    if (school.id !== ctx.schoolId) return null;
    requireFigures(ctx);
    return ctx.em.count(Enrollment, { endDate: null });
  }

  @FieldResolver(() => Int, { nullable: true })
  async classGroupCount(@Root() school: School, @Ctx() ctx: PeopleContext): Promise<number | null> {
    if (school.id !== ctx.schoolId) return null;
    requireFigures(ctx);
    return ctx.em.count(ClassGroup, {});
  }

  @FieldResolver(() => Int, { nullable: true })
  async staffCount(@Root() school: School, @Ctx() ctx: PeopleContext): Promise<number | null> {
    if (school.id !== ctx.schoolId) return null;
    requireFigures(ctx);
    return ctx.em.count(Staff, { active: true });
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Parents and legal representatives of the students enrolled now' })
  async guardianCount(@Root() school: School, @Ctx() ctx: PeopleContext): Promise<number | null> {
    if (school.id !== ctx.schoolId) return null;
    requireFigures(ctx);
    const [row] = await ctx.em.execute<{ n: string }[]>(
      `select count(distinct gs.guardian_id) as n
       from people.guardianship gs join people.enrollment e on e.student_id = gs.student_id
       where e.end_date is null`,
    );
    return Number(row?.n ?? 0);
  }
}
