import { tryParseGlobalId, type ReferenceResolvers } from '@district/kit';
import { accessOf } from './access';
import { ClassGroupType } from './class-groups/class-group.type';
import { GuardianType } from './guardians/guardian.type';
import type { PeopleContext } from './context';
import { School } from './school/school.type';
import { StaffType } from './staff/staff.type';
import { StudentType } from './students/student.type';

/** The local row id of a reference of this school, or undefined. */
function localIdOf(ref: { id: string }, type: string, ctx: PeopleContext): number | undefined {
  const parsed = tryParseGlobalId(ref.id);
  return parsed && parsed.type === type && parsed.schoolId === ctx.schoolId ? Number(parsed.localId) : undefined;
}

/**
 * `_entities` resolution: the same questions to PeopleAccess as the root
 * fields ask (a row is readable here exactly when it is through them), asked
 * before anything is loaded, and batched through the loaders.
 */
export const references: ReferenceResolvers = {
  School: (ref: { id: string }, ctx: PeopleContext) => (ref.id === ctx.schoolId ? Object.assign(new School(), { id: ref.id }) : null),

  Student: async (ref: { id: string }, ctx: PeopleContext) => {
    const id = localIdOf(ref, 'Student', ctx);
    if (id === undefined || !(await accessOf(ctx).canSeeStudent(id))) return null;
    const row = await ctx.loaders.student.load(id);
    return row ? StudentType.from(row, ctx.schoolId) : null;
  },

  Staff: async (ref: { id: string }, ctx: PeopleContext) => {
    const id = localIdOf(ref, 'Staff', ctx);
    if (id === undefined || !accessOf(ctx).readsDirectory) return null;
    const row = await ctx.loaders.staff.load(id);
    return row ? StaffType.from(row, ctx.schoolId) : null;
  },

  Guardian: async (ref: { id: string }, ctx: PeopleContext) => {
    const id = localIdOf(ref, 'Guardian', ctx);
    if (id === undefined || !(await accessOf(ctx).canReadGuardian(id))) return null;
    const row = await ctx.loaders.guardian.load(id);
    return row ? GuardianType.from(row, ctx.schoolId) : null;
  },

  ClassGroup: async (ref: { id: string }, ctx: PeopleContext) => {
    const id = localIdOf(ref, 'ClassGroup', ctx);
    if (id === undefined || !accessOf(ctx).readsDirectory) return null;
    const row = await ctx.loaders.classGroup.load(id);
    return row ? ClassGroupType.from(row, ctx.schoolId) : null;
  },
};
