import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { keycloakUrl } from '@district/kit/testing';
import type { District } from '@district/demo';
import { DEFAULT_LIMITS, startGateway, type GatewayConfig, type RunningGateway } from '@district/gateway';

/** A second gateway on a test district (same registry and Keycloak), for settings the district's own gateway does not have. */
export function startExtraGateway(
  district: District,
  overrides: Partial<GatewayConfig> = {},
  options: { log?: (m: string) => void; diaryFlushMs?: number } = {},
): Promise<RunningGateway> {
  return startGateway(
    {
      port: 0,
      host: '127.0.0.1',
      production: false,
      keycloakUrl: keycloakUrl(),
      realm: 'district',
      audience: 'district-api',
      monitoringUrl: district.monitoring.url,
      identityUrl: district.identity.url,
      gatewayClientId: 'district-gateway',
      gatewayClientSecret: 'district-gateway-secret',
      schoolTimeoutMs: 3_000,
      registryRefreshMs: 30_000,
      limits: DEFAULT_LIMITS,
      ...overrides,
    },
    { log: () => undefined, ...options },
  );
}

export interface SlowProxy {
  url: string;
  /** Requests forwarded so far. */
  seen(): number;
  close(): Promise<void>;
}

/** A school instance that answers late: forwards every request to `target` after `delayMs`. */
export async function delayingProxy(target: string, delayMs: number): Promise<SlowProxy> {
  let seen = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen++;
      setTimeout(() => {
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter(([k, v]) => typeof v === 'string' && !['host', 'content-length', 'connection'].includes(k)),
        ) as Record<string, string>;
        fetch(target, { method: req.method, headers, body: req.method === 'GET' ? undefined : Buffer.concat(chunks) })
          .then(async (upstream) => {
            res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
            res.end(Buffer.from(await upstream.arrayBuffer()));
          })
          .catch(() => res.destroy());
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    seen: () => seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What no answer may carry: stack lines or paths of the server's files. */
export function expectNoInternals(text: string): void {
  expect(text).not.toMatch(/^\s*at /m);
  expect(text).not.toMatch(/\bat .*\.(ts|js):\d+/);
  expect(text).not.toContain('/work/');
  expect(text).not.toContain('node_modules');
}
