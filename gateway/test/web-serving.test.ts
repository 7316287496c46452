import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keycloakUrl, tokenFor } from '@district/kit/testing';
import { DEFAULT_LIMITS, gatewayConfigFromEnv, startGateway, type GatewayConfig, type RunningGateway } from '@district/gateway';
import { expectNoInternals } from './extra-gateway';

// A placeholder build made for this test only (never a committed fake app): what Vite emits, in miniature.
const INDEX =
  '<!doctype html><html lang="ru"><head><meta charset="UTF-8"><title>Электронный журнал</title><script type="module" src="/assets/app-abc.js"></script></head><body><div id="root"></div></body></html>';
const SCRIPT = 'console.log("app");';
const PUBLIC_KEYCLOAK = 'https://sso.district.test:8443';
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

/** A gateway on its own (no district: the registry is unreachable, which it survives), with the given web settings. */
function gatewayWith(overrides: Partial<GatewayConfig>): Promise<RunningGateway> {
  return startGateway(
    {
      port: 0,
      host: '127.0.0.1',
      production: false,
      keycloakUrl: keycloakUrl(),
      realm: 'district',
      audience: 'district-api',
      monitoringUrl: 'http://127.0.0.1:9/graphql',
      gatewayClientId: 'district-gateway',
      gatewayClientSecret: 'district-gateway-secret',
      schoolTimeoutMs: 1_000,
      registryRefreshMs: 60_000,
      limits: DEFAULT_LIMITS,
      ...overrides,
    },
    { log: () => undefined },
  );
}

describe('the gateway serves the web app (WEB_ROOT)', () => {
  let webRoot: string;
  let gateway: RunningGateway;
  let origin: string;
  const get = (path: string, accept?: string) => fetch(`${origin}${path}`, { headers: accept ? { accept } : {} });

  beforeAll(async () => {
    webRoot = mkdtempSync(join(tmpdir(), 'web-root-'));
    mkdirSync(join(webRoot, 'assets'));
    writeFileSync(join(webRoot, 'index.html'), INDEX);
    writeFileSync(join(webRoot, 'assets', 'app-abc.js'), SCRIPT);
    writeFileSync(join(webRoot, 'robots.txt'), 'User-agent: *\nDisallow: /\n');
    writeFileSync(join(webRoot, '.env'), 'SECRET=1');
    gateway = await gatewayWith({ webRoot, publicKeycloakUrl: `${PUBLIC_KEYCLOAK}/` });
    origin = `http://127.0.0.1:${gateway.port}`;
  });
  afterAll(async () => {
    await gateway?.close();
    rmSync(webRoot, { recursive: true, force: true });
  });

  function expectAppHtml(response: Response, body: string): void {
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(body).toBe(INDEX);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('same-origin');
    const csp = Object.fromEntries(
      (response.headers.get('content-security-policy') ?? '')
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name, values.join(' ')]),
    );
    expect(csp).toMatchObject({
      'default-src': "'self'",
      'script-src': "'self'",
      'style-src': "'self'",
      'img-src': "'self' data:",
      'connect-src': `'self' ${PUBLIC_KEYCLOAK}`,
      'frame-src': PUBLIC_KEYCLOAK,
      'child-src': PUBLIC_KEYCLOAK,
      'object-src': "'none'",
      'base-uri': "'self'",
      'frame-ancestors': "'none'",
    });
    // Nothing inline may run: no 'unsafe-inline' / 'unsafe-eval' anywhere.
    expect(response.headers.get('content-security-policy')).not.toMatch(/unsafe/);
  }

  it.each(['/', '/diary/123', '/journal/s001/lessons/abc?tab=marks', '/index.html'])(
    '%s (a browser navigation) answers index.html with the CSP and no caching',
    async (path) => {
      const response = await get(path, BROWSER_ACCEPT);
      expectAppHtml(response, await response.text());
    },
  );

  it('a hashed asset is served with a year-long immutable cache', async () => {
    const response = await get('/assets/app-abc.js', '*/*');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe(SCRIPT);
  });

  it('other files of the build are revalidated, dotfiles are not served', async () => {
    const robots = await get('/robots.txt');
    expect(robots.status).toBe(200);
    expect(robots.headers.get('cache-control')).toBe('no-cache');
    const dotfile = await get('/.env');
    expect(dotfile.status).toBe(404);
    expect(await dotfile.text()).not.toContain('SECRET');
  });

  it('/config.json tells the browser where to log in', async () => {
    const response = await get('/config.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.json()).toEqual({ keycloakUrl: PUBLIC_KEYCLOAK, realm: 'district', clientId: 'district-web' });
  });

  it.each([
    ['/nope.js', '*/*'],
    ['/nope.js', undefined],
    ['/diary/123', 'application/json'],
    ['/diary/123', 'text/html;q=0, */*'],
    ['/assets/app-missing.js', BROWSER_ACCEPT],
    ['/exports/a/b', BROWSER_ACCEPT],
    ['/health/deep', BROWSER_ACCEPT],
    ['/config.json/x', BROWSER_ACCEPT],
  ])('%s with Accept %s keeps the JSON 404', async (path, accept) => {
    const response = await get(path, accept);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = await response.text();
    expect(JSON.parse(body)).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'NOT_FOUND' } }] });
    expectNoInternals(body);
  });

  it('a path escaping the web root is refused without a file', async () => {
    const response = await fetch(`${origin}/assets/..%2f..%2fetc%2fpasswd`);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await response.text()).not.toContain('root:');
  });

  it('a non-GET to an app route is not the app', async () => {
    const response = await fetch(`${origin}/diary/123`, { method: 'POST', headers: { accept: BROWSER_ACCEPT } });
    expect(response.status).toBe(404);
  });

  it('/graphql still behaves: 401 without a token (also for a browser), data with one', async () => {
    const browser = await get('/graphql', BROWSER_ACCEPT);
    expect(browser.status).toBe(401);
    expect((await browser.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');

    const anonymous = await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(anonymous.status).toBe(401);

    const token = await tokenFor('s001.teacher');
    const answer = await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('/health is the gateway’s, not the app', async () => {
    const response = await get('/health', BROWSER_ACCEPT);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });
});

describe('without WEB_ROOT', () => {
  let gateway: RunningGateway;
  beforeAll(async () => {
    gateway = await gatewayWith({});
  });
  afterAll(() => gateway?.close());

  it('no app is served, but /config.json answers with the gateway’s Keycloak', async () => {
    const page = await fetch(`http://127.0.0.1:${gateway.port}/`, { headers: { accept: BROWSER_ACCEPT } });
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toMatch(/^application\/json/);
    const config = await fetch(`http://127.0.0.1:${gateway.port}/config.json`);
    expect(await config.json()).toEqual({ keycloakUrl: keycloakUrl().replace(/\/$/, ''), realm: 'district', clientId: 'district-web' });
  });
});

describe('web settings', () => {
  it('a WEB_ROOT without index.html stops the start, naming the folder', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'web-empty-'));
    try {
      await expect(gatewayWith({ webRoot: empty })).rejects.toThrow(new RegExp(`WEB_ROOT ${empty} has no index.html.*npm run build`));
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('PUBLIC_KEYCLOAK_URL defaults to KEYCLOAK_URL, WEB_CLIENT_ID to district-web, WEB_ROOT to none', () => {
    const defaults = gatewayConfigFromEnv({ KEYCLOAK_URL: 'http://keycloak.internal:8080' });
    expect([defaults.webRoot, defaults.publicKeycloakUrl, defaults.webClientId]).toEqual([undefined, 'http://keycloak.internal:8080', 'district-web']);
    const set = gatewayConfigFromEnv({ WEB_ROOT: '/app/clients/web/dist', PUBLIC_KEYCLOAK_URL: 'https://sso.district.example', WEB_CLIENT_ID: 'web2' });
    expect([set.webRoot, set.publicKeycloakUrl, set.webClientId]).toEqual(['/app/clients/web/dist', 'https://sso.district.example', 'web2']);
    expect(() => gatewayConfigFromEnv({ PUBLIC_KEYCLOAK_URL: 'not a url' })).toThrow(/PUBLIC_KEYCLOAK_URL/);
  });
});
