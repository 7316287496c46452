/**
 * OneRoster 1.2 collection query parameters → a validated, typed QueryPlan (apply.ts applies it).
 *
 * Followed: 1EdTech OneRoster 1.2 Rostering Service REST/JSON Binding 1.0 (Final Release, 19 Sept 2022) as published
 * in its OpenAPI 3 file (onerosterv1p2rostersservice_openapi3_v1p0.json), the query parameters of every getAll…
 * operation — limit ("default": 100, "minimum": 1), offset ("default": 0, "minimum": 0), sort, orderBy
 * ("enum": ["asc","desc"]), filter, fields, all "allowEmptyValue": false — its 200 response (X-Total-Count header;
 * next/last/first/prev links), its 400 response ("Either an invalid selection field or invalid filter selection was
 * supplied ... i.e. 'invalid_selection_field' or 'invalid_filter_field' respectively ... 'failure/error'") and the
 * imsx_StatusInfo classes and Appendix B's status codes (errors.ts). The binding's Pagination, Sorting, Filtering
 * and Field Selection rules as OneRoster has worded them since 1.1 (quoted from the 1.1 binding; 1.2's OpenAPI keeps
 * the same parameters): filter requests "must consist of the form: <data field><predicate><value> or <data field><predicate>
 * <value><logical><data field><predicate><value>. Filter queries must be URL encoded", predicates = != > >= < <= ~
 * (contains), logical AND / OR, values in single quotes, e.g. `familyName='jones' AND dateLastModified>'2015-01-01'`;
 * field selection: "The value of fields is a comma delimited list of the fields to return"
 * (`fields=givenName,familyName`). The Gradebook Service binding's collection reads take the same parameters.
 *
 * Decisions where the spec is silent or unclear:
 * - filter: at most two predicates and one logical operator (that is all the grammar above can produce); a third
 *   predicate, or AND and OR mixed, is refused. AND/OR only in upper case (as the spec writes them), with
 *   whitespace on both sides; whitespace around the predicate operator is tolerated.
 * - Quoting: the spec gives no escape for a quote inside a value. We take SQL's rule: a quote inside a value is
 *   written twice (`familyName='O''Brien'`). A lone quote ends the value, so `familyName='O'Brien'` is refused
 *   (naming the position and the rule) rather than guessed at. `''` is the empty value.
 * - Data fields: the endpoint declares which paths it filters on (filterable) and how each compares (FieldKind).
 *   Dotted paths reach into objects and arrays (`roles.role`, `org.sourcedId`, `roles.org.sourcedId`) because 1.2
 *   nests what 1.1 kept flat (a user's role, an enrollment's class) and a consumer must still be able to filter on
 *   them; only declared paths are accepted, anything else is invalid_filter_field.
 * - Multi-valued fields (`grades`, `roles.role`): a predicate holds when ANY value satisfies it, except `!=`,
 *   which is the negation of `=` (no value equals) — so `roles.role!='student'` means "not a student in any org".
 *   Two predicates on one array are evaluated apart: `roles.org.sourcedId='s2' AND roles.role='teacher'` also keeps
 *   a teacher of s1 who is a parent in s2 (the grammar cannot say "the same role").
 * - Comparison by kind: 'string' compares as Unicode text (the spec: "the sort order should follow the [UNICODE]
 *   standard" — ICU root collation, see apply.ts), `=`/`!=` exactly, `~` as a case-insensitive substring; an absent
 *   string field counts as '' (as the CSV binding writes it). 'dateTime' compares instants: the value must carry Z or
 *   an offset, or be a bare date meaning 00:00 UTC (the spec's own example `dateLastModified>'2015-01-01'`).
 *   'date' compares calendar dates (YYYY-MM-DD only). 'number' compares numerically (gradebook scores). An absent
 *   date or number satisfies nothing but `!=`. `~` applies to strings only.
 * - Errors: every filter problem (unknown field, grammar, a value that does not fit the field) is
 *   invalid_filter_field; every `fields` problem (unknown, dotted or empty name) is invalid_selection_field; a bad
 *   limit, offset, sort or orderBy is invaliddata — 1.2 has no invalid_sort_field (1.1's answer to an unknown sort
 *   field, a success/warning in the default order, cannot be expressed: 1.2 puts no status info in a 200), and a
 *   limit above the platform's maximum is refused rather than silently cut, so a client never takes a short page
 *   for the end.
 * - limit: 1 ≤ limit ≤ maxLimit (default 1000, configurable); limit and offset are decimal digits only.
 * - sort: one field the endpoint declares sortable; orderBy alone sorts by sourcedId in that direction. Ties are
 *   broken by sourcedId ascending, and without sort the order is sourcedId, so paging across calls returns every
 *   record exactly once.
 * - fields: top-level names only (the spec's examples are top-level), comma-separated, spaces around names
 *   ignored, duplicates merged; the form-style `fields=a&fields=b` (the OpenAPI declares an array) is read the same.
 *   sourcedId is NOT added when not asked for: the spec says the list names "the fields to return" and nowhere that
 *   sourcedId is kept.
 * - A parameter given twice (other than fields) is refused; parameters the spec does not define are ignored.
 */
import { invalidData, invalidFilterField, invalidSelectionField, type OneRosterErrorResponse } from './errors';

/** How values of a field compare in a filter and a sort. */
export type FieldKind = 'string' | 'number' | 'date' | 'dateTime';

export type FilterOperator = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~';
export type LogicalOperator = 'AND' | 'OR';
export type SortDirection = 'asc' | 'desc';

/** What an endpoint lets a client name in each parameter (its field list, passed in by the caller). */
export interface EndpointFields {
  /** Top-level field names `fields` may select. */
  readonly selectable: readonly string[];
  /** Paths `filter` may name (dotted for nested and multi-valued fields), with their kind. */
  readonly filterable: Readonly<Record<string, FieldKind>>;
  /** Paths `sort` may name, with their kind. */
  readonly sortable: Readonly<Record<string, FieldKind>>;
}

export interface QueryOptions {
  /** The largest limit a client may ask for; more is refused (invaliddata). */
  readonly maxLimit?: number;
}

export const DEFAULT_LIMIT = 100;
export const DEFAULT_MAX_LIMIT = 1000;

export interface FilterPredicate {
  readonly field: string;
  readonly kind: FieldKind;
  readonly operator: FilterOperator;
  /** The value as the client meant it (quotes removed, doubled quotes made single). */
  readonly value: string;
  /** What record values are compared with: the text, the number, 'YYYY-MM-DD', or epoch milliseconds. */
  readonly operand: string | number;
}

export type FilterExpression =
  | { readonly logical: null; readonly predicates: readonly [FilterPredicate] }
  | { readonly logical: LogicalOperator; readonly predicates: readonly [FilterPredicate, FilterPredicate] };

export interface SortPlan {
  /** null: by sourcedId. */
  readonly field: string | null;
  readonly kind: FieldKind;
  readonly direction: SortDirection;
}

export interface QueryPlan {
  readonly limit: number;
  readonly offset: number;
  readonly sort: SortPlan;
  readonly filter: FilterExpression | null;
  /** null: every field. */
  readonly fields: readonly string[] | null;
}

export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: OneRosterErrorResponse };

/** Thrown inside the parser only; parse functions turn it into a ParseResult. */
class Refusal extends Error {
  constructor(readonly response: OneRosterErrorResponse) {
    super(response.body.imsx_description);
  }
}

/**
 * Reads a collection request's query (Express's req.query: strings already URL-decoded) into a plan.
 * A refusal is the spec's status-info payload with its HTTP status.
 */
export function parseCollectionQuery(query: Readonly<Record<string, unknown>>, fields: EndpointFields, options: QueryOptions = {}): ParseResult<QueryPlan> {
  const maxLimit = options.maxLimit ?? DEFAULT_MAX_LIMIT;
  if (!Number.isSafeInteger(maxLimit) || maxLimit < 1) throw new Error(`maxLimit must be a positive integer, got ${maxLimit}`);
  try {
    const limit = readCount(query, 'limit', DEFAULT_LIMIT, 1, maxLimit);
    const offset = readCount(query, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
    const sort = readSort(query, fields.sortable);
    const filterText = single(query, 'filter', invalidFilterField);
    const filter = filterText === undefined ? null : parseFilter(filterText, fields.filterable);
    const selection = readFields(query, fields.selectable);
    return { ok: true, value: { limit, offset, sort, filter, fields: selection } };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, error: error.response };
    throw error;
  }
}

/** `fields` alone, for a single-object read (GET …/users/{sourcedId} takes `fields` too). */
export function parseFieldSelection(query: Readonly<Record<string, unknown>>, selectable: readonly string[]): ParseResult<readonly string[] | null> {
  try {
    return { ok: true, value: readFields(query, selectable) };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, error: error.response };
    throw error;
  }
}

/** One occurrence of a parameter, or undefined when absent; empty or repeated is refused with the parameter's own code. */
function single(query: Readonly<Record<string, unknown>>, name: string, refuse: (description: string) => OneRosterErrorResponse): string | undefined {
  const raw = query[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw new Refusal(refuse(`Параметр ${name} задан больше одного раза или не строкой.`));
  if (raw === '') throw new Refusal(refuse(`Параметр ${name} задан пустым.`));
  return raw;
}

function readCount(query: Readonly<Record<string, unknown>>, name: 'limit' | 'offset', fallback: number, min: number, max: number): number {
  const raw = single(query, name, invalidData);
  if (raw === undefined) return fallback;
  const value = /^[0-9]+$/.test(raw) ? Number(raw) : NaN;
  if (Number.isNaN(value) || value < min) {
    throw new Refusal(invalidData(`Параметр ${name} должен быть целым числом не меньше ${min}, получено «${raw}».`));
  }
  if (value > max) throw new Refusal(invalidData(`Параметр ${name} не может быть больше ${max}, получено «${raw}».`));
  return value;
}

function readSort(query: Readonly<Record<string, unknown>>, sortable: Readonly<Record<string, FieldKind>>): SortPlan {
  const field = single(query, 'sort', invalidData);
  const order = single(query, 'orderBy', invalidData);
  if (order !== undefined && order !== 'asc' && order !== 'desc') {
    throw new Refusal(invalidData(`Параметр orderBy принимает asc или desc, получено «${order}».`));
  }
  const direction: SortDirection = order ?? 'asc';
  if (field === undefined) return { field: null, kind: 'string', direction };
  const kind = own(sortable, field);
  if (kind === undefined) {
    throw new Refusal(invalidData(`Сортировка по полю «${field}» невозможна; допустимы: ${Object.keys(sortable).join(', ') || 'нет'}.`));
  }
  return { field, kind, direction };
}

function readFields(query: Readonly<Record<string, unknown>>, selectable: readonly string[]): readonly string[] | null {
  const raw = query.fields;
  if (raw === undefined) return null;
  const parts = typeof raw === 'string' ? [raw] : Array.isArray(raw) && raw.every((part) => typeof part === 'string') ? (raw as string[]) : null;
  if (parts === null) throw new Refusal(invalidSelectionField('Параметр fields должен быть списком имён полей через запятую.'));
  const names: string[] = [];
  for (const name of parts
    .join(',')
    .split(',')
    .map((part) => part.trim())) {
    if (name === '') throw new Refusal(invalidSelectionField('Параметр fields содержит пустое имя поля.'));
    if (!selectable.includes(name)) {
      throw new Refusal(invalidSelectionField(`Поля «${name}» нет среди выбираемых; допустимы: ${selectable.join(', ')}.`));
    }
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** A key of the record itself, never of Object.prototype (`filter=constructor='x'` is just an unknown field). */
function own<V>(record: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/;
// Longest first, so `>=` is not read as `>` followed by a value starting with `=`.
const OPERATORS: readonly FilterOperator[] = ['>=', '<=', '!=', '=', '>', '<', '~'];

/** The spec's filter grammar, one character at a time (positions in messages are 1-based). */
export function parseFilter(text: string, filterable: Readonly<Record<string, FieldKind>>): FilterExpression {
  let at = 0;
  const fail: (description: string) => never = (description) => {
    throw new Refusal(invalidFilterField(`Фильтр «${text}»: ${description}`));
  };
  const skipSpaces = (): number => {
    const start = at;
    while (at < text.length && /\s/.test(text[at])) at++;
    return at - start;
  };

  const predicate = (): FilterPredicate => {
    const field = FIELD_PATH.exec(text.slice(at))?.[0];
    if (field === undefined) return fail(`в позиции ${at + 1} ожидается имя поля.`);
    const kind = own(filterable, field);
    if (kind === undefined) return fail(`по полю «${field}» фильтровать нельзя; допустимы: ${Object.keys(filterable).join(', ') || 'нет'}.`);
    at += field.length;
    skipSpaces();
    const operator = OPERATORS.find((candidate) => text.startsWith(candidate, at));
    if (operator === undefined) return fail(`в позиции ${at + 1} ожидается оператор сравнения (=, !=, >, >=, <, <=, ~).`);
    at += operator.length;
    skipSpaces();
    if (text[at] !== "'") fail(`в позиции ${at + 1} ожидается значение в одинарных кавычках.`);
    const opened = at;
    at++;
    let value = '';
    for (;;) {
      if (at >= text.length) fail(`кавычка в позиции ${opened + 1} не закрыта.`);
      if (text[at] === "'") {
        if (text[at + 1] !== "'") break;
        value += "'";
        at += 2;
      } else {
        value += text[at];
        at++;
      }
    }
    at++;
    return typed(field, kind, operator, value, fail);
  };

  skipSpaces();
  const first = predicate();
  const spaced = skipSpaces();
  if (at === text.length) return { logical: null, predicates: [first] };
  const logical = logicalAt(text, at);
  if (logical === null || spaced === 0) {
    const hint = /^(and|or)\b/i.test(text.slice(at)) ? ' AND и OR пишутся заглавными и отделяются пробелами.' : " Кавычка внутри значения удваивается ('').";
    return fail(`в позиции ${at + 1} ожидается AND, OR или конец фильтра.${hint}`);
  }
  at += logical.length;
  if (skipSpaces() === 0) fail(`после ${logical} в позиции ${at + 1} нужен пробел.`);
  const second = predicate();
  skipSpaces();
  if (at !== text.length) {
    if (logicalAt(text, at) !== null) fail('допускается только один логический оператор (AND или OR) — не больше двух условий.');
    fail(`в позиции ${at + 1} ожидается конец фильтра. Кавычка внутри значения удваивается ('').`);
  }
  return { logical, predicates: [first, second] };
}

function logicalAt(text: string, at: number): LogicalOperator | null {
  for (const logical of ['AND', 'OR'] as const) {
    const after = text[at + logical.length];
    if (text.startsWith(logical, at) && (after === undefined || /\s/.test(after))) return logical;
  }
  return null;
}

/** Checks the value against the field's kind and computes what record values are compared with. */
function typed(field: string, kind: FieldKind, operator: FilterOperator, value: string, fail: (description: string) => never): FilterPredicate {
  if (operator === '~' && kind !== 'string') fail(`оператор ~ (содержит) применим только к строковым полям, а «${field}» — ${KIND_NAMES[kind]}.`);
  switch (kind) {
    case 'string':
      return { field, kind, operator, value, operand: value };
    case 'number': {
      if (!/^[+-]?[0-9]+(?:\.[0-9]+)?$/.test(value)) fail(`поле «${field}» числовое, значение «${value}» не число.`);
      return { field, kind, operator, value, operand: Number(value) };
    }
    case 'date': {
      if (!isCalendarDate(value)) fail(`поле «${field}» — дата, значение «${value}» не дата вида ГГГГ-ММ-ДД.`);
      return { field, kind, operator, value, operand: value };
    }
    case 'dateTime': {
      const instant = isCalendarDate(value) ? parseInstant(`${value}T00:00:00Z`) : parseInstant(value);
      if (instant === null) {
        return fail(
          `поле «${field}» — момент времени, значение «${value}» не дата-время ISO 8601 с часовым поясом (например 2026-12-01T00:00:00Z) и не дата ГГГГ-ММ-ДД.`,
        );
      }
      return { field, kind, operator, value, operand: instant };
    }
  }
}

const KIND_NAMES: Record<FieldKind, string> = { string: 'строка', number: 'число', date: 'дата', dateTime: 'момент времени' };

const DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const DATE_TIME = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?(Z|[+-][0-9]{2}:[0-9]{2})$/;

/** A real calendar date written YYYY-MM-DD (2026-02-30 is not). */
export function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  return match !== null && validDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

/**
 * Epoch milliseconds of an ISO 8601 date-time with Z or an offset, or null. No zone is refused: Date.parse would
 * read it in the server's own zone. Fractions beyond milliseconds are cut.
 */
export function parseInstant(text: string): number | null {
  const match = DATE_TIME.exec(text);
  if (match === null) return null;
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(match[i]));
  const second = Number(match[6] ?? 0);
  const millis = Number((match[7] ?? '').padEnd(3, '0').slice(0, 3));
  if (!validDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return null;
  const zone = match[8];
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const [zoneHours, zoneMinutes] = zone.slice(1).split(':').map(Number);
    if (zoneHours > 23 || zoneMinutes > 59) return null;
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (zoneHours * 60 + zoneMinutes);
  }
  return utc(year, month, day, hour, minute, second, millis) - offsetMinutes * 60_000;
}

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is the last day of this one.
  return day <= new Date(utc(year, month + 1, 0, 0, 0, 0, 0)).getUTCDate();
}

/** Date.UTC without its quirk of reading years 0–99 as 1900–1999. */
function utc(year: number, month: number, day: number, hour: number, minute: number, second: number, millis: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  return date.getTime();
}
