import { ROLES_OF_PERSON, SCHOOL_ROLES, type Role } from '@district/kit';
import type { StoredAccount } from '../accounts/account-store';
import type { SchoolPerson } from '../gateway-client';

/**
 * What a school's accounts should be, from its people: every current person
 * (active staff, students enrolled now, guardians of such students) has an
 * account bound to the school with the roles of what they are there; a
 * person who left no longer has the school. The difference is the drift;
 * provisioning and fixing the drift close it.
 */
export type DriftKind =
  /** A current person with no account (or no district person id yet). */
  | 'PERSON_WITHOUT_ACCOUNT'
  /** A current person's account is not bound to the school. */
  | 'SCHOOL_MISSING'
  /** A current person's account lacks a role of what they are in the school. */
  | 'ROLES_MISSING'
  /** A single-school account holds a school role that none of its person's places in the school gives. */
  | 'ROLES_EXTRA'
  /**
   * An account bound to the school whose person id belongs to nobody current of
   * the school: the person left (enrollment or position ended, no child
   * enrolled any more), or never was one of its people.
   */
  | 'NO_CURRENT_PERSON';

export interface DriftItem {
  kind: DriftKind;
  person: SchoolPerson | null;
  account: StoredAccount | null;
  /** Roles to grant (ROLES_MISSING) or to take back (ROLES_EXTRA). */
  roles: Role[];
}

/** The school roles a staff position gives: the director, a deputy director (завуч), else a teacher. */
export function staffRoles(position: string | null): Role[] {
  const p = (position ?? '').toLowerCase();
  if (/заместитель директора|завуч/.test(p)) return ['deputy'];
  if (/директор/.test(p)) return ['school-admin'];
  return ['teacher'];
}

export function expectedRoles(person: SchoolPerson): Role[] {
  if (person.kind === 'STAFF') return staffRoles(person.position);
  return [...ROLES_OF_PERSON[person.kind]];
}

/**
 * The drift of one school: `persons` are its current people (as people list
 * them), `accounts` every account bound to the school or carrying the person
 * id of one of them.
 */
export function driftOf(schoolId: string, persons: readonly SchoolPerson[], accounts: readonly StoredAccount[]): DriftItem[] {
  const byPerson = new Map<string, StoredAccount>();
  for (const a of accounts) if (a.personId && !byPerson.has(a.personId)) byPerson.set(a.personId, a);
  // One human may be several persons of the school (a teacher who is also a parent): their roles add up.
  const expected = new Map<string, Set<Role>>();
  const current = persons.filter((p) => p.active);
  for (const p of current) if (p.personId) expected.set(p.personId, new Set([...(expected.get(p.personId) ?? []), ...expectedRoles(p)]));
  const items: DriftItem[] = [];
  const seen = new Set<string>();
  for (const person of current) {
    const account = person.personId ? byPerson.get(person.personId) : undefined;
    if (!account) {
      items.push({ kind: 'PERSON_WITHOUT_ACCOUNT', person, account: null, roles: expectedRoles(person) });
      continue;
    }
    if (seen.has(account.id)) continue;
    seen.add(account.id);
    if (!account.schoolIds.includes(schoolId)) items.push({ kind: 'SCHOOL_MISSING', person, account, roles: [] });
    const wanted = [...expected.get(person.personId!)!];
    const missing = wanted.filter((r) => !account.roles.includes(r));
    if (missing.length) items.push({ kind: 'ROLES_MISSING', person, account, roles: missing });
    if (account.schoolIds.every((s) => s === schoolId)) {
      const extra = account.roles.filter((r) => SCHOOL_ROLES.includes(r) && !wanted.includes(r));
      if (extra.length) items.push({ kind: 'ROLES_EXTRA', person, account, roles: extra });
    }
  }
  const currentIds = new Set(current.map((p) => p.personId).filter((id): id is string => id !== null));
  for (const account of accounts) {
    if (account.schoolIds.includes(schoolId) && !(account.personId && currentIds.has(account.personId))) {
      items.push({ kind: 'NO_CURRENT_PERSON', person: null, account, roles: [] });
    }
  }
  return items;
}
