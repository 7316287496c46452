import type { ReferenceResolvers } from '@district/kit';
import type { MonitoringContext } from './context';
import { SchoolRecord } from './registry/school.entity';
import { SchoolType } from './registry/school.type';

/** `_entities` resolution: a school of the registry, to a viewer who may reach it. */
export const references: ReferenceResolvers = {
  School: async (ref: { id: string }, ctx: MonitoringContext) => {
    if (!ctx.viewer.canReachSchool(ref.id)) return null;
    const record = await ctx.em.findOne(SchoolRecord, { id: ref.id });
    return record && SchoolType.from(record);
  },
};
