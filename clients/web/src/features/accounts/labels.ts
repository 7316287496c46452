import type { TFunction } from 'i18next';
import { platformRole } from './access';

/** «учитель» for TEACHER or teacher; a name the app does not know stays as it is. */
export function roleLabel(role: string, t: TFunction): string {
  const key = platformRole(role);
  return key ? t(`accounts.roles.${key}`) : role;
}

export function roleList(roles: readonly string[], t: TFunction): string {
  return roles.length ? roles.map((r) => roleLabel(r, t)).join(', ') : '—';
}

/** «Школа № 1 (s001)», or the code alone when the registry did not name it. */
export function schoolName(schoolId: string, names: ReadonlyMap<string, string>): string {
  const name = names.get(schoolId);
  return name ? `${name} (${schoolId})` : schoolId;
}

/** «создана — 12, уже есть — 5»: how many of each value, in the given order, the absent ones left out. */
export function tally(values: readonly string[], order: readonly string[], label: (value: string) => string): string {
  return order
    .map((key) => [key, values.filter((v) => v === key).length] as const)
    .filter(([, n]) => n > 0)
    .map(([key, n]) => `${label(key)} — ${n}`)
    .join(', ');
}

/** STAFF, STUDENT or GUARDIAN (a drift line's or a run line's person) in Russian. */
export function personKindLabel(kind: string | null | undefined, t: TFunction): string {
  return kind ? t(`accounts.personKinds.${kind}`, { defaultValue: kind }) : '—';
}

interface Snapshot {
  enabled?: boolean;
  roles?: string[];
  schoolIds?: string[];
}

function snapshot(json: string | null | undefined): Snapshot | null {
  if (!json) return null;
  try {
    const raw = JSON.parse(json) as Record<string, unknown>;
    const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);
    return { enabled: typeof raw.enabled === 'boolean' ? raw.enabled : undefined, roles: strings(raw.roles), schoolIds: strings(raw.schoolIds) };
  } catch {
    return null;
  }
}

/**
 * What one audit row changed, in words: roles and schools added (+) and
 * taken (−), the status before and after. The audit keeps whole snapshots
 * of the account before and after; a password reset keeps no password.
 */
export function auditChange(
  oldJson: string | null | undefined,
  newJson: string | null | undefined,
  t: TFunction,
  names: ReadonlyMap<string, string>,
): string[] {
  const before = snapshot(oldJson);
  const after = snapshot(newJson);
  if (!after) return [];
  const parts: string[] = [];
  const diff = (was: string[] = [], now: string[] = []) => ({ added: now.filter((x) => !was.includes(x)), taken: was.filter((x) => !now.includes(x)) });
  const roles = diff(before?.roles, after.roles);
  const schools = diff(before?.schoolIds, after.schoolIds);
  if (roles.added.length) parts.push(t('accounts.audit.rolesAdded', { roles: roleList(roles.added, t) }));
  if (roles.taken.length) parts.push(t('accounts.audit.rolesTaken', { roles: roleList(roles.taken, t) }));
  if (schools.added.length) parts.push(t('accounts.audit.schoolsAdded', { schools: schools.added.map((s) => schoolName(s, names)).join(', ') }));
  if (schools.taken.length) parts.push(t('accounts.audit.schoolsTaken', { schools: schools.taken.map((s) => schoolName(s, names)).join(', ') }));
  if (before?.enabled !== undefined && after.enabled !== undefined && before.enabled !== after.enabled) {
    parts.push(
      t('accounts.audit.status', {
        from: t(`accounts.status.${before.enabled ? 'ACTIVE' : 'DISABLED'}`),
        to: t(`accounts.status.${after.enabled ? 'ACTIVE' : 'DISABLED'}`),
      }),
    );
  }
  return parts;
}
