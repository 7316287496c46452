import { composeServices } from '@apollo/composition';
import { z } from '@district/kit';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'graphql';
import { parse as parseYaml } from 'yaml';
import { SCHOOL_SUBGRAPHS } from './school-directory';

const GATEWAY_DIR = join(__dirname, '..');
const REPOSITORY_ROOT = join(GATEWAY_DIR, '..');

export const SUPERGRAPH_FILE = join(GATEWAY_DIR, 'supergraph.graphql');
/** The subgraphs the supergraph is composed from: name, SDL file, routing. */
export const SUBGRAPH_LIST_FILE = join(GATEWAY_DIR, 'supergraph.yaml');

/** `school`: one instance per school, behind the school router; `district`: one instance for the district (DISTRICT_SUBGRAPHS). */
export type Routing = 'school' | 'district';

/** The district subgraphs the gateway calls directly, each at its own URL (MONITORING_URL, IDENTITY_URL, PORTAL_URL). */
export const DISTRICT_SUBGRAPHS = ['monitoring', 'identity', 'portal'] as const;
export type DistrictSubgraph = (typeof DISTRICT_SUBGRAPHS)[number];

export interface SubgraphEntry {
  name: string;
  /** The SDL file, from the repository root. */
  sdl: string;
  routing: Routing;
}

const subgraphList = z.object({
  subgraphs: z.record(z.object({ sdl: z.string().min(1), routing: z.enum(['school', 'district']) }).strict()),
});

/**
 * Where a routing kind is not one this gateway can give the subgraph: a school
 * subgraph needs its instances in the registry, and a district subgraph
 * needs its URL (DISTRICT_SUBGRAPHS).
 */
function routingProblem({ name, routing }: SubgraphEntry): string | undefined {
  const school = (SCHOOL_SUBGRAPHS as readonly string[]).includes(name);
  if (routing === 'school' && !school) return `${name}: routing school, but the registry holds no ${name} instances (it knows ${SCHOOL_SUBGRAPHS.join(', ')})`;
  if (routing === 'district' && !(DISTRICT_SUBGRAPHS as readonly string[]).includes(name)) {
    return `${name}: routing district, but the gateway calls only ${DISTRICT_SUBGRAPHS.join(', ')} as district subgraphs`;
  }
  return undefined;
}

/** The subgraphs of gateway/supergraph.yaml, in its order; throws listing every problem in it. */
export function readSubgraphList(file = SUBGRAPH_LIST_FILE): SubgraphEntry[] {
  const parsed = subgraphList.safeParse(parseYaml(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(`${file}:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  const entries = Object.entries(parsed.data.subgraphs).map(([name, s]) => ({ name, ...s }));
  const problems = entries.map(routingProblem).filter((p) => p !== undefined);
  if (problems.length) throw new Error(`${file}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return entries;
}

/** A subgraph's committed SDL file. */
export function readSubgraphSdl(subgraph: SubgraphEntry): string {
  const file = join(REPOSITORY_ROOT, subgraph.sdl);
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`${subgraph.name}: cannot read ${file} (${(error as Error).message}); \`npm run sdl\` writes it`, { cause: error });
  }
}

/**
 * Composes the supergraph from the subgraphs' SDL (by default the committed
 * files the list names); throws listing every composition error. The URLs are
 * placeholders the gateway never calls: the school router picks a school's
 * instance, the district subgraphs are at MONITORING_URL and IDENTITY_URL.
 */
export function composeSupergraph(sdlOf: (subgraph: SubgraphEntry) => string = readSubgraphSdl): string {
  const services = readSubgraphList().map((s) => ({ name: s.name, url: `http://${s.name}.${s.routing}.internal/graphql`, typeDefs: parse(sdlOf(s)) }));
  const result = composeServices(services);
  if (result.errors) throw new Error(`Supergraph composition failed:\n${result.errors.map((e) => `  ${e.message}`).join('\n')}`);
  return result.supergraphSdl;
}

if (require.main === module) {
  try {
    writeFileSync(SUPERGRAPH_FILE, composeSupergraph());
    console.log(`supergraph written to ${SUPERGRAPH_FILE}`);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
