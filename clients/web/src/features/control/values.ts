import type { TFunction } from 'i18next';

/** A mark, attendance code or term grade as a Russian teacher writes it. */
export function valueLabel(value: string | null | undefined, t: TFunction): string {
  if (value === null || value === undefined || value === '') return '—';
  return t(`control.values.${value}`, { defaultValue: value });
}

/** The value an audit snapshot or a proposal holds (a mark's value or an attendance code). */
export function snapshotValue(json: string | null | undefined): { value?: string; status?: string; comment?: string | null } | null {
  if (!json) return null;
  try {
    const raw = JSON.parse(json) as Record<string, unknown>;
    // A correction request's audit row holds the proposal inside: { target, action, proposed: { value | code } }.
    const parsed = raw.proposed && typeof raw.proposed === 'object' ? (raw.proposed as Record<string, unknown>) : raw;
    const value = typeof parsed.value === 'string' ? parsed.value : typeof parsed.code === 'string' ? parsed.code : undefined;
    const comment = typeof parsed.comment === 'string' ? parsed.comment : typeof parsed.reason === 'string' ? parsed.reason : null;
    return { value, status: typeof parsed.status === 'string' ? parsed.status : undefined, comment };
  } catch {
    return null;
  }
}
