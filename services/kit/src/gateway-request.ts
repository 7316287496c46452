/**
 * One GraphQL request to the district's gateway, for the services that ask
 * the schools through its school router (monitoring's collection and
 * progress, identity's people reads, the portal's questions). Each caller
 * reads the answer by its own rules; what they share is how a request is
 * sent and what "the gateway did not answer" is.
 */

export interface GatewayAnswer<T> {
  /** The HTTP status of the gateway's answer. */
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; schoolId?: string; [key: string]: unknown } }[];
}

export interface GatewayRequest {
  /** The whole Authorization header: the caller's own, or `Bearer <a service account's token>`. */
  authorization: string;
  query: string;
  variables?: Record<string, unknown>;
  /** Carried into the gateway's and the subgraphs' log lines. */
  requestId?: string;
  /** X-Client-Name: which service asks. */
  client?: string;
  timeoutMs: number;
}

/** The gateway gave no answer: no address yet, no connection, no answer in time, or a body that is not GraphQL's JSON. */
export class GatewayUnreachable extends Error {
  override readonly name = 'GatewayUnreachable';
  constructor(
    readonly reason: 'not configured' | 'timeout' | 'unreachable',
    message: string,
  ) {
    super(message);
  }
}

export async function askGateway<T>(url: string | undefined, request: GatewayRequest): Promise<GatewayAnswer<T>> {
  if (!url) throw new GatewayUnreachable('not configured', 'the gateway address is not configured (GATEWAY_URL) or the gateway has not started');
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: request.authorization,
        ...(request.requestId ? { 'x-request-id': request.requestId } : {}),
        ...(request.client ? { 'x-client-name': request.client } : {}),
      },
      body: JSON.stringify({ query: request.query, variables: request.variables ?? {} }),
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    return { status: response.status, ...((await response.json()) as Omit<GatewayAnswer<T>, 'status'>) };
  } catch (error) {
    const e = error as Error;
    // By name, not instanceof: fetch's errors may come from another realm (a test runner's sandbox).
    if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new GatewayUnreachable('timeout', 'the gateway did not answer in time');
    throw new GatewayUnreachable('unreachable', `the gateway did not answer: ${e.message}`);
  }
}
