import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, type ObjectTypeDefinitionNode } from 'graphql';
import { SUPERGRAPH_FILE } from '@district/gateway';
import type { District } from '@district/demo';
import { gqlAt, tokenFor, type GraphQLAnswer } from '@district/kit/testing';
import { testDistrict } from '../district';
import { OTHER_SCHOOL_USERS, readFixture, TARGETS, tokenOf, USERS, type Bag, type Fixture, type Target, type User } from './access-fixture';
import { ACCESS_TABLE, parseAllow, type AccessRow } from './access-table';

const VARIABLE_TYPES: Record<keyof Bag | 'key', string> = {
  school: 'ID!',
  student: 'ID!',
  classGroup: 'ID!',
  lesson: 'ID!',
  mark: 'ID!',
  attendance: 'ID!',
  term: 'ID!',
  year: 'ID!',
  subject: 'ID!',
  staff: 'ID!',
  guardian: 'ID!',
  enrollment: 'ID!',
  correction: 'ID!',
  weekStart: 'String!',
  from: 'String!',
  to: 'String!',
  month: 'String!',
  account: 'ID!',
  key: 'String!',
};

export function documentOf(row: AccessRow): string {
  const names = [...new Set([...row.body.matchAll(/\$(\w+)/g)].map((match) => match[1]!))];
  const definitions = names.map((name) => {
    const type = VARIABLE_TYPES[name as keyof typeof VARIABLE_TYPES];
    if (!type) throw new Error(`${row.op}: unknown variable $${name}`);
    return `$${name}: ${type}`;
  });
  return `${row.kind} Probe${definitions.length ? `(${definitions.join(', ')})` : ''} { ${row.body} }`;
}

/** What an answer tells about access: data returned, a refusal, or a domain error that only an authorized caller can reach. */
type Outcome = 'data' | 'empty' | 'forbidden' | 'refused' | 'internal' | 'invalid';
const LETTER: Record<Outcome, string> = { data: 'D', empty: 'e', forbidden: 'F', refused: 'r', internal: 'X', invalid: 'V' };

function outcomeOf(answer: GraphQLAnswer, path: string[]): Outcome {
  const codes = (answer.errors ?? []).map((e) => String(e.extensions?.code));
  if (codes.includes('INTERNAL_SERVER_ERROR') || answer.status >= 500) return 'internal';
  if (codes.some((c) => c.startsWith('GRAPHQL_'))) return 'invalid';
  // The gateway's safelist refuses the state portal anything but its persisted operations.
  if (codes.includes('PERSISTED_QUERY_NOT_ALLOWED')) return 'forbidden';
  let value: unknown = answer.data;
  for (const key of path) value = value == null ? undefined : (value as Record<string, unknown>)[key];
  if (value != null && !(Array.isArray(value) && value.length === 0)) return 'data';
  if (codes.includes('FORBIDDEN') || codes.includes('UNAUTHENTICATED')) return 'forbidden';
  if (codes.length) return 'refused';
  return 'empty';
}

/** Every query, mutation and entity field of the public API, with the subgraph that resolves root fields. */
function supergraphOperations(): { ops: string[]; owner: Map<string, string> } {
  const document = parse(readFileSync(SUPERGRAPH_FILE, 'utf8'));
  const ops: string[] = [];
  const owner = new Map<string, string>();
  const graphOf = (
    directives: readonly { name: { value: string }; arguments?: readonly { name: { value: string }; value: { kind: string; value?: string } }[] }[] | undefined,
  ) => directives?.find((d) => d.name.value === 'join__field')?.arguments?.find((a) => a.name.value === 'graph')?.value.value;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    const type = definition as ObjectTypeDefinitionNode;
    const name = type.name.value;
    const isRoot = name === 'Query' || name === 'Mutation';
    const isEntity = type.directives?.some((d) => d.name.value === 'join__type' && d.arguments?.some((a) => a.name.value === 'key'));
    if (!isRoot && !isEntity) continue;
    for (const field of type.fields ?? []) {
      if (field.directives?.some((d) => d.name.value === 'inaccessible')) continue;
      ops.push(`${name}.${field.name.value}`);
      const graph = graphOf(field.directives as never);
      if (isRoot && graph) owner.set(`${name}.${field.name.value}`, graph.toLowerCase());
    }
  }
  return { ops, owner };
}

/** Runs `tasks` a few at a time (the gateway and the schools share two cores with the test). */
async function inPool<T>(tasks: (() => Promise<T>)[], size = 6): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < tasks.length) {
        const index = next++;
        results[index] = await tasks[index]!();
      }
    }),
  );
  return results;
}

/** A safelisted operation of the state portal, sent as the portal does: by its hash only. */
async function persistedAt(url: string, token: string, persisted: NonNullable<AccessRow['persisted']>): Promise<GraphQLAnswer> {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'portal-operations.json'), 'utf8')) as { operations: { id: string; name: string }[] };
  const operation = manifest.operations.find((o) => o.name === persisted.name);
  if (!operation) throw new Error(`${persisted.name} is not in gateway/portal-operations.json`);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      operationName: persisted.name,
      variables: persisted.variables,
      extensions: { persistedQuery: { version: 1, sha256Hash: operation.id } },
    }),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

let district: District;
let fixture: Fixture;
const districtLog: string[] = [];
const tokens = new Map<User, string>();

beforeAll(async () => {
  // The services' own log lines, shown with an INTERNAL_SERVER_ERROR probe (its cause is only there).
  district = await testDistrict({ timetable: true, journalHistory: true, log: (line) => districtLog.push(line) });
  fixture = await readFixture(district);
  for (const user of Object.keys(USERS) as User[]) tokens.set(user, await tokenOf(user));
  // A mark entered through the API, so that its history (audit rows) exists for entryHistory.
  const entered = await gqlAt(
    district.gateway.url,
    tokens.get('teacher'),
    `mutation($l: ID!, $s: ID!, $k: String!) { enterMarks(lessonId: $l, marks: [{ studentId: $s, value: "5", controlForm: "ORAL" }], idempotencyKey: $k) { id } }`,
    {
      l: fixture.ownLesson.lesson,
      s: fixture.self.student,
      k: `fixture-${randomUUID()}`,
    },
  );
  if (!entered.data?.enterMarks?.[0]?.id) throw new Error(`fixture: the teacher could not enter a mark: ${JSON.stringify(entered.errors)}`);
  fixture.ownLesson.mark = entered.data.enterMarks[0].id as string;
}, 300_000);
afterAll(async () => {
  await district?.close({ dropDatabases: true });
});

describe('the authorization table', () => {
  it('names every query, mutation and entity field of the supergraph, once, and nothing else', () => {
    const { ops } = supergraphOperations();
    const listed = ACCESS_TABLE.map((row) => row.op);
    const twice = listed.filter((op, i) => listed.indexOf(op) !== i);
    expect({ missing: ops.filter((op) => !listed.includes(op)), unknown: listed.filter((op) => !ops.includes(op)), twice }).toEqual({
      missing: [],
      unknown: [],
      twice: [],
    });
  });

  it('every row answers every role and target exactly as the table says, through the gateway', async () => {
    const users = Object.keys(USERS) as User[];
    const probes = ACCESS_TABLE.flatMap((row) => users.flatMap((user) => TARGETS[row.scope].map((target) => ({ row, user, target: target as Target }))));
    const outcomes = await inPool(
      probes.map(({ row, user, target }) => async () => {
        // A school that did not answer in time (the whole suite loads this machine) says nothing about access: ask again.
        for (let attempt = 1; ; attempt++) {
          const answer =
            user === 'portal' && row.persisted
              ? await persistedAt(district.gateway.url, tokens.get(user)!, row.persisted)
              : await gqlAt(district.gateway.url, tokens.get(user), documentOf(row), { ...fixture[target], key: `probe-${randomUUID()}` });
          const codes = (answer.errors ?? []).map((e) => String(e.extensions?.code));
          if (codes.includes('SCHOOL_UNAVAILABLE') && attempt < 3) continue;
          return { outcome: outcomeOf(answer, row.path), codes: codes.join(',') };
        }
      }),
    );
    const problems: string[] = [];
    const matrix: string[] = [];
    ACCESS_TABLE.forEach((row) => {
      const allowed = parseAllow(row);
      const cells: string[] = [];
      for (const user of users) {
        let letters = '';
        for (const target of TARGETS[row.scope]) {
          const index = probes.findIndex((p) => p.row === row && p.user === user && p.target === target);
          const { outcome, codes } = outcomes[index]!;
          letters += LETTER[outcome];
          if (outcome === 'internal' || outcome === 'invalid') problems.push(`${row.op} ${user}@${target}: ${outcome} (${codes})`);
          const expectAllow = allowed.get(user)?.has(target as Target) ?? false;
          if (!expectAllow && (outcome === 'data' || outcome === 'refused'))
            problems.push(`${row.op} ${user}@${target}: unexpected allow (${outcome}: ${codes || 'no error'})`);
          if (expectAllow && outcome === 'forbidden') problems.push(`${row.op} ${user}@${target}: unexpected FORBIDDEN`);
        }
        cells.push(`${user}=${letters}`);
      }
      matrix.push(`${row.op.padEnd(36)} ${cells.join(' ')}`);
    });
    if (process.env.ACCESS_MATRIX) console.log(`targets: ${JSON.stringify(TARGETS)}\n${matrix.join('\n')}`);
    if (problems.some((p) => p.includes('internal'))) problems.push(...districtLog.filter((line) => /error|fail/i.test(line)).slice(-20));
    expect(problems).toEqual([]);
  }, 600_000);

  it('a school code that is not registered is refused like one the viewer may not reach (no registry oracle)', async () => {
    const unknown = await gqlAt(district.gateway.url, tokens.get('teacher'), `{ school(id: "s999") { id } }`);
    const other = await gqlAt(district.gateway.url, tokens.get('teacher'), `{ school(id: "s002") { id } }`);
    expect([unknown.errors?.map((e) => e.extensions?.code), unknown.data?.school ?? null]).toEqual([['FORBIDDEN'], null]);
    expect([other.errors?.map((e) => e.extensions?.code), other.data?.school ?? null]).toEqual([['FORBIDDEN'], null]);
    // The same for a school's monitoring line: a deputy asking for an unknown school and for another school gets one answer.
    const deputy = await tokenOf('deputy');
    for (const school of ['s999', 's002']) {
      const answer = await gqlAt(district.gateway.url, deputy, `query($m: String!, $s: [ID!]) { monitoring(month: $m, schoolIds: $s) { schoolId } }`, {
        m: fixture.own.month,
        s: [school],
      });
      expect({ school, codes: answer.errors?.map((e) => e.extensions?.code), data: answer.data?.monitoring ?? null }).toEqual({
        school,
        codes: ['FORBIDDEN'],
        data: null,
      });
    }
  });

  it('without a token the gateway answers 401 to every row', async () => {
    const answers = await inPool(
      ACCESS_TABLE.map((row) => () => gqlAt(district.gateway.url, undefined, documentOf(row), { ...fixture.own, key: 'anonymous' })),
    );
    const notRefused = ACCESS_TABLE.filter((_, i) => answers[i]!.status !== 401 || answers[i]!.errors?.[0]?.extensions?.code !== 'UNAUTHENTICATED').map(
      (row) => row.op,
    );
    expect(notRefused).toEqual([]);
  });

  it('each school subgraph, called directly, refuses every row (and _entities) to valid tokens of another school', async () => {
    const { owner } = supergraphOperations();
    const s001 = district.schools.get('s001')!;
    const urls: Record<string, string> = { people: s001.urls.people, schedule: s001.urls.schedule, journal: s001.urls.journal };
    const direct = ACCESS_TABLE.filter((row) => owner.get(row.op) && urls[owner.get(row.op)!]);
    expect(direct.length).toBeGreaterThan(50);
    const probes = direct.flatMap((row) => OTHER_SCHOOL_USERS.map((user) => ({ url: urls[owner.get(row.op)!]!, user, query: documentOf(row) })));
    for (const url of Object.values(urls)) {
      for (const user of OTHER_SCHOOL_USERS) probes.push({ url, user, query: `query($r: [_Any!]!) { _entities(representations: $r) { __typename } }` });
    }
    const answers = await inPool(
      probes.map(
        (probe) => async () =>
          gqlAt(probe.url, await tokenFor(probe.user), probe.query, {
            ...fixture.own,
            key: 'other-school',
            r: [{ __typename: 'Student', id: fixture.own.student }],
          }),
      ),
    );
    const leaks = probes
      .filter((_, i) => answers[i]!.status !== 403 || answers[i]!.data != null || answers[i]!.errors?.[0]?.extensions?.code !== 'FORBIDDEN')
      .map((p) => `${p.user} → ${p.url}: ${p.query.slice(0, 60)}`);
    expect(leaks).toEqual([]);
  });
});
