import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeSupergraph, readSubgraphList, SCHOOL_SUBGRAPHS, SUPERGRAPH_FILE } from '@district/gateway';

describe('supergraph composition', () => {
  it('composes from the committed SDL files without errors and the committed supergraph is up to date', () => {
    const composed = composeSupergraph();
    expect(composed).toContain('@join__graph(name: "people"');
    expect(composed).toContain('@join__graph(name: "monitoring"');
    // School is owned by the registry and extended by the school subgraphs; Student by people (the journal adds the diary).
    const school = /type School\s+((?:@join__type\([^)]*\)\s*)+)\{/.exec(composed)?.[1] ?? '';
    expect(school).toContain('@join__type(graph: MONITORING, key: "id")');
    expect(school).toContain('@join__type(graph: PEOPLE, key: "id")');
    const student = /type Student\s+((?:@join__type\([^)]*\)\s*)+)\{/.exec(composed)?.[1] ?? '';
    expect(student).toContain('@join__type(graph: PEOPLE, key: "id")');
    expect(student).toContain('@join__type(graph: JOURNAL, key: "id")');
    expect(readFileSync(SUPERGRAPH_FILE, 'utf8')).toBe(composed);
  });

  it('routes per school exactly the subgraphs the registry locates, and monitoring, identity and portal for the district', () => {
    const list = readSubgraphList();
    expect(list.map((s) => [s.name, s.routing, s.sdl])).toEqual([
      ['monitoring', 'district', 'services/monitoring/schema.graphql'],
      ['people', 'school', 'services/people/schema.graphql'],
      ['schedule', 'school', 'services/schedule/schema.graphql'],
      ['journal', 'school', 'services/journal/schema.graphql'],
      ['identity', 'district', 'services/identity/schema.graphql'],
      ['portal', 'district', 'services/portal/schema.graphql'],
    ]);
    expect(list.filter((s) => s.routing === 'school').map((s) => s.name)).toEqual([...SCHOOL_SUBGRAPHS]);
  });

  describe('a subgraph list the gateway cannot route', () => {
    let dir: string;
    beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'supergraph-list-'))));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    function listFile(yaml: string): string {
      const file = join(dir, `${Math.random().toString(36).slice(2)}.yaml`);
      writeFileSync(file, yaml);
      return file;
    }

    it('is refused naming every wrong routing kind', () => {
      const file = listFile(
        ['subgraphs:', '  people: { sdl: services/people/schema.graphql, routing: district }', '  registry: { sdl: registry.graphql, routing: school }'].join(
          '\n',
        ),
      );
      expect(() => readSubgraphList(file)).toThrow(
        `${file}:\n  people: routing district, but the gateway calls only monitoring, identity, portal as district subgraphs\n  registry: routing school, but the registry holds no registry instances (it knows people, schedule, journal)`,
      );
    });

    it('is refused naming a missing or unknown routing kind', () => {
      const file = listFile(
        ['subgraphs:', '  people: { sdl: services/people/schema.graphql }', '  journal: { sdl: services/journal/schema.graphql, routing: city }'].join('\n'),
      );
      expect(() => readSubgraphList(file)).toThrow(
        /subgraphs\.people\.routing: Required\n {2}subgraphs\.journal\.routing: Invalid enum value\. Expected 'school' \| 'district', received 'city'/,
      );
    });
  });
});
