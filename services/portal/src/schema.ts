import { buildFederatedSchema, operationGuard } from '@district/kit';
import type { GraphQLSchema } from 'graphql';
import { OPERATIONS } from './access';
import { PortalResolver } from './portal.resolver';

export function buildPortalSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: [PortalResolver],
    references: {},
    globalMiddlewares: [operationGuard(OPERATIONS)],
  });
}
