import { writeFileSync } from 'node:fs';
import { graphql, type GraphQLSchema } from 'graphql';

/**
 * A subgraph's federation SDL exactly as the running subgraph answers
 * `{ _service { sdl } }`: the text the gateway composes the supergraph from
 * (committed as services/<name>/schema.graphql, see gateway/supergraph.yaml).
 */
export async function subgraphSdl(schema: GraphQLSchema): Promise<string> {
  const result = await graphql({ schema, source: '{ _service { sdl } }' });
  const sdl = (result.data?._service as { sdl?: unknown } | undefined)?.sdl;
  if (result.errors?.length || typeof sdl !== 'string') {
    throw new Error(`The subgraph did not print its SDL: ${result.errors?.map((e) => e.message).join('; ') ?? 'no _service.sdl'}`);
  }
  return sdl;
}

/** A service's `npm run sdl`: builds its schema and writes the SDL to `file`; a failure sets exit code 1. */
export async function writeSubgraphSdl(build: () => Promise<GraphQLSchema>, file: string): Promise<void> {
  try {
    writeFileSync(file, await subgraphSdl(await build()));
    console.log(`SDL written to ${file}`);
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
  }
}
