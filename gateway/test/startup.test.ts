import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keycloakUrl } from '@district/kit/testing';
import { DEFAULT_LIMITS, gatewayConfigFromEnv, startGateway, SUPERGRAPH_FILE } from '@district/gateway';

describe('the gateway’s client secret', () => {
  it('in production a missing GATEWAY_CLIENT_SECRET stops the start with a config error naming it', () => {
    expect(() => gatewayConfigFromEnv({ NODE_ENV: 'production' })).toThrow(
      /Invalid configuration:\n {2}GATEWAY_CLIENT_SECRET: required with NODE_ENV=production/,
    );
  });

  it('in production every problem is listed at once, the secret among them', () => {
    let message = '';
    try {
      gatewayConfigFromEnv({ NODE_ENV: 'production', PORT: 'not-a-port' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^ {2}PORT: /m);
    expect(message).toMatch(/^ {2}GATEWAY_CLIENT_SECRET: /m);
  });

  it.each([
    ['the demo realm’s secret', 'district-gateway-secret', /demo realm/],
    ['the template placeholder', 'REPLACE_ME-keycloak-client-secret-of-district-gateway', /placeholder/],
    ['an empty value', '', /required/],
  ])('in production %s is refused', (_label, secret, reason) => {
    expect(() => gatewayConfigFromEnv({ NODE_ENV: 'production', GATEWAY_CLIENT_SECRET: secret })).toThrow(reason);
  });

  it('in production a real secret is taken as given', () => {
    const config = gatewayConfigFromEnv({ NODE_ENV: 'production', GATEWAY_CLIENT_SECRET: 's3cr3t-from-vault' });
    expect(config.production).toBe(true);
    expect(config.gatewayClientSecret).toBe('s3cr3t-from-vault');
  });

  it.each(['development', 'test', undefined])('with NODE_ENV=%s the demo secret stays the default', (mode) => {
    const config = gatewayConfigFromEnv({ NODE_ENV: mode });
    expect(config.production).toBe(false);
    expect(config.gatewayClientSecret).toBe('district-gateway-secret');
  });
});

describe('request settings', () => {
  it('defaults: 30 s request timeout, 1 MB body, 5 s shutdown grace', () => {
    const config = gatewayConfigFromEnv({});
    expect([config.requestTimeoutMs, config.bodyLimitBytes, config.shutdownGraceMs]).toEqual([30_000, 1_048_576, 5_000]);
    expect(config.limits).toEqual(DEFAULT_LIMITS);
  });

  it('reads REQUEST_TIMEOUT_MS, BODY_LIMIT_KB and SHUTDOWN_GRACE_MS and refuses nonsense', () => {
    const config = gatewayConfigFromEnv({ REQUEST_TIMEOUT_MS: '12000', BODY_LIMIT_KB: '256', SHUTDOWN_GRACE_MS: '2000' });
    expect([config.requestTimeoutMs, config.bodyLimitBytes, config.shutdownGraceMs]).toEqual([12_000, 262_144, 2_000]);
    expect(() => gatewayConfigFromEnv({ REQUEST_TIMEOUT_MS: '0' })).toThrow(/REQUEST_TIMEOUT_MS/);
    expect(() => gatewayConfigFromEnv({ BODY_LIMIT_KB: 'lots' })).toThrow(/BODY_LIMIT_KB/);
  });
});

describe('a supergraph naming a subgraph the gateway cannot route', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'supergraph-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stops the start with a message naming the subgraph, before any query', async () => {
    const sdl = readFileSync(SUPERGRAPH_FILE, 'utf8');
    const renamed = sdl.replace('@join__graph(name: "monitoring"', '@join__graph(name: "registry"');
    expect(renamed).not.toBe(sdl);
    const path = join(dir, 'supergraph.graphql');
    writeFileSync(path, renamed);
    const logs: string[] = [];
    const started = Date.now();
    await expect(
      startGateway(
        {
          port: 0,
          host: '127.0.0.1',
          production: false,
          keycloakUrl: keycloakUrl(),
          realm: 'district',
          audience: 'district-api',
          // Nothing listens here: the start must fail on the supergraph before it asks the registry.
          monitoringUrl: 'http://127.0.0.1:1/graphql',
          gatewayClientId: 'district-gateway',
          gatewayClientSecret: 'district-gateway-secret',
          schoolTimeoutMs: 1_000,
          registryRefreshMs: 30_000,
          limits: DEFAULT_LIMITS,
          supergraphPath: path,
        },
        { log: (m) => logs.push(m) },
      ),
    ).rejects.toThrow(
      'The supergraph names subgraph "registry", which this gateway cannot route (it knows monitoring, identity, portal, people, schedule, journal)',
    );
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(logs.filter((l) => /registry refresh/.test(l))).toEqual([]);
  });
});
