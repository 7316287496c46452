/** The platform's roles (Keycloak realm roles) the web app knows. */
export type Role = 'teacher' | 'deputy' | 'school-admin' | 'student' | 'parent' | 'district-analyst' | 'district-admin' | 'sso-admin' | 'portal';

const KNOWN: Role[] = ['teacher', 'deputy', 'school-admin', 'student', 'parent', 'district-analyst', 'district-admin', 'sso-admin', 'portal'];

/** Who is signed in, read from the access token's claims (the services verify the token; the app only shapes the screens). */
export interface Session {
  username: string;
  name: string;
  roles: ReadonlySet<Role>;
  schoolIds: readonly string[];
  personId?: string;
}

export function decodeClaims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? '';
  const json = decodeURIComponent(
    atob(payload.replace(/-/g, '+').replace(/_/g, '/'))
      .split('')
      .map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
      .join(''),
  );
  return JSON.parse(json) as Record<string, unknown>;
}

export function sessionFromClaims(claims: Record<string, unknown>): Session {
  const realm = claims.realm_access as { roles?: unknown } | undefined;
  const roles = (Array.isArray(realm?.roles) ? realm.roles : []).filter((r): r is Role => KNOWN.includes(r as Role));
  const schools = claims.school_ids;
  const schoolIds = (Array.isArray(schools) ? schools : typeof schools === 'string' ? [schools] : []).filter((s): s is string => typeof s === 'string');
  const username = String(claims.preferred_username ?? '');
  const name = [claims.given_name, claims.family_name].filter((p) => typeof p === 'string' && p).join(' ') || String(claims.name ?? username);
  return { username, name, roles: new Set(roles), schoolIds, personId: typeof claims.person_id === 'string' ? claims.person_id : undefined };
}

export const hasRole = (session: Session, ...roles: Role[]) => roles.some((r) => session.roles.has(r));
