import { printSubgraphSchema } from '@apollo/subgraph';
import { composeSupergraph, readSubgraphList, readSubgraphSdl } from '@district/gateway';
import { buildIdentitySchema } from '@district/identity';
import { buildPortalSchema } from '@district/portal';
import { buildJournalSchema } from '@district/journal';
import { subgraphSdl } from '@district/kit';
import { buildMonitoringSchema } from '@district/monitoring';
import { buildPeopleSchema } from '@district/people';
import { buildScheduleSchema } from '@district/schedule';
import type { GraphQLSchema } from 'graphql';

// The gateway composes from the committed SDL files only; this test holds them to the subgraphs' code.
const BUILDERS: Record<string, () => Promise<GraphQLSchema>> = {
  monitoring: buildMonitoringSchema,
  people: buildPeopleSchema,
  schedule: buildScheduleSchema,
  journal: buildJournalSchema,
  identity: buildIdentitySchema,
  portal: buildPortalSchema,
};

/** Undefined when equal; otherwise where the committed file first differs and what to run. */
function staleness(file: string, committed: string, current: string): string | undefined {
  if (committed === current) return undefined;
  const a = committed.split('\n');
  const b = current.split('\n');
  const line = a.findIndex((text, i) => text !== b[i]);
  const at = line === -1 ? a.length : line;
  return `${file} is stale (line ${at + 1}: committed ${JSON.stringify(a[at] ?? '<end>')}, the code prints ${JSON.stringify(b[at] ?? '<end>')}): run \`npm run sdl\``;
}

describe('the subgraph SDL files the supergraph is composed from', () => {
  const list = readSubgraphList();
  const schemas = new Map<string, GraphQLSchema>();

  beforeAll(async () => {
    for (const subgraph of list) schemas.set(subgraph.name, await BUILDERS[subgraph.name]!());
  });

  it('lists every subgraph of the code', () => {
    expect(list.map((s) => s.name).sort()).toEqual(Object.keys(BUILDERS).sort());
  });

  it.each(list.map((s) => [s.name, s] as const))('%s: the committed SDL is what the running subgraph prints', async (_, subgraph) => {
    const current = await subgraphSdl(schemas.get(subgraph.name)!);
    expect(current).toContain('type Query');
    expect(staleness(subgraph.sdl, readSubgraphSdl(subgraph), current)).toBeUndefined();
  });

  it('composing from the SDL files gives the supergraph composed from the subgraphs’ code', () => {
    const fromCode = composeSupergraph((s) => printSubgraphSchema(schemas.get(s.name)!));
    expect(composeSupergraph()).toBe(fromCode);
  });
});
