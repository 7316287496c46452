import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** What the browser app needs to know at run time, answered at `GET /config.json` (so one build serves every installation). */
export interface WebRuntimeConfig {
  keycloakUrl: string;
  realm: string;
  clientId: string;
}

export interface WebServingOptions extends WebRuntimeConfig {
  /** The built app (`clients/web/dist`); undefined: only `/config.json` is served. */
  webRoot?: string;
  /** Counts requests in flight and refuses new ones while the gateway stops. */
  drain?: RequestHandler;
}

/** Paths the app never owns: the SPA fallback leaves them to their own handlers (or the JSON 404). */
const API_PATHS = /^\/(graphql|exports|health|config\.json)(\/|$)/;
const ASSETS = /^\/assets\//;

/**
 * The Content-Security-Policy of the app's HTML: scripts and styles only from
 * the gateway's origin (Vite emits no inline script), the API on the same
 * origin, Keycloak for the token endpoint (fetch) and for oidc-client-ts's
 * silent renew (a hidden iframe), nothing may frame the app.
 */
export function contentSecurityPolicy(keycloakUrl: string): string {
  const keycloak = new URL(keycloakUrl).origin;
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${keycloak}`,
    `frame-src ${keycloak}`,
    `child-src ${keycloak}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** True when the client explicitly accepts HTML (a browser navigation), not merely through a wildcard like curl's `*\/*`. */
export function acceptsHtml(req: Request): boolean {
  const accept = req.headers.accept;
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const [type, ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    if (type !== 'text/html') return false;
    const q = params.find((p) => p.startsWith('q='));
    return !q || Number(q.slice(2)) > 0;
  });
}

/** The web root's index.html; a WEB_ROOT without one stops the start (a deployment without the built app is a mistake, not an empty page). */
export function assertWebRoot(webRoot: string): string {
  const index = join(resolve(webRoot), 'index.html');
  if (!existsSync(index) || !statSync(index).isFile()) {
    throw new Error(`WEB_ROOT ${resolve(webRoot)} has no index.html: build the web app (npm run build) or unset WEB_ROOT`);
  }
  return index;
}

/**
 * Serving the web client from the gateway's origin (no CORS for `/graphql` and
 * `/exports`): `GET /config.json` always; with a web root its files at `/`
 * (hashed `/assets/*` cached for a year as immutable, everything else
 * revalidated), and `index.html` for any other GET a browser navigates to
 * (client-side routes such as `/diary/123`). Anything else falls through to
 * the gateway's JSON 404.
 */
export function webApp(options: WebServingOptions): Router {
  const router = express.Router();
  const csp = contentSecurityPolicy(options.keycloakUrl);
  const runtime: WebRuntimeConfig = { keycloakUrl: options.keycloakUrl.replace(/\/$/, ''), realm: options.realm, clientId: options.clientId };
  const common = (res: Response) => {
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'same-origin');
  };
  const htmlHeaders = (res: Response) => {
    common(res);
    res.setHeader('content-security-policy', csp);
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('cache-control', 'no-cache');
  };

  router.get('/config.json', (_req, res) => {
    common(res);
    res.setHeader('cache-control', 'no-cache');
    res.json(runtime);
  });
  if (!options.webRoot) return router;

  const root = resolve(options.webRoot);
  const index = assertWebRoot(root);
  const drain = options.drain ?? ((_req, _res, next) => next());
  const sendIndex: RequestHandler = (_req, res, next) => {
    htmlHeaders(res);
    res.sendFile(index, { cacheControl: false, lastModified: true, etag: true, dotfiles: 'deny' }, (error) => error && next(error));
  };

  // Content-hashed bundles: a new build has new names, so browsers may keep these forever. A missing one is a 404, never the HTML.
  router.use(
    '/assets',
    drain,
    express.static(join(root, 'assets'), {
      index: false,
      fallthrough: true,
      immutable: true,
      maxAge: '365d',
      dotfiles: 'ignore',
      setHeaders: (res) => common(res as Response),
    }),
  );
  router.get(['/', '/index.html'], drain, sendIndex);
  // Other files at the top of the build (favicon, robots.txt, manifest): not hashed, so revalidated every time.
  router.use(
    drain,
    express.static(root, {
      index: false,
      fallthrough: true,
      cacheControl: false,
      dotfiles: 'ignore',
      setHeaders: (res, path) => {
        if (path.endsWith('.html')) htmlHeaders(res as Response);
        else {
          common(res as Response);
          (res as Response).setHeader('cache-control', 'no-cache');
        }
      },
    }),
  );
  // Client-side routes: a browser navigating to /diary/123 gets the app, which routes itself.
  router.get(/.*/, (req, res, next) => (acceptsHtml(req) && !API_PATHS.test(req.path) && !ASSETS.test(req.path) ? sendIndex(req, res, next) : next()));
  return router;
}
