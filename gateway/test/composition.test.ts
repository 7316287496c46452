import { readFileSync } from 'node:fs';
import { composeSupergraph, SUPERGRAPH_FILE } from '@district/gateway';

describe('supergraph composition', () => {
  it('composes without errors and the committed supergraph is up to date', async () => {
    const composed = await composeSupergraph();
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
});
