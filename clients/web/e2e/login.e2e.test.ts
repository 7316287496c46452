import { decodeClaims } from '@district/kit/testing';
import { loginThroughKeycloak, pageErrors } from './browser';
import { e2eWorld } from './stack';

/** The harness itself, on the built app: the gateway serves it, and a demo user gets in through Keycloak's real login form. */
describe('the web app behind the gateway, logging in through Keycloak', () => {
  const world = e2eWorld({ collectMonitoring: false });

  it('the app loads from the gateway’s origin with its security headers and runtime config', async () => {
    const page = await world.browser.newPage();
    const response = await page.goto(world.stack.appUrl, { waitUntil: 'commit' });
    expect(response?.status()).toBe(200);
    const headers = response!.headers();
    expect(headers['content-type']).toMatch(/^text\/html/);
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['x-content-type-options']).toBe('nosniff');
    const config = await page.request.get(new URL('/config.json', world.stack.appUrl).href);
    expect(await config.json()).toEqual({ keycloakUrl: expect.stringMatching(/^http:\/\/localhost:\d+$/), realm: 'district', clientId: 'district-web' });
    await page.context().close();
  });

  it('s001.teacher types into Keycloak’s form, comes back to the app, and the app exchanged the code for tokens', async () => {
    const page = await world.browser.newPage();
    const tokenExchange = page.waitForResponse((r) => r.url().endsWith('/protocol/openid-connect/token') && r.request().method() === 'POST');
    const { accessToken, keycloakOrigin } = await loginThroughKeycloak(page, world.stack.appUrl, 's001.teacher');

    const exchange = await tokenExchange;
    expect(exchange.status()).toBe(200);
    // The authorization code flow with PKCE, not a password grant: the app sent the code and its verifier.
    const form = new URLSearchParams(exchange.request().postData() ?? '');
    expect(form.get('grant_type')).toBe('authorization_code');
    expect(form.get('code')).toBeTruthy();
    expect(form.get('code_verifier')).toBeTruthy();
    expect(form.get('client_id')).toBe('district-web');
    expect(form.has('password')).toBe(false);
    expect(exchange.headers()['access-control-allow-origin']).toBe(new URL(world.stack.appUrl).origin);

    expect(new URL(page.url()).origin).toBe(new URL(world.stack.appUrl).origin);
    expect(keycloakOrigin).not.toBe(new URL(world.stack.appUrl).origin);
    const claims = decodeClaims(accessToken);
    expect(claims.preferred_username).toBe('s001.teacher');
    expect([claims.aud].flat()).toContain('district-api');

    // Signed in: the app shows who, from the token (the demo realm's name of s001.teacher).
    await page.getByText('Иван Петров').first().waitFor({ state: 'visible', timeout: 15_000 });
    // No script error and no CSP refusal on the way (a browser's own favicon probe is not the app's business here).
    expect(pageErrors(page).filter((e) => !e.includes('/favicon.ico'))).toEqual([]);
  });
});
