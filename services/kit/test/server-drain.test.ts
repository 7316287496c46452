import { GraphQLInt, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { request as httpRequest, Agent } from 'node:http';
import { authSettings, startSubgraphServer, TokenVerifier, type RunningServer } from '../src';
import { keycloakUrl, tokenFor } from '../src/testing';

/**
 * A subgraph server stopping under load: the request in flight finishes,
 * readiness is false at once, a new request gets a retryable 503, idle
 * keep-alive connections do not hold the stop, and a stuck request is cut
 * after the drain time.
 */

/** A resolver that runs until the test opens its gate. */
class Gate {
  entered!: Promise<void>;
  private enter!: () => void;
  private release!: () => void;
  private opened!: Promise<void>;
  constructor() {
    this.reset();
  }
  reset(): void {
    this.entered = new Promise((r) => (this.enter = r));
    this.opened = new Promise((r) => (this.release = r));
  }
  async pass(): Promise<void> {
    this.enter();
    await this.opened;
  }
  open(): void {
    this.release();
  }
}

const gate = new Gate();
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      ping: { type: GraphQLString, resolve: () => 'pong' },
      slow: {
        type: GraphQLString,
        args: { n: { type: new GraphQLNonNull(GraphQLInt) } },
        resolve: async (_: unknown, { n }: { n: number }) => {
          await gate.pass();
          return `done ${n}`;
        },
      },
    },
  }),
});

const verifier = new TokenVerifier(authSettings(keycloakUrl(), 'district', 'district-api'));
let token: string;
beforeAll(async () => {
  token = await tokenFor('s001.teacher');
});

async function start(drainMs?: number): Promise<RunningServer> {
  return startSubgraphServer({ name: 'drain-test', schema, verifier, production: false, context: () => ({}), drainMs, log: () => undefined }, 0);
}

/** A POST on a keep-alive agent (like the gateway's connection pool), answered as status, headers and body. */
function post(url: string, query: string, agent: Agent): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: JSON.parse(text) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(JSON.stringify({ query }));
  });
}

describe('closing a subgraph server', () => {
  it('lets the request in flight finish, answers /health 503 and new requests a retryable SERVICE_STOPPING at once, and closes keep-alive connections', async () => {
    const server = await start();
    const agent = new Agent({ keepAlive: true });
    try {
      // An idle keep-alive connection (from a finished request) and one busy with a slow request.
      expect((await post(server.url, '{ ping }', agent)).body).toEqual({ data: { ping: 'pong' } });
      gate.reset();
      const inFlight = post(server.url, '{ slow(n: 1) }', agent);
      await gate.entered;

      const closing = server.close();
      let closed = false;
      void closing.then(() => (closed = true));

      const health = await fetch(server.url.replace('/graphql', '/health'));
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({ status: 'stopping', service: 'drain-test' });

      const refused = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ ping }' }),
      });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('2');
      expect(await refused.json()).toEqual({
        errors: [{ message: 'Служба drain-test останавливается, повторите запрос', extensions: { code: 'SERVICE_STOPPING', retryable: true } }],
      });
      expect(closed).toBe(false);

      const released = Date.now();
      gate.open();
      const answer = await inFlight;
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ data: { slow: 'done 1' } });
      // The connection that carried it is not kept alive for another request.
      expect(answer.headers.connection).toBe('close');
      await closing;
      // Not held by the keep-alive connections until a timeout (the old close waited 5 s for them).
      expect(Date.now() - released).toBeLessThan(1_000);
      await expect(fetch(server.url.replace('/graphql', '/health'))).rejects.toThrow();
    } finally {
      gate.open();
      agent.destroy();
      await server.close();
    }
  });

  it('cuts a request still running after the drain time, and close() still returns', async () => {
    const server = await start(300);
    const agent = new Agent({ keepAlive: true });
    try {
      gate.reset();
      const stuck = post(server.url, '{ slow(n: 2) }', agent).then(
        () => 'answered',
        (error: NodeJS.ErrnoException) => error.code,
      );
      await gate.entered;
      const started = Date.now();
      await server.close();
      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(250);
      expect(took).toBeLessThan(2_000);
      expect(await stuck).toBe('ECONNRESET');
    } finally {
      gate.open();
      agent.destroy();
    }
  });

  it('close() twice stops once', async () => {
    const server = await start();
    await Promise.all([server.close(), server.close()]);
    await server.close();
    await expect(fetch(server.url.replace('/graphql', '/health'))).rejects.toThrow();
  });
});

describe('a subgraph server answers malformed requests in JSON, without stack or file paths', () => {
  it.each([
    ['malformed JSON', '{"query": "{ ping }"', 'application/json', 400, 'BAD_REQUEST'],
    ['an unknown path', '{}', 'application/json', 404, 'NOT_FOUND'],
  ])('%s', async (_what, body, type, status, code) => {
    const server = await start();
    try {
      const url = code === 'NOT_FOUND' ? server.url.replace('/graphql', '/nowhere') : server.url;
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': type, authorization: `Bearer ${token}` }, body });
      const text = await response.text();
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(JSON.parse(text)).toEqual({ errors: [{ message: expect.any(String), extensions: { code } }] });
      expect(text).not.toMatch(/\bat \w|\/work\/|node_modules/);
    } finally {
      await server.close();
    }
  });

  it('an oversized body is 413 PAYLOAD_TOO_LARGE with the limit', async () => {
    const server = await start();
    try {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: `{ ping }`, pad: 'x'.repeat(3 * 1024 * 1024) }),
      });
      expect(response.status).toBe(413);
      expect(await response.json()).toEqual({
        errors: [{ message: expect.any(String), extensions: { code: 'PAYLOAD_TOO_LARGE', limitBytes: 2 * 1024 * 1024 } }],
      });
    } finally {
      await server.close();
    }
  });
});
