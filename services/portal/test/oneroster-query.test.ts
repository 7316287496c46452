import { applyQueryPlan, incompleteOrgsHeader, pagingHeaders } from '../src/oneroster/apply';
import { forbidden, internalServerError, invalidRequestBody, serverBusy, unauthorisedRequest, unknownObject } from '../src/oneroster/errors';
import { parseCollectionQuery, parseFieldSelection, type EndpointFields, type QueryOptions, type QueryPlan } from '../src/oneroster/query-params';

/**
 * The OneRoster 1.2 query parameters as a library: a request's query read into a plan (or refused with the spec's
 * status-info payload and HTTP status), the plan applied to records, and the paging headers. No database: the
 * records are built here.
 */

interface TestUser {
  sourcedId: string;
  status: string;
  dateLastModified: string;
  givenName: string;
  familyName: string;
  middleName?: string;
  birthDate?: string;
  score?: number;
  grades: string[];
  roles: { roleType: string; role: string; org: { sourcedId: string } }[];
}

const USERS: EndpointFields = {
  selectable: ['sourcedId', 'status', 'dateLastModified', 'givenName', 'familyName', 'middleName', 'birthDate', 'score', 'grades', 'roles'],
  filterable: {
    sourcedId: 'string',
    status: 'string',
    dateLastModified: 'dateTime',
    givenName: 'string',
    familyName: 'string',
    middleName: 'string',
    birthDate: 'date',
    score: 'number',
    grades: 'string',
    'roles.role': 'string',
    'roles.org.sourcedId': 'string',
  },
  sortable: { sourcedId: 'string', familyName: 'string', givenName: 'string', dateLastModified: 'dateTime', birthDate: 'date', score: 'number' },
};

function user(sourcedId: string, fields: Partial<TestUser> = {}): TestUser {
  return {
    sourcedId,
    status: 'active',
    dateLastModified: '2026-11-01T00:00:00Z',
    givenName: 'Иван',
    familyName: 'Петров',
    grades: [],
    roles: [{ roleType: 'primary', role: 'student', org: { sourcedId: 's001' } }],
    ...fields,
  };
}

const people: TestUser[] = [
  user('u1', { givenName: 'Анна', familyName: 'Иванова', dateLastModified: '2026-12-01T00:00:00Z', birthDate: '2015-03-01', score: 80, grades: ['05'] }),
  user('u2', {
    givenName: 'Борис',
    familyName: "О'Брайен",
    dateLastModified: '2026-12-01T02:59:59+03:00',
    birthDate: '2015-03-02',
    score: 92.5,
    grades: ['05', '06'],
  }),
  user('u3', {
    givenName: 'Мария Луиза',
    familyName: 'Смирнова',
    middleName: 'Петровна',
    dateLastModified: '2026-12-01T03:00:00+03:00',
    birthDate: '2014-12-31',
  }),
  user('u4', {
    givenName: 'Олег',
    familyName: 'Кузнецов',
    status: 'tobedeleted',
    dateLastModified: '2026-12-02T10:30:00.250Z',
    grades: ['06'],
    roles: [
      { roleType: 'primary', role: 'teacher', org: { sourcedId: 's001' } },
      { roleType: 'secondary', role: 'parent', org: { sourcedId: 's002' } },
    ],
  }),
  user('u5', {
    givenName: 'Пётр',
    familyName: 'Иванов',
    middleName: '',
    score: 61,
    roles: [{ roleType: 'primary', role: 'teacher', org: { sourcedId: 's002' } }],
  }),
];

function plan(query: Record<string, unknown>, options?: QueryOptions): QueryPlan {
  const parsed = parseCollectionQuery(query, USERS, options);
  if (!parsed.ok) throw new Error(`refused: ${JSON.stringify(parsed.error)}`);
  return parsed.value;
}

/** sourcedIds the filter keeps, in sourcedId order. */
function kept(filter: string): string[] {
  return applyQueryPlan(people, plan({ filter })).records.map((record) => record.sourcedId as string);
}

function refusal(query: Record<string, unknown>, options?: QueryOptions) {
  const parsed = parseCollectionQuery(query, USERS, options);
  if (parsed.ok) throw new Error(`expected a refusal, got ${JSON.stringify(parsed.value)}`);
  return parsed.error;
}

function codeMinorOf(error: ReturnType<typeof refusal>): string {
  return error.body.imsx_CodeMinor!.imsx_codeMinorField[0].imsx_codeMinorFieldValue;
}

describe('OneRoster 1.2 query parameters: defaults and paging parameters', () => {
  it('without parameters: limit 100, offset 0, by sourcedId ascending, no filter, every field', () => {
    expect(plan({})).toEqual({ limit: 100, offset: 0, sort: { field: null, kind: 'string', direction: 'asc' }, filter: null, fields: null });
  });

  it('reads limit and offset; the maximum itself is allowed and configurable', () => {
    expect(plan({ limit: '25', offset: '50' })).toMatchObject({ limit: 25, offset: 50 });
    expect(plan({ limit: '1000' }).limit).toBe(1000);
    expect(plan({ limit: '5000' }, { maxLimit: 5000 }).limit).toBe(5000);
  });

  it('a limit over the maximum is the spec error payload with 400', () => {
    expect(refusal({ limit: '1001' })).toEqual({
      status: 400,
      body: {
        imsx_codeMajor: 'failure',
        imsx_severity: 'error',
        imsx_description: 'Параметр limit не может быть больше 1000, получено «1001».',
        imsx_CodeMinor: { imsx_codeMinorField: [{ imsx_codeMinorFieldName: 'TargetEndSystem', imsx_codeMinorFieldValue: 'invaliddata' }] },
      },
    });
    expect(refusal({ limit: '11' }, { maxLimit: 10 }).body.imsx_description).toContain('больше 10');
  });

  it.each([
    [{ limit: '0' }, 'limit', 'не меньше 1'],
    [{ limit: '-5' }, 'limit', 'не меньше 1'],
    [{ limit: '2.5' }, 'limit', 'не меньше 1'],
    [{ limit: '1e2' }, 'limit', 'не меньше 1'],
    [{ limit: '' }, 'limit', 'пустым'],
    [{ offset: '-1' }, 'offset', 'не меньше 0'],
    [{ offset: 'ten' }, 'offset', 'не меньше 0'],
    [{ offset: ['0', '100'] }, 'offset', 'больше одного раза'],
  ])('%j is refused with 400 invaliddata naming %s', (query, name, words) => {
    const error = refusal(query);
    expect(error.status).toBe(400);
    expect(codeMinorOf(error)).toBe('invaliddata');
    expect(error.body.imsx_description).toContain(name);
    expect(error.body.imsx_description).toContain(words);
  });
});

describe('OneRoster 1.2 filter: operators on strings', () => {
  it.each([
    ["familyName='Иванов'", ['u5']],
    ["familyName!='Иванов'", ['u1', 'u2', 'u3', 'u4']],
    ["familyName~'иванов'", ['u1', 'u5']],
    ["familyName>'Кузнецов'", ['u2', 'u3']],
    ["familyName>='Кузнецов'", ['u2', 'u3', 'u4']],
    ["familyName<'Иванова'", ['u5']],
    ["familyName<='Иванова'", ['u1', 'u5']],
  ])('%s keeps %j', (filter, expected) => {
    expect(kept(filter)).toEqual(expected);
  });

  it('= is exact (case matters); ~ is a case-insensitive substring', () => {
    expect(kept("familyName='иванов'")).toEqual([]);
    expect(kept("givenName~'ЛУИЗ'")).toEqual(['u3']);
  });

  it('tolerates spaces around the operator and the whole filter', () => {
    expect(kept("  familyName = 'Иванов'  ")).toEqual(['u5']);
  });
});

describe('OneRoster 1.2 filter: AND and OR', () => {
  it('AND keeps what both predicates keep', () => {
    expect(kept("status='active' AND roles.role='teacher'")).toEqual(['u5']);
  });

  it('OR keeps what either predicate keeps', () => {
    expect(kept("familyName='Иванов' OR status='tobedeleted'")).toEqual(['u4', 'u5']);
  });

  it('a logical operator inside a quoted value is part of the value', () => {
    const parsed = plan({ filter: "givenName='Rock AND Roll' OR familyName='x OR y'" });
    expect(parsed.filter).toMatchObject({
      logical: 'OR',
      predicates: [
        { field: 'givenName', value: 'Rock AND Roll' },
        { field: 'familyName', value: 'x OR y' },
      ],
    });
  });
});

describe('OneRoster 1.2 filter: quoting', () => {
  it('a value with a space', () => {
    expect(kept("givenName='Мария Луиза'")).toEqual(['u3']);
  });

  it('a quote inside a value is written twice', () => {
    expect(plan({ filter: "familyName='О''Брайен'" }).filter?.predicates[0].value).toBe("О'Брайен");
    expect(kept("familyName='О''Брайен'")).toEqual(['u2']);
    expect(kept("familyName~''''")).toEqual(['u2']);
  });

  it("an empty value: an absent or empty string field equals ''", () => {
    expect(kept("middleName=''")).toEqual(['u1', 'u2', 'u4', 'u5']);
    expect(kept("middleName!=''")).toEqual(['u3']);
  });

  it('a single quote inside a value is refused, naming the position and the rule', () => {
    const error = refusal({ filter: "familyName='О'Брайен'" });
    expect(error.status).toBe(400);
    expect(codeMinorOf(error)).toBe('invalid_filter_field');
    expect(error.body.imsx_description).toBe(
      "Фильтр «familyName='О'Брайен'»: в позиции 15 ожидается AND, OR или конец фильтра. Кавычка внутри значения удваивается ('').",
    );
  });
});

describe('OneRoster 1.2 filter: dates, instants and numbers', () => {
  it('dateLastModified compares instants, whatever the offset it is written with', () => {
    // u2 is 2026-11-30T23:59:59Z, u3 is exactly 2026-12-01T00:00:00Z.
    expect(kept("dateLastModified>='2026-12-01T00:00:00Z'")).toEqual(['u1', 'u3', 'u4']);
    expect(kept("dateLastModified='2026-12-01T03:00:00+03:00'")).toEqual(['u1', 'u3']);
    expect(kept("dateLastModified<'2026-12-01T00:00:00Z'")).toEqual(['u2', 'u5']);
    expect(kept("dateLastModified>'2026-12-02T10:30:00.249Z'")).toEqual(['u4']);
    expect(kept("dateLastModified!='2026-12-01T00:00:00.000Z'")).toEqual(['u2', 'u4', 'u5']);
  });

  it('the same text compared as a string gives another answer: the kind decides', () => {
    // As text "2026-12-01T02:59:59+03:00" sorts after "2026-12-01T00:00:00Z"; as an instant it is before.
    const asString = parseCollectionQuery({ filter: "dateLastModified>='2026-12-01T00:00:00Z'" }, { ...USERS, filterable: { dateLastModified: 'string' } });
    if (!asString.ok) throw new Error('refused');
    expect(applyQueryPlan(people, asString.value).records.map((record) => record.sourcedId)).toEqual(['u1', 'u2', 'u3', 'u4']);
    expect(kept("dateLastModified>='2026-12-01T00:00:00Z'")).not.toContain('u2');
  });

  it("a bare date on an instant field means 00:00 UTC (the spec's own example)", () => {
    expect(kept("dateLastModified>'2026-12-01'")).toEqual(['u4']);
    expect(kept("dateLastModified>='2026-12-01'")).toEqual(['u1', 'u3', 'u4']);
  });

  it('a date field compares calendar dates; an absent date satisfies nothing but !=', () => {
    expect(kept("birthDate<'2015-03-02'")).toEqual(['u1', 'u3']);
    expect(kept("birthDate>='2015-01-01'")).toEqual(['u1', 'u2']);
    expect(kept("birthDate!='2015-03-01'")).toEqual(['u2', 'u3', 'u4', 'u5']);
  });

  it('a number field compares numerically (92.5 > 100 is false, unlike text)', () => {
    expect(kept("score>'70'")).toEqual(['u1', 'u2']);
    expect(kept("score<'100'")).toEqual(['u1', 'u2', 'u5']);
    expect(kept("score='92.5'")).toEqual(['u2']);
  });

  it.each([
    ["dateLastModified>'2026-12-01T00:00:00'", 'момент времени'],
    ["dateLastModified>'yesterday'", 'момент времени'],
    ["dateLastModified>''", 'момент времени'],
    ["birthDate='2015-02-30'", 'дата'],
    ["birthDate='2015-03-01T00:00:00Z'", 'дата'],
    ["score>'много'", 'число'],
    ["dateLastModified~'2026'", 'только к строковым'],
  ])('%s does not fit the field: 400 invalid_filter_field', (filter, words) => {
    const error = refusal({ filter });
    expect([error.status, codeMinorOf(error)]).toEqual([400, 'invalid_filter_field']);
    expect(error.body.imsx_description).toContain(words);
  });
});

describe('OneRoster 1.2 filter: multi-valued and nested fields', () => {
  it('an array field matches when any element matches', () => {
    expect(kept("grades='06'")).toEqual(['u2', 'u4']);
    expect(kept("grades>'05'")).toEqual(['u2', 'u4']);
  });

  it('!= on an array field means no element equals', () => {
    expect(kept("grades!='05'")).toEqual(['u3', 'u4', 'u5']);
    expect(kept("roles.role!='student'")).toEqual(['u4', 'u5']);
  });

  it('a dotted path reaches into every element of an array of objects', () => {
    expect(kept("roles.role='parent'")).toEqual(['u4']);
    expect(kept("roles.org.sourcedId='s002'")).toEqual(['u4', 'u5']);
    expect(kept("roles.org.sourcedId='s002' AND roles.role='teacher'")).toEqual(['u4', 'u5']);
  });
});

describe('OneRoster 1.2 filter: refusals', () => {
  it('an unknown filter field: 400 invalid_filter_field with the full status-info payload', () => {
    expect(refusal({ filter: "email='a@b'" })).toEqual({
      status: 400,
      body: {
        imsx_codeMajor: 'failure',
        imsx_severity: 'error',
        imsx_description: expect.stringMatching(/^Фильтр «email='a@b'»: по полю «email» фильтровать нельзя; допустимы: sourcedId, status, /),
        imsx_CodeMinor: { imsx_codeMinorField: [{ imsx_codeMinorFieldName: 'TargetEndSystem', imsx_codeMinorFieldValue: 'invalid_filter_field' }] },
      },
    });
    // A name of Object.prototype is just another unknown field.
    expect(codeMinorOf(refusal({ filter: "constructor='x'" }))).toBe('invalid_filter_field');
    // A nested path the endpoint did not declare, though its parent is declared.
    expect(refusal({ filter: "roles.roleType='primary'" }).body.imsx_description).toContain('«roles.roleType»');
  });

  it.each([
    ["familyName^'x'", 'в позиции 11 ожидается оператор сравнения'],
    ["familyName=='x'", 'в позиции 12 ожидается значение в одинарных кавычках'],
    ["familyName<>'x'", 'в позиции 12 ожидается значение в одинарных кавычках'],
    ['familyName=x', 'в позиции 12 ожидается значение в одинарных кавычках'],
    ["familyName='Иванов", 'кавычка в позиции 12 не закрыта'],
    ["familyName='x' AND givenName='y", 'кавычка в позиции 30 не закрыта'],
    ["familyName='x' AND status='active' OR grades='05'", 'только один логический оператор'],
    ["familyName='x' AND status='active' AND grades='05'", 'только один логический оператор'],
    ["familyName='x' and status='active'", 'AND и OR пишутся заглавными'],
    ["familyName='x'AND status='active'", 'AND и OR пишутся заглавными'],
    ["familyName='x' AND", 'нужен пробел'],
    ["familyName='x' AND ", 'в позиции 20 ожидается имя поля'],
    ["='x'", 'в позиции 1 ожидается имя поля'],
    ['', 'пустым'],
  ])('%j: 400 invalid_filter_field (%s)', (filter, words) => {
    const error = refusal({ filter });
    expect([error.status, codeMinorOf(error)]).toEqual([400, 'invalid_filter_field']);
    expect(error.body.imsx_description).toContain(words);
  });

  it('a filter given twice is refused', () => {
    expect(codeMinorOf(refusal({ filter: ["status='active'", "grades='05'"] }))).toBe('invalid_filter_field');
  });
});

describe('OneRoster 1.2 sort and orderBy', () => {
  const ids = (query: Record<string, unknown>) => applyQueryPlan(people, plan(query)).records.map((record) => record.sourcedId);

  it('sorts ascending by default and descending on orderBy=desc, in Unicode collation', () => {
    expect(ids({ sort: 'familyName' })).toEqual(['u5', 'u1', 'u4', 'u2', 'u3']);
    expect(ids({ sort: 'familyName', orderBy: 'desc' })).toEqual(['u3', 'u2', 'u4', 'u1', 'u5']);
  });

  it('ties are broken by sourcedId ascending in both directions', () => {
    const tied = [user('b'), user('c'), user('a'), user('d', { familyName: 'Антонов' })];
    const order = (orderBy: string) => applyQueryPlan(tied, plan({ sort: 'familyName', orderBy })).records.map((record) => record.sourcedId);
    expect(order('asc')).toEqual(['d', 'a', 'b', 'c']);
    expect(order('desc')).toEqual(['a', 'b', 'c', 'd']);
  });

  it('sorts instants as instants, numbers as numbers; absent values last ascending, first descending', () => {
    expect(ids({ sort: 'dateLastModified' })).toEqual(['u5', 'u2', 'u1', 'u3', 'u4']);
    expect(ids({ sort: 'score' })).toEqual(['u5', 'u1', 'u2', 'u3', 'u4']);
    expect(ids({ sort: 'score', orderBy: 'desc' })).toEqual(['u3', 'u4', 'u2', 'u1', 'u5']);
  });

  it('orderBy alone orders by sourcedId', () => {
    expect(ids({ orderBy: 'desc' })).toEqual(['u5', 'u4', 'u3', 'u2', 'u1']);
  });

  it.each([
    [{ sort: 'email' }, 'Сортировка по полю «email» невозможна'],
    [{ sort: 'roles.role' }, 'Сортировка по полю «roles.role» невозможна'],
    [{ sort: '' }, 'пустым'],
    [{ sort: 'familyName', orderBy: 'DESC' }, 'orderBy принимает asc или desc'],
  ])('%j: 400 invaliddata', (query, words) => {
    const error = refusal(query);
    expect([error.status, codeMinorOf(error)]).toEqual([400, 'invaliddata']);
    expect(error.body.imsx_description).toContain(words);
  });
});

describe('OneRoster 1.2 fields', () => {
  it('returns exactly the selected top-level fields, sourcedId only when asked for', () => {
    const page = applyQueryPlan(people, plan({ fields: 'familyName,givenName', limit: '2' }));
    expect(page.records).toEqual([
      { familyName: 'Иванова', givenName: 'Анна' },
      { familyName: "О'Брайен", givenName: 'Борис' },
    ]);
    expect(page.total).toBe(5);
  });

  it('spaces and duplicates are tolerated; a field a record lacks stays absent; the form style a&b reads the same', () => {
    expect(plan({ fields: ' sourcedId , middleName,sourcedId' }).fields).toEqual(['sourcedId', 'middleName']);
    expect(applyQueryPlan(people, plan({ fields: ['sourcedId', 'middleName'], limit: '3' })).records).toEqual([
      { sourcedId: 'u1' },
      { sourcedId: 'u2' },
      { sourcedId: 'u3', middleName: 'Петровна' },
    ]);
  });

  it('selection happens after filter and sort: they may use fields that are not returned', () => {
    const page = applyQueryPlan(people, plan({ fields: 'givenName', filter: "roles.role='teacher'", sort: 'familyName', orderBy: 'desc' }));
    expect(page.records).toEqual([{ givenName: 'Олег' }, { givenName: 'Пётр' }]);
  });

  it.each([
    [{ fields: 'familyName,email' }, 'Поля «email» нет среди выбираемых'],
    [{ fields: 'roles.role' }, 'Поля «roles.role» нет'],
    [{ fields: 'familyName,,givenName' }, 'пустое имя'],
    [{ fields: '' }, 'пустое имя'],
  ])('%j: 400 invalid_selection_field', (query, words) => {
    const error = refusal(query);
    expect([error.status, codeMinorOf(error)]).toEqual([400, 'invalid_selection_field']);
    expect(error.body.imsx_description).toContain(words);
  });

  it('parseFieldSelection reads fields alone, for a single-object read', () => {
    expect(parseFieldSelection({ fields: 'givenName', limit: 'whatever' }, USERS.selectable)).toEqual({ ok: true, value: ['givenName'] });
    expect(parseFieldSelection({}, USERS.selectable)).toEqual({ ok: true, value: null });
    const refused = parseFieldSelection({ fields: 'password' }, USERS.selectable);
    expect(refused.ok ? null : [refused.error.status, refused.error.body.imsx_CodeMinor?.imsx_codeMinorField[0].imsx_codeMinorFieldValue]).toEqual([
      400,
      'invalid_selection_field',
    ]);
  });
});

describe('OneRoster 1.2 paging: records and headers', () => {
  const base = 'https://district.example/ims/oneroster/rostering/v1p2/users';
  const links = (link: string) => Object.fromEntries(link.split(', ').map((part) => [/rel="(\w+)"/.exec(part)![1], /^<([^>]+)>/.exec(part)![1]]));

  it('a 250-record set read with limit 100 in three calls returns every record exactly once', () => {
    // Half of them tied on familyName, and every call gets the records in another order (as schools answering in
    // turn would give them): only the sourcedId tie-break keeps the pages apart.
    const many = Array.from({ length: 250 }, (_, i) =>
      user(`id-${String((i * 97) % 250).padStart(3, '0')}`, { familyName: i % 2 === 0 ? 'Иванов' : `Фамилия ${i % 7}` }),
    );
    const arrivals = [many, [...many].reverse(), [...many.slice(125), ...many.slice(0, 125)]];
    for (const query of [{}, { sort: 'familyName' }, { sort: 'familyName', orderBy: 'desc' }]) {
      const seen: string[] = [];
      const totals: number[] = [];
      for (const [call, offset] of [0, 100, 200].entries()) {
        const page = applyQueryPlan(arrivals[call], plan({ ...query, limit: '100', offset: String(offset) }));
        totals.push(page.total);
        seen.push(...page.records.map((record) => record.sourcedId as string));
      }
      expect(totals).toEqual([250, 250, 250]);
      expect(seen).toHaveLength(250);
      expect(new Set(seen).size).toBe(250);
    }
    expect(applyQueryPlan(many, plan({ limit: '100', offset: '200' })).records).toHaveLength(50);
  });

  it('Link at the start: first, next, last (no prev); X-Total-Count', () => {
    const headers = pagingHeaders(base, { filter: "role='student'", limit: '100' }, 250, 100, 0);
    expect(headers['X-Total-Count']).toBe('250');
    expect(headers.Link).toBe(
      `<${base}?filter=role%3D%27student%27&limit=100&offset=0>; rel="first", ` +
        `<${base}?filter=role%3D%27student%27&limit=100&offset=100>; rel="next", ` +
        `<${base}?filter=role%3D%27student%27&limit=100&offset=200>; rel="last"`,
    );
  });

  it('Link in the middle: first, prev, next, last, the rest of the query kept in its order', () => {
    const headers = pagingHeaders(base, { sort: 'familyName', offset: '100', orderBy: 'desc', fields: ['givenName', 'familyName'] }, 250, 100, 100);
    expect(links(headers.Link)).toEqual({
      first: `${base}?sort=familyName&orderBy=desc&fields=givenName&fields=familyName&limit=100&offset=0`,
      prev: `${base}?sort=familyName&orderBy=desc&fields=givenName&fields=familyName&limit=100&offset=0`,
      next: `${base}?sort=familyName&orderBy=desc&fields=givenName&fields=familyName&limit=100&offset=200`,
      last: `${base}?sort=familyName&orderBy=desc&fields=givenName&fields=familyName&limit=100&offset=200`,
    });
    expect(Object.keys(links(headers.Link))).toEqual(['first', 'prev', 'next', 'last']);
  });

  it('Link at the end: first, prev, last (no next)', () => {
    const headers = pagingHeaders(base, {}, 250, 100, 200);
    expect(links(headers.Link)).toEqual({
      first: `${base}?limit=100&offset=0`,
      prev: `${base}?limit=100&offset=100`,
      last: `${base}?limit=100&offset=200`,
    });
  });

  it('an offset off the grid keeps its grid; an empty set and an offset past the end still link to real pages', () => {
    expect(links(pagingHeaders(base, {}, 250, 100, 50).Link)).toEqual({
      first: `${base}?limit=100&offset=0`,
      prev: `${base}?limit=100&offset=0`,
      next: `${base}?limit=100&offset=150`,
      last: `${base}?limit=100&offset=150`,
    });
    expect(links(pagingHeaders(base, {}, 0, 100, 0).Link)).toEqual({ first: `${base}?limit=100&offset=0`, last: `${base}?limit=100&offset=0` });
    expect(links(pagingHeaders(base, {}, 250, 100, 300).Link)).toEqual({
      first: `${base}?limit=100&offset=0`,
      prev: `${base}?limit=100&offset=200`,
      last: `${base}?limit=100&offset=200`,
    });
  });

  it('a value with a plus, an ampersand or a space survives the round trip through the link', () => {
    const filter = "givenName='Анна & Мария+1'";
    const next = links(pagingHeaders(base, { filter }, 250, 100, 0).Link).next;
    expect(new URL(next).searchParams.get('filter')).toBe(filter);
  });

  it('the header naming orgs that did not answer (not OneRoster: 1.2 has no partial-success form)', () => {
    expect(incompleteOrgsHeader([])).toEqual({});
    expect(incompleteOrgsHeader(['s002', 'org/3'])).toEqual({ 'X-Incomplete-Orgs': 's002,org%2F3' });
  });
});

describe('OneRoster 1.2 status-info payloads and their HTTP status', () => {
  it.each([
    ['unauthorisedrequest', 401, unauthorisedRequest()],
    ['forbidden', 403, forbidden()],
    ['unknownobject', 404, unknownObject('u9')],
    ['invaliddata', 422, invalidRequestBody('score не число')],
    ['server_busy', 429, serverBusy()],
    ['internal_server_error', 500, internalServerError()],
  ])('%s goes with HTTP %d, failure/error', (codeMinor, status, response) => {
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({
      imsx_codeMajor: 'failure',
      imsx_severity: 'error',
      imsx_CodeMinor: { imsx_codeMinorField: [{ imsx_codeMinorFieldName: 'TargetEndSystem', imsx_codeMinorFieldValue: codeMinor }] },
    });
    expect(typeof response.body.imsx_description).toBe('string');
  });

  it("unknownobject presents the statement 'Unknown Object' and the sourcedId", () => {
    expect(unknownObject('u9').body.imsx_description).toBe('Unknown Object: нет объекта с sourcedId «u9».');
  });
});
