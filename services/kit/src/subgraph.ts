import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type GraphQLSchema } from 'graphql';
import { buildSchema, createResolversMap, type MiddlewareFn, type NonEmptyArray } from 'type-graphql';
import { DomainError, ErrorCode } from './errors';

const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible"])';

/**
 * `__resolveReference` per entity type name, e.g. `{ School: (ref, ctx) => ... }`.
 * Each service types its own reference and context; `never` accepts them all
 * (Apollo calls these, never this code).
 */
export type ReferenceResolvers = Record<string, (reference: never, context: never) => unknown>;

export interface SubgraphDefinition {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  resolvers: NonEmptyArray<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  orphanedTypes?: Function[];
  references?: ReferenceResolvers;
  globalMiddlewares?: MiddlewareFn<object>[];
}

/**
 * type-graphql has no federation support: build its schema unchecked, print it
 * with the directives (`@key` etc.) and feed that SDL to @apollo/subgraph,
 * which adds `_service` and `_entities`.
 */
export async function buildFederatedSchema(definition: SubgraphDefinition): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: definition.resolvers,
    orphanedTypes: definition.orphanedTypes,
    skipCheck: true,
    validate: false,
    emitSchemaFile: false,
    globalMiddlewares: definition.globalMiddlewares,
  });
  const sdl = `${FEDERATION_LINK}\n\n${printSchemaWithDirectives(schema)}`;
  const resolvers = createResolversMap(schema) as GraphQLResolverMap<unknown>;
  for (const [typeName, resolveReference] of Object.entries(definition.references ?? {})) {
    const existing = (resolvers[typeName] ?? {}) as Record<string, unknown>;
    // Apollo reads `__resolveReference` beside the field resolvers of the entity type.
    resolvers[typeName] = { ...existing, __resolveReference: resolveReference } as GraphQLResolverMap<unknown>[string];
  }
  return buildSubgraphSchema({ typeDefs: parse(sdl), resolvers });
}

/**
 * A school instance answers only for its own school: a root field whose
 * `schoolId` argument names another school is refused, whoever routed it here.
 */
export const schoolArgumentGuard: MiddlewareFn<{ schoolId?: string }> = ({ args, context, info }, next) => {
  const isRoot = info.parentType === info.schema.getQueryType() || info.parentType === info.schema.getMutationType();
  if (isRoot && context.schoolId && typeof args.schoolId === 'string' && args.schoolId !== context.schoolId) {
    throw new DomainError(ErrorCode.NotFound, `Эта служба обслуживает школу ${context.schoolId}, а не ${args.schoolId}`);
  }
  return next();
};
