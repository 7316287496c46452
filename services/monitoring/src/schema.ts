import { buildFederatedSchema } from '@district/kit';
import type { GraphQLSchema } from 'graphql';
import { SchoolRecord } from './registry/school.entity';
import { SchoolResolver } from './registry/school.resolver';
import { MonitoringResolver } from './collection/monitoring.resolver';
import { DistrictProgressResolver } from './analytics/district-progress.resolver';
import { SchoolType } from './registry/school.type';
import type { MonitoringContext } from './context';

export function buildMonitoringSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: [SchoolResolver, MonitoringResolver, DistrictProgressResolver],
    references: {
      School: async (ref: { id: string }, ctx: MonitoringContext) => {
        if (!ctx.viewer.canReachSchool(ref.id)) return null;
        const record = await ctx.em.findOne(SchoolRecord, { id: ref.id });
        return record && SchoolType.from(record);
      },
    },
  });
}
