import type { ApolloServerPlugin } from '@apollo/server';
import { tryParseGlobalId } from '@district/kit';
import { Kind, visit, type DocumentNode } from 'graphql';
import type { GatewayContext } from './context';

export interface DiaryOpen {
  personId: string;
  role: 'student' | 'parent';
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
        signal: AbortSignal.timeout(10_000),
      });
      const body = (await response.json()) as { errors?: { message: string }[] };
      if (!response.ok || body.errors?.length) throw new Error(body.errors?.[0]?.message ?? `HTTP ${response.status}`);
      for (const [key] of batch) this.buffer.delete(key);
    } catch (error) {
      this.options.log?.(`diary views not sent yet (${this.buffer.size} kept): ${(error as Error).message}`);
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }
}

/** Does the operation read a diary (`diary` at the root or on a Student)? */
export function readsDiary(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (node.name.value === 'diary') found = true;
    },
  });
  return found;
}

/** Schools of the Student ids the operation names (variables or literals): the diaries that were opened. */
export function diarySchools(document: DocumentNode, variables: Record<string, unknown> | undefined): string[] {
  const schools = new Set<string>();
  const consider = (value: unknown): void => {
    if (typeof value === 'string') {
      const id = tryParseGlobalId(value);
      if (id?.type === 'Student') schools.add(id.schoolId);
    } else if (Array.isArray(value)) value.forEach(consider);
    else if (value && typeof value === 'object') Object.values(value).forEach(consider);
  };
  consider(variables);
  visit(document, {
    StringValue(node) {
      consider(node.value);
    },
  });
  return [...schools];
}

/** Records a diary view after a response that carried data, for students and parents with a person id. */
export function diaryOpensPlugin(recorder: DiaryOpenRecorder): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ document, request, response, contextValue }) {
          const { viewer } = contextValue;
          if (!document || !viewer?.personId || response.body.kind !== 'single' || !response.body.singleResult.data) return;
          const role = viewer.has('student') ? 'student' : viewer.has('parent') ? 'parent' : undefined;
          if (!role || !document.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === 'query') || !readsDiary(document)) return;
          const named = diarySchools(document, request.variables);
          const schools = named.length ? named : viewer.schoolIds;
          const openedAt = new Date().toISOString();
          for (const schoolId of schools) recorder.record({ personId: viewer.personId, role, schoolId, openedAt });
        },
      };
    },
  };
}
