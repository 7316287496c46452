/**
 * Headless Chromium for the web app's end-to-end tests (`*.e2e.test.ts` beside
 * this file): Debian's `chromium` package driven by playwright-core
 * (Playwright's own browser download is not reachable from these machines;
 * `.ci/run` and `npm test` install the package when it is missing).
 *
 * One browser process per test file; every `newPage()` is a page in a context
 * of its own — its own cookies (so the Keycloak session of one user never logs
 * in the next), storage and IndexedDB, viewport and network switch. A
 * context's IndexedDB and sessionStorage survive `page.reload()`, and
 * `page.context().setOffline(true)` cuts that page's network (its requests to
 * the gateway and to Keycloak fail like on a phone without signal).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page, type Response, type Route } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Quiet, offline-friendly flags: no sandbox (containers, root), no GPU, no calls home, no QUIC (Playwright's offline switch covers TCP). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
/** Where `screenshot()` writes; the committed ones live in docs/screenshots (E2E_SCREENSHOT_DIR to write elsewhere). */
export const SCREENSHOT_DIR = process.env.E2E_SCREENSHOT_DIR ?? join(REPO_ROOT, 'docs', 'screenshots');

export const DESKTOP = { width: 1366, height: 900 } as const;
/** A common phone (the issue's 390×844); pages get touch and the mobile viewport meta with `phone: true`. */
export const PHONE = { width: 390, height: 844 } as const;

export interface NewPageOptions {
  viewport?: { width: number; height: number };
  /** Emulate a phone: mobile viewport meta, touch, device scale 2. */
  phone?: boolean;
  /** Anything else for the context (locale and time zone default to ru-RU / Europe/Moscow). */
  context?: BrowserContextOptions;
}

export interface E2EBrowser {
  browser: Browser;
  /** A page in a fresh context (a new user): own cookies, storage, IndexedDB, viewport. */
  newPage(options?: NewPageOptions): Promise<Page>;
  /** Closes every context and the browser, and removes the temporary profile. */
  close(): Promise<void>;
}

/** What went wrong inside a page: uncaught exceptions and console errors (a CSP refusal shows up here). */
const problems = new WeakMap<Page, string[]>();

export function pageErrors(page: Page): string[] {
  return problems.get(page) ?? [];
}

export async function launchBrowser(): Promise<E2EBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `${CHROMIUM_PATH} is missing: install Debian's chromium (as root: apt-get install -y chromium; npm test and .ci/run do it when run as root)`,
    );
  }
  // A fresh profile folder per run (Playwright's own temporary profile also lives in it), removed on close.
  const tmp = mkdtempSync(join(tmpdir(), 'district-e2e-'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    env: { ...process.env, TMPDIR: tmp },
    timeout: 60_000,
  });
  const contexts = new Set<BrowserContext>();
  return {
    browser,
    async newPage(options = {}) {
      const context = await browser.newContext({
        viewport: options.viewport ?? (options.phone ? PHONE : DESKTOP),
        locale: 'ru-RU',
        timezoneId: 'Europe/Moscow',
        ...(options.phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
        ...options.context,
      });
      contexts.add(context);
      context.on('close', () => contexts.delete(context));
      const page = await context.newPage();
      const list: string[] = [];
      problems.set(page, list);
      page.on('pageerror', (error) => list.push(`pageerror: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() !== 'error') return;
        const where = message.location().url;
        list.push(`console: ${message.text()}${where ? ` (${where})` : ''}`);
      });
      return page;
    },
    async close() {
      for (const context of [...contexts]) await context.close().catch(() => undefined);
      await browser.close();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

export interface LoginResult {
  /** The access token the app got from Keycloak's token endpoint (for checking what the app did through the API). */
  accessToken: string;
  /** Keycloak's origin as the app sent the browser there. */
  keycloakOrigin: string;
}

/**
 * Logs in the way a person does: opens the app, follows its redirect to the
 * real Keycloak login page, types the username and password into Keycloak's
 * form and submits, then waits until the browser is back on the app's origin
 * and the app has exchanged the authorization code at the token endpoint
 * (PKCE) — the URL no longer carries `code`. Use a page of its own
 * (`newPage()`): in a context where Keycloak already has a session the form
 * never shows.
 */
export async function loginThroughKeycloak(page: Page, appUrl: string, username: string, password = 'demo'): Promise<LoginResult> {
  const app = new URL(appUrl);
  await page.goto(appUrl);
  // The app sends an anonymous visitor to Keycloak by itself; after a failed sign-in it shows a button instead.
  const onKeycloak = (url: URL) => url.origin !== app.origin && url.pathname.includes('/protocol/openid-connect/auth');
  const form = page.locator('#username');
  const signIn = page.getByRole('button', { name: /войти/i });
  await form.or(signIn).first().waitFor({ timeout: 30_000 });
  if (!(await form.isVisible())) {
    await signIn.click();
    await form.waitFor({ timeout: 30_000 });
  }
  const keycloakOrigin = new URL(page.url()).origin;
  if (!onKeycloak(new URL(page.url()))) throw new Error(`expected Keycloak's login page, got ${page.url()}`);

  const tokenExchange = page.waitForResponse(
    (r) => r.url().startsWith(keycloakOrigin) && r.url().includes('/protocol/openid-connect/token') && r.request().method() === 'POST',
    {
      timeout: 60_000,
    },
  );
  tokenExchange.catch(() => undefined); // awaited below only when the login went through
  await form.fill(username);
  await page.locator('#password').fill(password);
  await page.locator('#password').press('Enter');

  // Either back on the app, or still on Keycloak with an error (wrong password, locked user).
  const back = page.waitForURL((url) => url.origin === app.origin, { timeout: 30_000 }).then(() => 'back' as const);
  const refused = page
    .locator('#input-error, .kc-feedback-text, .pf-m-danger')
    .first()
    .waitFor({ timeout: 30_000 })
    .then(() => 'refused' as const);
  // The loser of the race settles later (its timeout): never an unhandled rejection.
  back.catch(() => undefined);
  refused.catch(() => undefined);
  const outcome = await Promise.race([back, refused]).catch(() => 'timeout' as const);
  if (outcome !== 'back') {
    const text = await page
      .locator('#input-error, .kc-feedback-text, .pf-m-danger')
      .first()
      .textContent()
      .catch(() => null);
    throw new Error(`Keycloak did not let ${username} in (${outcome}): ${text?.trim() ?? page.url()}`);
  }

  const response: Response = await tokenExchange;
  if (response.status() !== 200) throw new Error(`the token endpoint answered ${response.status()}: ${await response.text()}`);
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error('the token endpoint answered without an access_token');
  await page.waitForURL((url) => url.origin === app.origin && !url.searchParams.has('code'), { timeout: 30_000 });
  return { accessToken: body.access_token, keycloakOrigin };
}

/**
 * Cuts the page's context off the API and Keycloak while the app's own files
 * (`/`, `/assets/*`, `/config.json`) still load — as if a service worker
 * served the app shell from its cache. Use it to reload a page "offline":
 * `context.setOffline(true)` is the real switch (navigator.onLine false,
 * every request fails), but then a reload fails too unless the app has a
 * service worker. Requests to /graphql, /exports and any other origin fail
 * with net::ERR_INTERNET_DISCONNECTED. Returns the function that reconnects.
 */
export async function cutApi(page: Page, appUrl: string): Promise<() => Promise<void>> {
  const app = new URL(appUrl).origin;
  const cut = (url: URL) => url.origin !== app || /^\/(graphql|exports)(\/|$)/.test(url.pathname);
  const handler = (route: Route) => route.abort('internetdisconnected');
  await page.context().route(cut, handler);
  return () => page.context().unroute(cut, handler);
}

/**
 * Writes docs/screenshots/<name>.png (the viewport, or the whole page with
 * `fullPage`), after fonts have loaded, with animations and the caret stilled.
 */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  if (!/^[\w.-]+$/.test(name)) throw new Error(`screenshot name "${name}": letters, digits, dot, dash and underscore only`);
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  mkdirSync(dirname(path), { recursive: true });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.screenshot({ path, fullPage: options.fullPage ?? false, animations: 'disabled', caret: 'hide' });
  return path;
}

export interface AxeViolation {
  id: string;
  impact: 'serious' | 'critical';
  help: string;
  helpUrl: string;
  /** CSS selectors of the offending elements, with axe's summary for each. */
  nodes: { target: string; summary: string }[];
}

let axeSource: string | undefined;

/**
 * Runs axe-core (WCAG 2.x A/AA and best practices) on the page as it is now
 * and returns the serious and critical violations (an empty list is a pass).
 * `include` limits the check to a part of the page, e.g. the grid.
 *
 * axe-core's `axe.min.js` is evaluated in the page through the DevTools
 * protocol (`page.evaluate`), not added with `page.addScriptTag({ path })`:
 * that makes an inline <script>, which the app's CSP (`script-src 'self'`)
 * rightly refuses — and reports as a console error. The page keeps its real
 * policy (no `bypassCSP`), so CSP mistakes still show in `pageErrors()`.
 */
export async function axeCheck(page: Page, options: { include?: string } = {}): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object'))) {
    axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
    await page.evaluate(axeSource);
  }
  const results = (await page.evaluate(
    async ({ include }) => {
      const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<unknown> } }).axe;
      return axe.run(include ? { include: [include] } : document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
        resultTypes: ['violations'],
      });
    },
    { include: options.include },
  )) as { violations: { id: string; impact: string | null; help: string; helpUrl: string; nodes: { target: unknown[]; failureSummary?: string }[] }[] };
  return results.violations
    .filter((v): v is typeof v & { impact: 'serious' | 'critical' } => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String).join(' '), summary: n.failureSummary ?? '' })),
    }));
}

/** A readable list for a failing expectation: `expect(formatViolations(v)).toBe('')`. */
export function formatViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `  ${n.target}\n    ${n.summary.replace(/\n/g, '\n    ')}`).join('\n')}`)
    .join('\n');
}
