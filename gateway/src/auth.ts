import Keycloak from 'keycloak-connect';
import type { NextFunction, Request, Response } from 'express';
import { bearerToken, ErrorCode, requestMeta, Viewer } from '@district/kit';
import type { GatewayContext } from './context';

export interface GatewayAuthSettings {
  keycloakUrl: string;
  realm: string;
  /** The API's client id: tokens must carry it in `aud`. */
  audience: string;
}

type GrantManager = {
  createGrant(raw: { access_token: string }): Promise<{ access_token: { content: Record<string, unknown>; token: string } }>;
  /** keycloak-connect's cache of the realm's keys (untyped upstream). */
  rotation: { jwks: unknown[]; retrieveJWKs(): Promise<{ keys?: unknown[] }> };
};

/**
 * keycloak-connect in bearer-only mode checks signature (realm keys fetched
 * once and cached, so valid tokens outlive a Keycloak outage), expiry, type,
 * issuer and — only when asked — audience. Its own `protect()` answers a plain
 * 403; the gateway answers 401 with a GraphQL-shaped error instead.
 */
export function keycloakAuthenticator(settings: GatewayAuthSettings) {
  const keycloak = new Keycloak({}, {
    realm: settings.realm,
    'auth-server-url': settings.keycloakUrl,
    resource: settings.audience,
    'bearer-only': true,
    'ssl-required': 'external',
    'confidential-port': 0,
    'verify-token-audience': true,
  } as Keycloak.KeycloakConfig);
  const grants = (keycloak as unknown as { grantManager: GrantManager }).grantManager;

  /**
   * Readiness: are the realm's keys at hand? When none are cached yet they are
   * fetched into keycloak-connect's own cache (one fetch at a time), so a
   * ready gateway verifies its first token without waiting for Keycloak.
   */
  let fetching: Promise<void> | undefined;
  const keysLoaded = async (): Promise<boolean> => {
    if (grants.rotation.jwks.length === 0) {
      fetching ??= grants.rotation
        .retrieveJWKs()
        .then((body) => void (grants.rotation.jwks = body.keys ?? []))
        .catch(() => undefined)
        .finally(() => (fetching = undefined));
      await fetching;
    }
    return grants.rotation.jwks.length > 0;
  };

  return Object.assign(authenticate, { keysLoaded });

  async function authenticate(req: Request, res: Response, next: NextFunction): Promise<void> {
    const token = bearerToken(req.headers.authorization);
    if (!token) return unauthenticated(res, 'Требуется вход: нет токена доступа (Authorization: Bearer …)');
    // keycloak-connect verifies with RSA-SHA256 whatever the header says; refuse other algorithms and key-less tokens up front.
    if (!signedWithRs256(token)) return unauthenticated(res, 'Недействительный токен доступа (alg)');
    try {
      const grant = await grants.createGrant({ access_token: token });
      const viewer = Viewer.fromClaims(grant.access_token.content, token);
      (req as Request & { district?: GatewayContext }).district = { viewer, token, ...requestMeta(req.headers) };
      next();
    } catch (error) {
      const reason = /\(([^)]+)\)/.exec((error as Error).message)?.[1] ?? 'invalid';
      unauthenticated(res, `Недействительный токен доступа (${reason})`);
    }
  }
}

function signedWithRs256(token: string): boolean {
  try {
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as { alg?: unknown; kid?: unknown };
    return header.alg === 'RS256' && typeof header.kid === 'string';
  } catch {
    return false;
  }
}

function unauthenticated(res: Response, message: string): void {
  res
    .status(401)
    .set('WWW-Authenticate', 'Bearer')
    .json({ errors: [{ message, extensions: { code: ErrorCode.Unauthenticated } }] });
}
