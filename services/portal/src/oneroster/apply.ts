/**
 * A QueryPlan (query-params.ts, where every rule is argued) applied to records in memory: filter, sort, count,
 * page, select fields; and the paging headers of the answer.
 */
import { isCalendarDate, parseInstant, type FieldKind, type FilterExpression, type FilterPredicate, type QueryPlan, type SortPlan } from './query-params';

export interface Page<T> {
  /** Records that pass the filter, before paging: the X-Total-Count. */
  readonly total: number;
  readonly records: Partial<T>[];
}

export function applyQueryPlan<T extends object>(records: readonly T[], plan: QueryPlan): Page<T> {
  const { filter, fields } = plan;
  const kept = filter === null ? [...records] : records.filter((record) => matchesFilter(record, filter));
  const page = sortRecords(kept, plan.sort).slice(plan.offset, plan.offset + plan.limit);
  return { total: kept.length, records: fields === null ? page : page.map((record) => selectFields(record, fields)) };
}

export function matchesFilter(record: object, filter: FilterExpression): boolean {
  if (filter.logical === null) return holds(record, filter.predicates[0]);
  const [first, second] = filter.predicates;
  return filter.logical === 'AND' ? holds(record, first) && holds(record, second) : holds(record, first) || holds(record, second);
}

/** Any value satisfies the predicate; `!=` is "no value equals". */
function holds(record: object, predicate: FilterPredicate): boolean {
  const { kind, operator, operand } = predicate;
  const values = comparable(valuesAt(record, predicate.field), kind);
  switch (operator) {
    case '=':
      return values.some((value) => value === operand);
    case '!=':
      return !values.some((value) => value === operand);
    case '~': {
      const needle = String(operand).toLowerCase();
      return values.some((value) => String(value).toLowerCase().includes(needle));
    }
    case '>':
      return values.some((value) => compareValues(value, operand, kind) > 0);
    case '>=':
      return values.some((value) => compareValues(value, operand, kind) >= 0);
    case '<':
      return values.some((value) => compareValues(value, operand, kind) < 0);
    case '<=':
      return values.some((value) => compareValues(value, operand, kind) <= 0);
  }
}

/** Every value at a dotted path, arrays flattened at each step (`roles.org.sourcedId` of every role). */
function valuesAt(record: object, path: string): unknown[] {
  let current: unknown[] = [record];
  for (const key of path.split('.')) {
    current = current.flatMap((value) => (isObject(value) && Object.hasOwn(value, key) ? flatten((value as Record<string, unknown>)[key]) : []));
  }
  return current.filter((value) => value !== null && value !== undefined);
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function flatten(value: unknown): unknown[] {
  return Array.isArray(value) ? value.flatMap(flatten) : [value];
}

/**
 * Record values as their kind compares them: text; finite numbers; 'YYYY-MM-DD'; epoch milliseconds. Values that
 * are not of the kind are dropped. An absent string is '' (a filter or sort treats it as empty text).
 */
function comparable(values: unknown[], kind: FieldKind): (string | number)[] {
  switch (kind) {
    case 'string': {
      const texts = values.flatMap((value) =>
        typeof value === 'string' ? [value] : typeof value === 'number' || typeof value === 'boolean' ? [String(value)] : [],
      );
      return texts.length === 0 ? [''] : texts;
    }
    case 'number':
      return values.flatMap((value) => {
        const number = typeof value === 'number' ? value : typeof value === 'string' && /^[+-]?[0-9]+(?:\.[0-9]+)?$/.test(value) ? Number(value) : NaN;
        return Number.isFinite(number) ? [number] : [];
      });
    case 'date':
      return values.flatMap((value) => {
        const text = value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString().slice(0, 10) : value;
        return typeof text === 'string' && isCalendarDate(text) ? [text] : [];
      });
    case 'dateTime':
      return values.flatMap((value) => {
        const instant = value instanceof Date ? value.getTime() : typeof value === 'string' ? parseInstant(value) : null;
        return instant !== null && !Number.isNaN(instant) ? [instant] : [];
      });
  }
}

// [UNICODE] collation as ICU's root order; 'en' has no tailoring of it and, unlike the default, does not follow the
// server's locale.
const collator = new Intl.Collator('en', { usage: 'sort', sensitivity: 'variant' });

/** Collation order, then code units: distinct texts never compare equal, so ties are only true ties. */
export function compareText(a: string, b: string): number {
  return collator.compare(a, b) || compareCodeUnits(a, b);
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareValues(a: string | number, b: string | number, kind: FieldKind): number {
  if (kind === 'string') return compareText(String(a), String(b));
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Ordered by the sort field (its first value when it has several), ties by sourcedId ascending; without a sort
 * field by sourcedId alone in code-unit order — a total order, so consecutive pages neither repeat nor skip.
 * An absent date or number is greater than any value (last ascending, first descending, as PostgreSQL orders NULL).
 */
function sortRecords<T extends object>(records: T[], sort: SortPlan): T[] {
  const sign = sort.direction === 'asc' ? 1 : -1;
  const { field, kind } = sort;
  const keyed = records.map((record) => ({
    record,
    id: sourcedIdOf(record),
    key: field === null ? null : (comparable(valuesAt(record, field), kind)[0] ?? null),
  }));
  keyed.sort((a, b) => {
    if (field === null) return sign * compareCodeUnits(a.id, b.id);
    return sign * compareKeys(a.key, b.key, kind) || compareCodeUnits(a.id, b.id);
  });
  return keyed.map(({ record }) => record);
}

function compareKeys(a: string | number | null, b: string | number | null, kind: FieldKind): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return compareValues(a, b, kind);
}

function sourcedIdOf(record: object): string {
  const id = (record as { sourcedId?: unknown }).sourcedId;
  return typeof id === 'string' ? id : '';
}

/** The record with only the selected top-level fields (a field the record lacks stays absent). */
export function selectFields<T extends object>(record: T, fields: readonly string[]): Partial<T> {
  const selected: Record<string, unknown> = {};
  for (const field of fields) {
    if (Object.hasOwn(record, field)) selected[field] = (record as Record<string, unknown>)[field];
  }
  return selected as Partial<T>;
}

/**
 * X-Total-Count and Link (first, prev, next, last) for a page, each link the request's own query with the
 * effective limit and that page's offset. first and last are always given; prev only after the first page, next
 * only when records follow. Pages keep the client's offset grid (offset 50, limit 100: …, 50, 150, 250), so
 * following next from any page reaches last exactly. `baseUrl` is the absolute collection URL without a query.
 */
export function pagingHeaders(
  baseUrl: string,
  query: Readonly<Record<string, unknown>>,
  total: number,
  limit: number,
  offset: number,
): { 'X-Total-Count': string; Link: string } {
  if (baseUrl.includes('?')) throw new Error(`pagingHeaders: baseUrl must not carry a query, got ${baseUrl}`);
  if (!Number.isSafeInteger(limit) || limit < 1 || !Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(total) || total < 0) {
    throw new Error(`pagingHeaders: limit ${limit}, offset ${offset}, total ${total} are not a page`);
  }
  const phase = offset % limit;
  const last = total - 1 < phase ? 0 : phase + Math.floor((total - 1 - phase) / limit) * limit;
  const links: [string, number][] = [['first', 0]];
  if (offset > 0) links.push(['prev', Math.max(0, offset - limit)]);
  if (offset + limit < total) links.push(['next', offset + limit]);
  links.push(['last', last]);
  return {
    'X-Total-Count': String(total),
    Link: links.map(([rel, at]) => `<${pageUrl(baseUrl, query, limit, at)}>; rel="${rel}"`).join(', '),
  };
}

/** The request's other parameters in their order, then the page's limit and offset. */
function pageUrl(baseUrl: string, query: Readonly<Record<string, unknown>>, limit: number, offset: number): string {
  const params = new URLSearchParams();
  const paging: Record<string, string> = { limit: String(limit), offset: String(offset) };
  for (const [name, value] of Object.entries(query)) {
    if (Object.hasOwn(paging, name)) continue;
    for (const item of Array.isArray(value) ? value : [value]) if (typeof item === 'string') params.append(name, item);
  }
  for (const [name, value] of Object.entries(paging)) params.append(name, value);
  return `${baseUrl}?${params.toString()}`;
}

/**
 * Not OneRoster — 1.2 has no warning for a partial read (errors.ts). When a school's instance does not answer, the
 * collection is answered 200 from the schools that did and this header names the orgs whose records are missing
 * (sourcedIds, percent-encoded, comma-separated); X-Total-Count counts what is there. A browser client reads it
 * only if Access-Control-Expose-Headers lists it.
 */
export const INCOMPLETE_ORGS_HEADER = 'X-Incomplete-Orgs';

export function incompleteOrgsHeader(orgSourcedIds: readonly string[]): Record<string, string> {
  return orgSourcedIds.length === 0 ? {} : { [INCOMPLETE_ORGS_HEADER]: orgSourcedIds.map(encodeURIComponent).join(',') };
}
