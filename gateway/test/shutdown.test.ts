import { Agent, request } from 'node:http';
import type { Socket } from 'node:net';
import { tokenFor } from '@district/kit/testing';
import type { District } from '@district/demo';
import { gql, testDistrict } from './district';
import { delayingProxy, expectNoInternals, startExtraGateway, type SlowProxy } from './extra-gateway';

let district: District;
let slow: SlowProxy;
beforeAll(async () => {
  district = await testDistrict({ schools: ['s001'], studentsPerClass: 1 });
  const school = district.schools.get('s001')!;
  // s001's people answers 1.5 s late: long enough to be caught in flight by close().
  slow = await delayingProxy(school.urls.people, 1_500);
  await district.registerSchool('s001', { ...school.urls, people: slow.url });
});
afterAll(async () => {
  await slow?.close();
  await district?.close({ dropDatabases: true });
});

const CLASSES = `{ classGroups(schoolId: "s001") { name } }`;

/** A keep-alive connection that has answered one request and now sits idle. */
function idleKeepAliveSocket(url: string): Promise<Socket> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  return new Promise((resolve, reject) => {
    const req = request(url.replace('/graphql', '/health'), { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(req.socket as Socket));
    });
    req.on('error', reject);
    req.end();
  });
}

const closed = (socket: Socket) => (socket.destroyed ? Promise.resolve() : new Promise<void>((resolve) => socket.once('close', () => resolve())));

describe('stopping the gateway (SIGTERM → close())', () => {
  it('drains: readiness 503 at once, new requests refused as retryable, the one in flight completes, connections close, close() resolves in time', async () => {
    // A counting pass-through to monitoring shows whether the registry timer still runs after close().
    const registry = await delayingProxy(district.monitoring.url, 0);
    const gateway = await startExtraGateway(district, { schoolTimeoutMs: 5_000, monitoringUrl: registry.url, registryRefreshMs: 500 });
    try {
      const token = await tokenFor('s001.teacher');
      const idle = await idleKeepAliveSocket(gateway.url);
      const before = slow.seen();
      const inFlight = gql(gateway.url, token, CLASSES);
      while (slow.seen() === before) await new Promise((r) => setTimeout(r, 20));

      const started = Date.now();
      const closing = gateway.close();

      const health = await fetch(gateway.url.replace('/graphql', '/health'));
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({ status: 'stopping' });

      const refused = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: CLASSES }),
      });
      const text = await refused.text();
      expect(refused.status).toBe(503);
      expect(refused.headers.get('content-type')).toMatch(/^application\/json/);
      expect(refused.headers.get('retry-after')).toBe('2');
      expect(JSON.parse(text)).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'SERVICE_STOPPING', retryable: true } }] });
      expectNoInternals(text);

      const answer = await inFlight;
      expect(answer.status).toBe(200);
      expect(answer.errors).toBeUndefined();
      expect((answer.data!.classGroups as unknown[]).length).toBe(22);

      await closing;
      expect(Date.now() - started).toBeLessThan(6_000);
      await closed(idle);
      await expect(fetch(gateway.url.replace('/graphql', '/health'))).rejects.toThrow();

      const calls = registry.seen();
      await new Promise((r) => setTimeout(r, 1_200));
      expect(registry.seen()).toBe(calls);
    } finally {
      await gateway.close();
      await registry.close();
    }
  });

  it('a request still running after the grace is cut, and close() does not wait for it', async () => {
    const slower = await delayingProxy(district.schools.get('s001')!.urls.people, 8_000);
    const gateway = await startExtraGateway(district, { schoolTimeoutMs: 10_000, requestTimeoutMs: 20_000, shutdownGraceMs: 1_000 });
    await district.registerSchool('s001', { ...district.schools.get('s001')!.urls, people: slower.url });
    await gateway.directory.refresh();
    try {
      const token = await tokenFor('s001.teacher');
      const inFlight = gql(gateway.url, token, CLASSES).then(
        (a) => a.status,
        () => 'cut',
      );
      while (slower.seen() === 0) await new Promise((r) => setTimeout(r, 20));
      const started = Date.now();
      await gateway.close();
      expect(Date.now() - started).toBeLessThan(4_000);
      expect(await inFlight).toBe('cut');
    } finally {
      await district.registerSchool('s001', { ...district.schools.get('s001')!.urls, people: slow.url });
      await gateway.close();
      await slower.close();
    }
  });

  it('close() twice (signal handler and test teardown) stops once', async () => {
    const gateway = await startExtraGateway(district);
    const [a, b] = [gateway.close(), gateway.close()];
    expect(a).toBe(b);
    await a;
  });
});
