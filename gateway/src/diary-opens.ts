import type { ApolloGateway } from '@apollo/gateway';
import { diaryReaderKind, tryParseGlobalId, type DiaryReaderKind } from '@district/kit';
import { createHash } from 'node:crypto';
import {
  getNamedType,
  Kind,
  visit,
  type DocumentNode,
  type FieldNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { GatewayContext } from './context';

export interface DiaryOpen {
  personId: string;
  role: DiaryReaderKind;
  schoolId: string;
  openedAt: string;
}

export interface DiaryOpenRecorderOptions {
  monitoringUrl: string;
  token: () => Promise<string>;
  /** How often the buffer is sent to monitoring (default 5 s). */
  flushMs?: number;
  log?: (message: string) => void;
}

const MUTATION = 'mutation RecordDiaryOpens($opens: [DiaryOpenInput!]!) { recordDiaryOpens(opens: $opens) }';
/** Kept while monitoring is unreachable, then the oldest are dropped: diary use is a statistic, not a record. */
const MAX_BUFFER = 50_000;

/**
 * Diary views for the district's monitoring ("share of students and parents
 * who opened the diary"). Only the pseudonymous person id from the token, the
 * role, the diary's school and the time leave the gateway; views are batched
 * and sent to monitoring, which keeps one row per person, school and month.
 */
export class DiaryOpenRecorder {
  private buffer = new Map<string, DiaryOpen>();
  private timer?: NodeJS.Timeout;
  private sending?: Promise<void>;
  private readonly stopping = new AbortController();

  constructor(private readonly options: DiaryOpenRecorderOptions) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.options.flushMs ?? 5_000);
    this.timer.unref();
  }

  record(open: DiaryOpen): void {
    // One view per person, school and day is all the monthly share needs.
    const key = `${open.personId}|${open.schoolId}|${open.role}|${open.openedAt.slice(0, 10)}`;
    if (this.buffer.has(key)) return;
    if (this.buffer.size >= MAX_BUFFER) this.buffer.delete(this.buffer.keys().next().value!);
    this.buffer.set(key, open);
  }

  get pending(): number {
    return this.buffer.size;
  }

  /** The views waiting to be sent, oldest first. */
  get pendingOpens(): DiaryOpen[] {
    return [...this.buffer.values()];
  }

  /** Sends what is buffered (after any send in flight); on failure it stays buffered for the next try. */
  async flush(): Promise<void> {
    while (this.sending) await this.sending;
    if (this.buffer.size === 0) return;
    this.sending = this.send().finally(() => {
      this.sending = undefined;
    });
    await this.sending;
  }

  private async send(): Promise<void> {
    const batch = [...this.buffer.entries()].slice(0, 1000);
    try {
      const response = await fetch(this.options.monitoringUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await this.options.token()}` },
        body: JSON.stringify({ query: MUTATION, variables: { opens: batch.map(([, open]) => open) } }),
        signal: AbortSignal.any([AbortSignal.timeout(10_000), this.stopping.signal]),
      });
      const body = (await response.json()) as { errors?: { message: string }[] };
      if (!response.ok || body.errors?.length) throw new Error(body.errors?.[0]?.message ?? `HTTP ${response.status}`);
      for (const [key] of batch) this.buffer.delete(key);
    } catch (error) {
      this.options.log?.(`diary views not sent yet (${this.buffer.size} kept): ${(error as Error).message}`);
    }
  }

  /** Stops the timer and sends what is left, giving up after `deadlineMs` so a down monitoring cannot hold a stopping gateway. */
  async stop(deadlineMs = 1_500): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    let deadline: NodeJS.Timeout | undefined;
    const expired = new Promise<void>((resolve) => (deadline = setTimeout(resolve, deadlineMs)));
    await Promise.race([this.flush(), expired.then(() => this.stopping.abort())]);
    clearTimeout(deadline);
  }
}

type GatewayExecutor = Awaited<ReturnType<ApolloGateway['load']>>['executor'];
type ExecutionRequest = Parameters<GatewayExecutor>[0];

/** Aliases the gateway adds to a Student selection holding `diary`; the number tells which selection it is. */
const OWNER_ALIAS = '_gwDiaryOwner';

/** How a document's diaries are found in its answer. */
interface DiaryPlan {
  /** The document actually executed: the client's, with `<OWNER_ALIAS>N: id` beside each Student's `diary`. */
  document: DocumentNode;
  queryHash: string;
  /** Owner alias → the response keys of the `diary` fields in that same selection. */
  owners: Map<string, string[]>;
  /** Root `diary(studentId:)` fields: response key and the argument naming the student. */
  roots: { key: string; studentId: ValueNode | undefined }[];
}

/**
 * Records a diary view for each diary actually returned to a student or a
 * parent, attributed to the student it belongs to, and only in schools the
 * viewer may reach. Variables, unused arguments and refused diaries count for
 * nothing: the answer is what is read.
 *
 * A `Student.diary` is attributed through its parent object's id. A client
 * need not select `id`, so the gateway adds an aliased `id` beside every such
 * `diary` in the document it executes (each Student selection holding a diary
 * gets its own alias, so no guessing which diary a given id belongs to) and
 * removes those aliases from the answer before it leaves. A root
 * `diary(studentId:)` counts by its argument, and only when it came back.
 */
export function recordingDiaryOpens(executor: GatewayExecutor, recorder: DiaryOpenRecorder): GatewayExecutor {
  const plans = new Map<string, DiaryPlan | null>();
  return async (request) => {
    const context = request.context as GatewayContext;
    const viewer = context.viewer;
    const role = viewer ? diaryReaderKind(viewer) : undefined;
    if (!role || !viewer.personId || request.operation?.operation !== 'query') return executor(request);

    const planKey = `${request.queryHash}|${request.operationName ?? ''}`;
    let plan = plans.get(planKey);
    if (plan === undefined) {
      plan = diaryPlan(request.schema, request.source, request.document, request.operation, request.queryHash);
      if (plans.size >= 1_000) plans.clear();
      plans.set(planKey, plan);
    }
    if (!plan) return executor(request);

    const result = await executor({ ...request, document: plan.document, queryHash: plan.queryHash } as ExecutionRequest);
    const students = new Set<string>();
    if (result.data) {
      collectOwners(result.data, plan.owners, students);
      for (const { key, studentId } of plan.roots) {
        const id =
          studentId?.kind === Kind.VARIABLE ? request.request.variables?.[studentId.name.value] : studentId?.kind === Kind.STRING ? studentId.value : undefined;
        if (isObject(result.data[key]) && typeof id === 'string') students.add(id);
      }
    }
    const schools = new Set<string>();
    for (const id of students) {
      const parsed = tryParseGlobalId(id);
      if (parsed?.type === 'Student' && viewer.canReachSchool(parsed.schoolId)) schools.add(parsed.schoolId);
    }
    const openedAt = new Date().toISOString();
    for (const schoolId of schools) recorder.record({ personId: viewer.personId, role, schoolId, openedAt });
    return result;
  };
}

/** Where the executed operation reads diaries, and the document that lets their owners be found; null when it reads none. */
function diaryPlan(schema: GraphQLSchema, source: string, document: DocumentNode, operation: OperationDefinitionNode, queryHash: string): DiaryPlan | null {
  // A client using the gateway's alias itself would confuse attribution; such a document records nothing.
  if (source.includes(OWNER_ALIAS)) return null;
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const studentSelections = new Map<SelectionSetNode, string[]>();
  const roots: DiaryPlan['roots'] = [];
  const walked = new Set<SelectionSetNode>();
  const walk = (set: SelectionSetNode, type: GraphQLNamedType | null | undefined, atRoot: boolean): void => {
    // Every selection set has one type whatever the path to it, so each is looked at once.
    if (walked.has(set)) return;
    walked.add(set);
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        if (selection.name.value === 'diary' && type?.name === 'Student') studentSelections.set(set, [...(studentSelections.get(set) ?? []), key]);
        else if (selection.name.value === 'diary' && atRoot) roots.push({ key, studentId: argument(selection, 'studentId') });
        const field = type && 'getFields' in type ? type.getFields()[selection.name.value] : undefined;
        if (selection.selectionSet && field) walk(selection.selectionSet, getNamedType(field.type), false);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type, atRoot);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value), atRoot);
      }
    }
  };
  walk(operation.selectionSet, schema.getQueryType(), true);
  if (!studentSelections.size && !roots.length) return null;
  if (!studentSelections.size) return { document, queryHash, owners: new Map(), roots };

  const owners = new Map<string, string[]>();
  const rewritten = visit(document, {
    SelectionSet(node) {
      const keys = studentSelections.get(node);
      if (!keys) return undefined;
      const alias = `${OWNER_ALIAS}${owners.size}`;
      owners.set(alias, keys);
      const owner: FieldNode = { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: alias }, name: { kind: Kind.NAME, value: 'id' } };
      return { ...node, selections: [...node.selections, owner] };
    },
  });
  // The gateway caches query plans by this hash: the rewritten document needs its own.
  return { document: rewritten, queryHash: createHash('sha256').update(queryHash).update('|diary-owners').digest('hex'), owners, roots };
}

/** Finds each Student object carrying an owner alias, notes it when one of its diaries came back, and takes the alias out of the answer. */
function collectOwners(value: unknown, owners: Map<string, string[]>, students: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectOwners(item, owners, students);
    return;
  }
  if (!isObject(value)) return;
  for (const key of Object.keys(value)) {
    const diaryKeys = owners.get(key);
    if (diaryKeys) {
      const id = value[key];
      delete value[key];
      if (typeof id === 'string' && diaryKeys.some((k) => isObject(value[k]))) students.add(id);
    } else collectOwners(value[key], owners, students);
  }
}

function argument(field: FieldNode, name: string): ValueNode | undefined {
  return field.arguments?.find((a) => a.name.value === name)?.value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
