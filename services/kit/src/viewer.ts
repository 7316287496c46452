import { importJWK, jwtVerify, decodeProtectedHeader, type JWK, type KeyLike } from 'jose';
import { DomainError, ErrorCode } from './errors';
import type { AuthSettings } from './config';
import { DISTRICT_ROLES, type Role } from './policy';

/** Who is calling: read from a verified Keycloak access token. */
export class Viewer {
  constructor(
    readonly subject: string,
    readonly username: string,
    readonly roles: ReadonlySet<string>,
    /** Schools named in the token (`school_ids`); district roles may have none. */
    readonly schoolIds: readonly string[],
    /** District-wide pseudonymous person id (`person_id`). */
    readonly personId: string | undefined,
    readonly token: string,
  ) {}

  static fromClaims(claims: Record<string, unknown>, token: string): Viewer {
    const realmAccess = claims.realm_access as { roles?: unknown } | undefined;
    const roles = Array.isArray(realmAccess?.roles) ? realmAccess!.roles.filter((r): r is string => typeof r === 'string') : [];
    const rawSchools = claims.school_ids;
    const schoolIds = (Array.isArray(rawSchools) ? rawSchools : typeof rawSchools === 'string' ? [rawSchools] : []).filter(
      (s): s is string => typeof s === 'string',
    );
    return new Viewer(
      String(claims.sub ?? ''),
      String(claims.preferred_username ?? ''),
      new Set(roles),
      schoolIds,
      typeof claims.person_id === 'string' ? claims.person_id : undefined,
      token,
    );
  }

  /** Role checks belong to the policy (policy.ts); services ask it for actions. */
  has(...roles: readonly Role[]): boolean {
    return roles.some((r) => this.roles.has(r));
  }

  /** District roles see every school unless their token names some. */
  get isDistrict(): boolean {
    return this.has(...DISTRICT_ROLES);
  }

  /** May this viewer's requests reach the given school at all? */
  canReachSchool(schoolId: string): boolean {
    if (this.schoolIds.includes(schoolId)) return true;
    return this.isDistrict && this.schoolIds.length === 0;
  }
}

/**
 * Verifies Keycloak access tokens against the realm's JWKS. Keys are cached by
 * `kid` and kept when Keycloak is unreachable, so valid tokens keep working
 * through a Keycloak outage; an unknown `kid` triggers at most one refetch per
 * `refetchIntervalMs`.
 */
export class TokenVerifier {
  private keys = new Map<string, KeyLike | Uint8Array>();
  private lastFetch = 0;
  private inflight?: Promise<void>;

  constructor(
    private readonly settings: AuthSettings,
    private readonly refetchIntervalMs = 10_000,
  ) {}

  async verify(token: string | undefined): Promise<Viewer> {
    if (!token) throw new DomainError(ErrorCode.Unauthenticated, 'Требуется вход: нет токена доступа');
    let kid: string | undefined;
    try {
      const header = decodeProtectedHeader(token);
      if (header.alg !== 'RS256') throw new Error(`alg ${String(header.alg)}`);
      kid = header.kid;
    } catch {
      throw new DomainError(ErrorCode.Unauthenticated, 'Недействительный токен доступа');
    }
    const key = await this.keyFor(kid);
    if (!key) throw new DomainError(ErrorCode.Unauthenticated, 'Недействительный токен доступа: неизвестный ключ');
    try {
      const { payload } = await jwtVerify(token, key, {
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        algorithms: ['RS256'],
      });
      if (payload.typ !== undefined && payload.typ !== 'Bearer') throw new Error('not an access token');
      return Viewer.fromClaims(payload as Record<string, unknown>, token);
    } catch {
      throw new DomainError(ErrorCode.Unauthenticated, 'Недействительный или просроченный токен доступа');
    }
  }

  /**
   * Readiness: are there keys to verify tokens with? Fetched now if none are
   * held yet; once fetched they stay, so a later Keycloak outage does not make
   * the service unready (tokens signed with known keys still verify).
   */
  async keysLoaded(): Promise<boolean> {
    if (this.keys.size === 0) await this.refresh();
    return this.keys.size > 0;
  }

  private async keyFor(kid: string | undefined): Promise<KeyLike | Uint8Array | undefined> {
    if (!kid) return undefined;
    const cached = this.keys.get(kid);
    if (cached) return cached;
    if (Date.now() - this.lastFetch >= this.refetchIntervalMs || this.keys.size === 0) await this.refresh();
    return this.keys.get(kid);
  }

  private refresh(): Promise<void> {
    this.inflight ??= (async () => {
      try {
        const response = await fetch(this.settings.jwksUrl, { signal: AbortSignal.timeout(5_000) });
        if (!response.ok) return;
        const body = (await response.json()) as { keys?: JWK[] };
        for (const jwk of body.keys ?? []) {
          if (jwk.kid && jwk.use !== 'enc' && (jwk.alg ?? 'RS256') === 'RS256') this.keys.set(jwk.kid, await importJWK(jwk, 'RS256'));
        }
      } catch {
        // Keycloak unreachable: keep the keys we have.
      } finally {
        this.lastFetch = Date.now();
        this.inflight = undefined;
      }
    })();
    return this.inflight;
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}
