import { RemoteGraphQLDataSource, type GraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import { schoolOf, ErrorCode } from '@district/kit';
import {
  getNullableType,
  isListType,
  Kind,
  parse,
  print,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type OperationDefinitionNode,
  type ValueNode,
} from 'graphql';
import type { GatewayContext } from './context';
import type { SchoolDirectory, SchoolSubgraph } from './school-directory';
import type { SubgraphCalls } from './subgraph-calls';
import { deadlineFetcher } from './deadline-fetcher';

type Response = { data?: Record<string, unknown> | null; errors?: GraphQLFormattedError[]; extensions?: Record<string, unknown> };
type Variables = Record<string, unknown>;
type ProcessOptions = GraphQLDataSourceProcessOptions<GatewayContext>;

const ROUTING_ARGUMENTS = ['schoolId', 'id'];

/**
 * The school router: the gateway's data source for a per-school subgraph.
 * One supergraph cannot hold N copies of a subgraph, so this source knows every
 * school's instance (from the registry) and:
 *  - splits an `_entities` fetch by the school each representation belongs to,
 *    sends the parts in parallel and puts the answers back in the original order;
 *  - sends a root field to the school it names (`schoolId`, or an ID carrying
 *    the school) and fans a field that names none out to every school the
 *    viewer may reach, concatenating list answers in school order;
 *  - never calls a school the viewer may not reach (FORBIDDEN instead);
 *  - gives each school call a timeout: a school that is down or slow yields an
 *    error naming it (`extensions.schoolId`) and the others' data.
 */
export class SchoolRouter implements GraphQLDataSource<GatewayContext> {
  private readonly sources = new Map<string, RemoteGraphQLDataSource<GatewayContext>>();
  private readonly documents = new Map<string, DocumentNode>();

  constructor(
    private readonly subgraph: SchoolSubgraph,
    private readonly directory: SchoolDirectory,
    private readonly timeoutMs: number,
    /** Counts and times each school call (metrics by subgraph, school, outcome); none in tests that use the router alone. */
    private readonly calls?: SubgraphCalls,
  ) {}

  async process(options: ProcessOptions): Promise<Response> {
    if (options.kind !== GraphQLDataSourceRequestKind.INCOMING_OPERATION) {
      return { errors: [{ message: `${this.subgraph} is routed per school and has no single instance` }] };
    }
    const document = this.parse(options.request.query ?? '');
    const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    if (!operation) return { errors: [{ message: 'No operation to route' }] };
    const fields = operation.selectionSet.selections;
    if (fields.length === 1 && fields[0]!.kind === Kind.FIELD && fields[0]!.name.value === '_entities') return this.entities(options);
    return this.rootFields(options, document, operation);
  }

  private parse(query: string): DocumentNode {
    let document = this.documents.get(query);
    if (!document) {
      document = parse(query);
      if (this.documents.size > 2_000) this.documents.clear();
      this.documents.set(query, document);
    }
    return document;
  }

  // ---- _entities: split by school, reassemble in order -------------------

  private async entities(options: ProcessOptions): Promise<Response> {
    const variables = (options.request.variables ?? {}) as Variables;
    const representations = (variables.representations ?? []) as { __typename: string; id?: unknown }[];
    const results: unknown[] = new Array(representations.length).fill(null);
    const errors: GraphQLFormattedError[] = [];
    const bySchool = new Map<string, number[]>();
    representations.forEach((rep, index) => {
      const school = schoolOf(rep.id);
      if (!school) {
        errors.push({
          message: `Не удалось определить школу объекта ${rep.__typename}`,
          path: ['_entities', index],
          extensions: { code: ErrorCode.InvalidInput },
        });
        return;
      }
      const list = bySchool.get(school);
      if (list) list.push(index);
      else bySchool.set(school, [index]);
    });

    await Promise.all(
      [...bySchool].map(async ([schoolId, indices]) => {
        const answer = await this.send(options, schoolId, { ...variables, representations: indices.map((i) => representations[i]) }, options.request.query!);
        const entities = (answer.data?._entities ?? []) as unknown[];
        indices.forEach((original, j) => (results[original] = entities[j] ?? null));
        for (const error of answer.errors ?? []) {
          const path =
            error.path && error.path[0] === '_entities' && typeof error.path[1] === 'number'
              ? ['_entities', indices[error.path[1]] ?? error.path[1], ...error.path.slice(2)]
              : error.path;
          errors.push({ ...error, ...(path ? { path } : {}) });
        }
      }),
    );
    return { data: { _entities: results }, ...(errors.length ? { errors } : {}) };
  }

  // ---- root fields: by named school, or fanned out ---------------------

  private async rootFields(options: ProcessOptions, document: DocumentNode, operation: OperationDefinitionNode): Promise<Response> {
    const variables = (options.request.variables ?? {}) as Variables;
    const rootType = operation.operation === 'mutation' ? 'Mutation' : 'Query';
    const data: Record<string, unknown> = {};
    const errors: GraphQLFormattedError[] = [];
    const named = new Map<string, FieldNode[]>();
    const fanOut: FieldNode[] = [];

    for (const selection of operation.selectionSet.selections) {
      if (selection.kind !== Kind.FIELD) {
        return { errors: [{ message: 'Fragments at the root of a school subgraph fetch are not supported', extensions: { code: ErrorCode.InvalidInput } }] };
      }
      const key = selection.alias?.value ?? selection.name.value;
      if (selection.name.value === '__typename') {
        data[key] = rootType;
        continue;
      }
      const schoolId = this.schoolNamedBy(selection, variables);
      if (schoolId) named.set(schoolId, [...(named.get(schoolId) ?? []), selection]);
      else if (operation.operation === 'mutation') {
        data[key] = null;
        errors.push({
          message: `Изменение ${selection.name.value} должно указывать школу (schoolId или идентификатор объекта)`,
          path: [key],
          extensions: { code: ErrorCode.InvalidInput },
        });
      } else fanOut.push(selection);
    }

    const targets = new Map<string, FieldNode[]>(named);
    const fanOutSchools = fanOut.length ? this.directory.reachable(options.context.viewer, this.subgraph) : [];
    for (const schoolId of fanOutSchools) targets.set(schoolId, [...(targets.get(schoolId) ?? []), ...fanOut]);

    const answers = await Promise.all(
      [...targets].map(async ([schoolId, schoolFields]) => {
        const query =
          targets.size === 1 && schoolFields.length === operation.selectionSet.selections.length
            ? options.request.query!
            : subOperation(document, operation, schoolFields);
        return { schoolId, answer: await this.send(options, schoolId, variables, query) };
      }),
    );
    const order = [...answers].sort((a, b) => a.schoolId.localeCompare(b.schoolId));
    for (const { schoolId, answer } of order) {
      for (const field of targets.get(schoolId)!) {
        const key = field.alias?.value ?? field.name.value;
        const value = answer.data ? answer.data[key] : undefined;
        if (!fanOut.includes(field)) data[key] = value ?? null;
        else if (Array.isArray(value)) data[key] = [...((data[key] as unknown[] | undefined) ?? []), ...value];
        else if (data[key] === undefined || data[key] === null) data[key] = value ?? null;
      }
      for (const error of answer.errors ?? []) {
        const isFanOutError = typeof error.path?.[0] === 'string' && fanOut.some((f) => (f.alias?.value ?? f.name.value) === error.path![0]);
        // A failure in one school must not null out a fanned-out list the other schools filled.
        errors.push(isFanOutError && error.path!.length === 1 ? { ...error, path: undefined } : error);
      }
    }
    // A fanned-out list no school answered (none reachable, or all down) is an empty list; any other field stays null.
    const schema = options.kind === GraphQLDataSourceRequestKind.INCOMING_OPERATION ? options.incomingRequestContext.schema : undefined;
    const rootFieldsOfSchema = (operation.operation === 'mutation' ? schema?.getMutationType() : schema?.getQueryType())?.getFields();
    for (const field of fanOut) {
      const key = field.alias?.value ?? field.name.value;
      const type = rootFieldsOfSchema?.[field.name.value]?.type;
      if ((data[key] === undefined || data[key] === null) && type && isListType(getNullableType(type))) data[key] = [];
      else if (data[key] === undefined) data[key] = null;
    }
    return { data, ...(errors.length ? { errors } : {}) };
  }

  /** The school a root field names through `schoolId` or an ID argument, if any. */
  private schoolNamedBy(field: FieldNode, variables: Variables): string | undefined {
    const args = new Map((field.arguments ?? []).map((a) => [a.name.value, a.value]));
    const candidates = [...ROUTING_ARGUMENTS, ...[...args.keys()].filter((n) => n.endsWith('Id') && !ROUTING_ARGUMENTS.includes(n))];
    for (const name of candidates) {
      const node = args.get(name);
      const school = node ? schoolOf(valueOf(node, variables)) : undefined;
      if (school) return school;
    }
    return undefined;
  }

  // ---- one school call ---------------------------------------------------

  private async send(options: ProcessOptions, schoolId: string, variables: Variables, query: string): Promise<Response> {
    const { viewer } = options.context;
    if (!viewer.canReachSchool(schoolId)) {
      return { errors: [{ message: `Нет доступа к данным школы ${schoolId}`, extensions: { code: ErrorCode.Forbidden, schoolId } }] };
    }
    const url = await this.directory.urlOf(schoolId, this.subgraph);
    if (!url) {
      return {
        errors: [
          { message: `Школа ${schoolId} не зарегистрирована в округе или не подключила ${this.subgraph}`, extensions: { code: ErrorCode.NotFound, schoolId } },
        ],
      };
    }
    try {
      const call = () =>
        this.sourceFor(url).process({ ...options, request: { query, variables, operationName: options.request.operationName } } as ProcessOptions);
      const response = await (this.calls ? this.calls.observe(this.subgraph, schoolId, options.context, call) : call());
      return { ...response, errors: response.errors?.map((e) => ({ ...e, extensions: { ...e.extensions, schoolId } })) };
    } catch (error) {
      const reason = (error as Error).name === 'TimeoutError' ? `нет ответа за ${this.timeoutMs} мс` : (error as Error).message;
      return { errors: [{ message: `Школа ${schoolId} недоступна: ${reason}`, extensions: { code: ErrorCode.SchoolUnavailable, schoolId } }] };
    }
  }

  private sourceFor(url: string): RemoteGraphQLDataSource<GatewayContext> {
    let source = this.sources.get(url);
    if (!source) {
      const timeoutMs = this.timeoutMs;
      source = new RemoteGraphQLDataSource<GatewayContext>({
        url,
        // No retries (mutations must not be doubled) and a hard per-school deadline.
        fetcher: deadlineFetcher(timeoutMs),
        willSendRequest({ request, context }) {
          request.http?.headers.set('authorization', `Bearer ${context.token}`);
          request.http?.headers.set('x-request-id', context.requestId);
          request.http?.headers.set('x-client-name', context.client);
        },
      });
      this.sources.set(url, source);
    }
    return source;
  }
}

function valueOf(node: ValueNode, variables: Variables): unknown {
  if (node.kind === Kind.VARIABLE) return variables[node.name.value];
  if (node.kind === Kind.STRING) return node.value;
  return undefined;
}

/** An operation holding only some root fields, with just the variables and fragments they use. */
function subOperation(document: DocumentNode, operation: OperationDefinitionNode, fields: FieldNode[]): string {
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  const usedVariables = new Set<string>();
  const usedFragments = new Set<string>();
  const collect = (node: FieldNode | FragmentDefinitionNode) =>
    visit(node, {
      Variable: (v) => void usedVariables.add(v.name.value),
      FragmentSpread: (s) => {
        if (usedFragments.has(s.name.value)) return;
        usedFragments.add(s.name.value);
        const fragment = fragments.get(s.name.value);
        if (fragment) collect(fragment);
      },
    });
  fields.forEach(collect);
  const op: OperationDefinitionNode = {
    ...operation,
    variableDefinitions: operation.variableDefinitions?.filter((v) => usedVariables.has(v.variable.name.value)),
    selectionSet: { ...operation.selectionSet, selections: fields },
  };
  return print({ kind: Kind.DOCUMENT, definitions: [op, ...[...usedFragments].flatMap((n) => (fragments.has(n) ? [fragments.get(n)!] : []))] });
}
