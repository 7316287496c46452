import { tryParseGlobalId, type Validator } from '@district/kit';

/**
 * The local id behind an opaque ID argument of this school, or a problem
 * recorded on the validator (a malformed ID or another school's).
 */
export function validId(v: Validator, field: string, value: string | null | undefined, type: string, schoolId: string, label: string): number | undefined {
  if (value === null || value === undefined || value === '') {
    v.check(false, field, `${label}: обязательное поле`);
    return undefined;
  }
  const parsed = tryParseGlobalId(value);
  if (!parsed || parsed.type !== type || parsed.schoolId !== schoolId) {
    v.check(false, field, `${label}: неверный идентификатор «${value}»`);
    return undefined;
  }
  return Number(parsed.localId);
}

/** The local id of a reference of this school, or undefined. */
export function localIdOf(id: unknown, type: string, schoolId: string): number | undefined {
  const parsed = typeof id === 'string' ? tryParseGlobalId(id) : undefined;
  return parsed && parsed.type === type && parsed.schoolId === schoolId ? Number(parsed.localId) : undefined;
}
