import { buildFederatedSchema, operationGuard } from '@district/kit';
import type { GraphQLSchema } from 'graphql';
import { OPERATIONS } from './access';
import { SchoolResolver } from './registry/school.resolver';
import { MonitoringResolver } from './collection/monitoring.resolver';
import { DistrictProgressResolver } from './analytics/district-progress.resolver';
import { references } from './references';

export function buildMonitoringSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: [SchoolResolver, MonitoringResolver, DistrictProgressResolver],
    references,
    globalMiddlewares: [operationGuard(OPERATIONS)],
  });
}
