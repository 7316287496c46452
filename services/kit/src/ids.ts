import { DomainError } from './errors';

/**
 * Opaque IDs that carry their school, e.g. Student 42 of s001 becomes
 * base64url("Student:s001:42"). The gateway's school router reads the school
 * from them; clients must treat them as opaque strings.
 */
export interface GlobalId {
  type: string;
  schoolId: string;
  localId: string;
}

const SCHOOL_ID = /^s\d{3,}$/;

export function isSchoolId(value: string): boolean {
  return SCHOOL_ID.test(value);
}

export function toGlobalId(type: string, schoolId: string, localId: string | number): string {
  return Buffer.from(`${type}:${schoolId}:${localId}`, 'utf8').toString('base64url');
}

/** Parses an ID, or returns undefined when it is not one of ours. */
export function tryParseGlobalId(id: string): GlobalId | undefined {
  if (typeof id !== 'string' || id.length === 0 || id.length > 200 || !/^[A-Za-z0-9_-]+$/.test(id)) return undefined;
  const parts = Buffer.from(id, 'base64url').toString('utf8').split(':');
  if (parts.length !== 3) return undefined;
  const [type, schoolId, localId] = parts as [string, string, string];
  if (!/^[A-Z][A-Za-z]+$/.test(type) || !isSchoolId(schoolId) || !/^\d+$/.test(localId)) return undefined;
  return { type, schoolId, localId };
}

/** Parses an ID that must be of the given type (and, if given, school). */
export function parseGlobalId(id: string, type: string, schoolId?: string): { schoolId: string; localId: number } {
  const parsed = tryParseGlobalId(id);
  if (!parsed || parsed.type !== type) throw DomainError.invalid(`Некорректный идентификатор (${type}): ${id}`, [{ field: 'id', message: 'invalid id' }]);
  if (schoolId && parsed.schoolId !== schoolId) throw DomainError.notFound(type, id);
  return { schoolId: parsed.schoolId, localId: Number(parsed.localId) };
}

/** The school an ID or a plain school code names, if any. */
export function schoolOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (isSchoolId(value)) return value;
  return tryParseGlobalId(value)?.schoolId;
}
