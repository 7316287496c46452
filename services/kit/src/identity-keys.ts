import { createHmac } from 'node:crypto';

/**
 * Identity keys: what an outside party verified about a person (today the
 * SNILS, the state insurance number the state services portal knows every
 * applicant and child by). The platform never stores the number itself, only
 * a keyed hash (HMAC-SHA256 with the district's secret): equal numbers give
 * equal keys inside the district, and a leaked table cannot be reversed by
 * hashing all 10^9 possible numbers without the secret.
 */

/**
 * The 11 digits of a valid SNILS (spaces and dashes allowed: «112-233-445 95»),
 * or null when it is malformed or its check number is wrong. Numbers up to
 * 001-001-998 were issued without a check number and are refused here too:
 * none of them belongs to a schoolchild or a parent today.
 */
export function normalizeSnils(raw: string): string | null {
  const digits = raw.replace(/[\s-]/g, '');
  if (!/^\d{11}$/.test(digits)) return null;
  const number = digits.slice(0, 9);
  if (Number(number) <= 1_001_998) return null;
  return snilsCheck(number) === Number(digits.slice(9)) ? digits : null;
}

/** The two check digits of a SNILS's first nine: Σ digit × (9 − position), reduced modulo 101, 100 → 0. */
export function snilsCheck(nineDigits: string): number {
  const sum = [...nineDigits].reduce((s, d, i) => s + Number(d) * (9 - i), 0);
  const mod = sum % 101;
  return mod === 100 ? 0 : mod;
}

/** The keyed hash stored and matched instead of the number (64 hex characters). */
export function identityKeyOf(secret: string, snilsDigits: string): string {
  return createHmac('sha256', secret).update(`snils:${snilsDigits}`).digest('hex');
}

/** A well-formed identity key as the portal passes it to the schools. */
export const IDENTITY_KEY = /^[0-9a-f]{64}$/;
