import 'reflect-metadata';
import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { buildMonitoringSchema } from '@district/monitoring';
import { buildJournalSchema } from '@district/journal';
import { buildPeopleSchema } from '@district/people';
import { buildScheduleSchema } from '@district/schedule';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'graphql';

/** Subgraphs of the supergraph; the URL is a placeholder for per-school ones (the school router picks the instance). */
export const SUBGRAPHS = [
  { name: 'monitoring', url: 'http://monitoring.district.internal/graphql', build: buildMonitoringSchema },
  { name: 'people', url: 'http://people.school.internal/graphql', build: buildPeopleSchema },
  { name: 'schedule', url: 'http://schedule.school.internal/graphql', build: buildScheduleSchema },
  { name: 'journal', url: 'http://journal.school.internal/graphql', build: buildJournalSchema },
];

export const SUPERGRAPH_FILE = join(__dirname, '..', 'supergraph.graphql');

/** Composes the supergraph from the subgraphs' own schemas; throws listing every composition error. */
export async function composeSupergraph(): Promise<string> {
  const services = await Promise.all(SUBGRAPHS.map(async (s) => ({ name: s.name, url: s.url, typeDefs: parse(printSubgraphSchema(await s.build())) })));
  const result = composeServices(services);
  if (result.errors) throw new Error(`Supergraph composition failed:\n${result.errors.map((e) => `  ${e.message}`).join('\n')}`);
  return result.supergraphSdl;
}

if (require.main === module) {
  composeSupergraph()
    .then((sdl) => {
      writeFileSync(SUPERGRAPH_FILE, sdl);
      console.log(`supergraph written to ${SUPERGRAPH_FILE}`);
    })
    .catch((error) => {
      console.error((error as Error).message);
      process.exit(1);
    });
}
