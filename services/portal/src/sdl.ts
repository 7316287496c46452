import 'reflect-metadata';
import { writeSubgraphSdl } from '@district/kit';
import { join } from 'node:path';
import { buildPortalSchema } from './schema';

// `npm run sdl`: this subgraph's SDL into schema.graphql, the file the gateway composes the
// supergraph from. It runs compiled, from dist/src/, two folders below the package.
void writeSubgraphSdl(buildPortalSchema, join(__dirname, '..', '..', 'schema.graphql'));
