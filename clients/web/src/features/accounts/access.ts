import { hasRole, type Session } from '../../auth/session';
import type { PlatformRole } from '../../gql/graphql';

/** Every role of the platform, in the order the screens list them. */
export const PLATFORM_ROLES: readonly PlatformRole[] = [
  'TEACHER',
  'DEPUTY',
  'SCHOOL_ADMIN',
  'STUDENT',
  'PARENT',
  'DISTRICT_ANALYST',
  'DISTRICT_ADMIN',
  'PORTAL',
  'SSO_ADMIN',
  'GATEWAY',
];

/** The roles of a school's people (what a director's search filters by). */
export const SCHOOL_ROLES: readonly PlatformRole[] = ['TEACHER', 'DEPUTY', 'SCHOOL_ADMIN', 'STUDENT', 'PARENT'];

/** A director hands out the school's roles but their own (school-admin is granted by district IT). */
const DIRECTOR_GRANTS: readonly PlatformRole[] = ['TEACHER', 'DEPUTY', 'STUDENT', 'PARENT'];

/**
 * Who administers accounts, as the identity service decides it (kit policy
 * `accounts:read/manage`, `grantableRoles`): district IT (`sso-admin`) every
 * school and every role; a school's director (`school-admin`) their own
 * schools' accounts and the school roles but their own. The service checks
 * again; this only shapes the screens.
 */
export interface AccountsAccess {
  /** District IT: every school, chosen from the registry. */
  everySchool: boolean;
  /** The director's own schools (from the token); empty for district IT. */
  ownSchools: readonly string[];
  /** Roles the viewer may grant and revoke. */
  grantable: readonly PlatformRole[];
}

export function accountsAccess(session: Session): AccountsAccess | undefined {
  if (hasRole(session, 'sso-admin')) return { everySchool: true, ownSchools: [], grantable: PLATFORM_ROLES };
  if (hasRole(session, 'school-admin') && session.schoolIds.length > 0)
    return { everySchool: false, ownSchools: session.schoolIds, grantable: DIRECTOR_GRANTS };
  return undefined;
}

export function mayAdministerSchool(access: AccountsAccess, schoolId: string): boolean {
  return access.everySchool || access.ownSchools.includes(schoolId);
}

/**
 * What the viewer may do to one account: nobody changes their own roles,
 * schools or status; a director changes an account as a whole only when all
 * its schools are theirs (one shared with another school is district IT's),
 * and binds nothing but may unbind their own school.
 */
export interface AccountPowers {
  own: boolean;
  /** Roles, blocking, password, sessions. */
  whole: boolean;
  grantable: readonly PlatformRole[];
  mayBind: boolean;
  mayUnbind(schoolId: string): boolean;
}

export function accountPowers(access: AccountsAccess, session: Session, account: { username: string; schoolIds: readonly string[] }): AccountPowers {
  const own = account.username === session.username;
  const sharedElsewhere = !access.everySchool && account.schoolIds.some((s) => !access.ownSchools.includes(s));
  const whole = !own && !sharedElsewhere;
  return {
    own,
    whole,
    grantable: whole ? access.grantable : [],
    mayBind: !own && access.everySchool,
    mayUnbind: (schoolId) => !own && mayAdministerSchool(access, schoolId),
  };
}

/**
 * Whether the viewer may create the account a drift line proposes for a
 * person of the school: only in a school they administer, and only with
 * roles they may grant (a director does not make a director). `roles` are
 * what the line names (realm role names); `refused` the ones the viewer may
 * not grant, or the app does not know.
 */
export interface AccountCreation {
  roles: PlatformRole[];
  refused: string[];
}

export function accountCreation(access: AccountsAccess, schoolId: string, roles: readonly string[]): AccountCreation | undefined {
  if (!mayAdministerSchool(access, schoolId)) return undefined;
  const wanted = new Set<PlatformRole>();
  const refused: string[] = [];
  for (const name of roles) {
    const role = platformRole(name);
    if (role && access.grantable.includes(role)) wanted.add(role);
    else refused.push(name);
  }
  return { roles: [...wanted], refused };
}

/**
 * The API names roles two ways: the `PlatformRole` enum (TEACHER,
 * SCHOOL_ADMIN) on accounts, the realm role names (teacher, school-admin) in
 * drift lists and audit snapshots. Both to the enum; unknown names undefined.
 */
export function platformRole(name: string): PlatformRole | undefined {
  const key = name.trim().toUpperCase().replace(/-/g, '_');
  return (PLATFORM_ROLES as readonly string[]).includes(key) ? (key as PlatformRole) : undefined;
}
