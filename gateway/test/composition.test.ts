import { readFileSync } from 'node:fs';
import { composeSupergraph, SUPERGRAPH_FILE } from '@district/gateway';

describe('supergraph composition', () => {
  it('composes without errors and the committed supergraph is up to date', async () => {
    const composed = await composeSupergraph();
    expect(composed).toContain('@join__graph(name: "people"');
    expect(composed).toContain('@join__graph(name: "monitoring"');
    // School is owned by the registry and extended by the people subgraph.
    expect(composed).toMatch(/type School\s+@join__type\(graph: MONITORING, key: "id"\)\s+@join__type\(graph: PEOPLE, key: "id"\)/);
    expect(readFileSync(SUPERGRAPH_FILE, 'utf8')).toBe(composed);
  });
});
