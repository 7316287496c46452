import { randomUUID } from 'node:crypto';
import { ClientCredentials, reason } from './client-credentials';
import type { PortalDiaryQuery, PortalDiaryQueryVariables, PortalProgressQuery, PortalProgressQueryVariables } from './generated/graphql';
import { PERSISTED_OPERATIONS } from './generated/persisted-operations';
import { PortalRefusal } from './portal-refusal';

export { PortalRefusal, type PortalRefusalCode } from './portal-refusal';

export interface PortalClientOptions {
  /** The district gateway's GraphQL endpoint, e.g. http://localhost:4000/graphql. */
  gatewayUrl: string;
  /** Keycloak's token endpoint of the district realm. */
  tokenUrl: string;
  /** The portal's confidential client (realm role `portal`), e.g. state-portal. */
  clientId: string;
  clientSecret: string;
  /** Another fetch (a proxy agent, a test's stand-in); the global one by default. */
  fetch?: typeof fetch;
  /** How long one HTTP request may take (default 30 s; the platform asks every school within 15 s). */
  timeoutMs?: number;
  /** Sent as X-Client-Name: how the platform's request log names this caller. */
  clientName?: string;
}

/** The child as the applicant named them: by SNILS (preferred), or by surname, name and birth date. */
export type PortalChild = { snils: string } | { lastName: string; firstName: string; birthDate: string };

interface Question {
  /** The applicant's SNILS as the portal verified it (11 digits; spaces and dashes allowed). */
  applicantSnils: string;
  child: PortalChild;
  /** The portal's own reference, 1–64 of A–Z a–z 0–9 _ . - (X-Request-Id); generated when omitted. */
  requestId?: string;
}

export interface ProgressQuestion extends Question {
  /** YYYY-MM-DD, both days inclusive, at most 366 days apart. */
  from: string;
  to: string;
}

export interface DiaryQuestion extends Question {
  /** Any day of the week, YYYY-MM-DD: the diary is of the week (from Monday) holding it. */
  weekStart: string;
}

export type PortalProgress = PortalProgressQuery['portalProgress'];
export type PortalDiary = PortalDiaryQuery['portalDiary'];

const REQUEST_ID = /^[A-Za-z0-9_.-]{1,64}$/;

type Operation = (typeof PERSISTED_OPERATIONS)[keyof typeof PERSISTED_OPERATIONS];

interface GraphQLAnswer {
  data?: Record<string, unknown> | null;
  errors?: { message?: unknown; extensions?: { code?: unknown; retryable?: unknown; retryAfterSeconds?: unknown; problems?: unknown } }[];
}

/**
 * The state services portal's client of the district platform: asks only
 * the persisted operations (by their hash: the gateway runs nothing else for
 * the portal), with the portal's own client-credentials token, and answers
 * typed data or throws a PortalRefusal.
 */
export class PortalClient {
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;
  private readonly credentials: ClientCredentials;

  constructor(private readonly options: PortalClientOptions) {
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.credentials = new ClientCredentials({ ...options, fetch: this.fetch, timeoutMs: this.timeoutMs });
  }

  /** The child's marks by subject with averages, attendance and term grades for a period, when the applicant is their guardian. */
  async progress(question: ProgressQuestion): Promise<PortalProgress> {
    const variables: PortalProgressQueryVariables = { ...this.identities(question), from: question.from, to: question.to };
    return this.ask<PortalProgressQuery, 'portalProgress'>(PERSISTED_OPERATIONS.PortalProgress, 'portalProgress', variables, question.requestId);
  }

  /** The child's diary (lessons, topics, homework, marks, attendance) for the week holding `weekStart`. */
  async diary(question: DiaryQuestion): Promise<PortalDiary> {
    const variables: PortalDiaryQueryVariables = { ...this.identities(question), weekStart: question.weekStart };
    return this.ask<PortalDiaryQuery, 'portalDiary'>(PERSISTED_OPERATIONS.PortalDiary, 'portalDiary', variables, question.requestId);
  }

  private identities(question: Question): Pick<PortalProgressQueryVariables, 'applicant' | 'child'> {
    return { applicant: { snils: question.applicantSnils }, child: { ...question.child } };
  }

  private async ask<Data, Field extends keyof Data>(
    operation: Operation,
    field: Field,
    variables: object,
    requestId: string = randomUUID(),
  ): Promise<Data[Field]> {
    if (!REQUEST_ID.test(requestId)) {
      throw new PortalRefusal('BAD_USER_INPUT', 'Номер запроса (X-Request-Id): от 1 до 64 символов A–Z, a–z, 0–9, «_», «.», «-»', { problems: ['requestId'] });
    }
    const body = JSON.stringify({ operationName: operation.name, variables, extensions: { persistedQuery: { version: 1, sha256Hash: operation.id } } });
    let token = await this.credentials.token();
    let response = await this.post(body, token, requestId);
    if (response.status === 401) {
      // Once: a token the gateway no longer accepts is replaced; a second 401 is the answer.
      this.credentials.reject(token);
      await response.body?.cancel();
      token = await this.credentials.token();
      response = await this.post(body, token, requestId);
    }
    const data = await this.read(response, operation, requestId);
    const answer = data[field as string];
    if (answer && typeof answer === 'object') return answer as Data[Field];
    return fail('BAD_ANSWER', `Шлюз района ответил на ${operation.name} без ${String(field)}`, { requestId, status: response.status });
  }

  private async post(body: string, token: string, requestId: string): Promise<Response> {
    try {
      return await this.fetch(this.options.gatewayUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          authorization: `Bearer ${token}`,
          'x-request-id': requestId,
          'x-client-name': this.options.clientName ?? 'district-portal-client',
        },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new PortalRefusal('UNREACHABLE', `Шлюз района ${this.options.gatewayUrl} не отвечает: ${reason(error)}`, { requestId });
    }
  }

  /** The answer's data, or the refusal its first error (or its HTTP status) stands for. */
  private async read(response: Response, operation: Operation, requestId: string): Promise<Record<string, unknown>> {
    const { status } = response;
    const text = await response.text().catch(() => '');
    let answer: GraphQLAnswer | undefined;
    try {
      answer = JSON.parse(text) as GraphQLAnswer;
    } catch {
      answer = undefined;
    }
    const retryAfterSeconds = retryAfter(response.headers.get('retry-after'));
    const [error] = answer?.errors ?? [];
    if (error) {
      const extensions = error.extensions ?? {};
      const code = typeof extensions.code === 'string' ? extensions.code : status === 429 ? 'RATE_LIMITED' : 'BAD_ANSWER';
      const problems = Array.isArray(extensions.problems)
        ? extensions.problems.map((p: { field?: unknown }) => p?.field).filter((f): f is string => typeof f === 'string')
        : [];
      return fail(code, typeof error.message === 'string' ? error.message : `Отказ ${code}`, {
        ...(typeof extensions.retryable === 'boolean' ? { retryable: extensions.retryable } : {}),
        retryAfterSeconds: typeof extensions.retryAfterSeconds === 'number' ? extensions.retryAfterSeconds : retryAfterSeconds,
        problems,
        requestId,
        status,
      });
    }
    if (status === 429) return fail('RATE_LIMITED', 'Слишком много запросов портала', { retryAfterSeconds, requestId, status });
    const data = answer?.data;
    if (status === 200 && data && typeof data === 'object') return data;
    return fail('BAD_ANSWER', `Шлюз района ответил на ${operation.name} не данными GraphQL (HTTP ${status})`, {
      retryable: status >= 500,
      retryAfterSeconds,
      requestId,
      status,
    });
  }
}

function fail(...args: ConstructorParameters<typeof PortalRefusal>): never {
  throw new PortalRefusal(...args);
}

/** Retry-After in seconds: a number of seconds or an HTTP date. */
function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}
