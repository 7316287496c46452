import { raw, type QueryOrderMap } from '@mikro-orm/core';
import { identityKeyOf, type Validator } from '@district/kit';

const NAME = /^[A-Za-zА-Яа-яЁё][A-Za-zА-Яа-яЁё' -]*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface PersonName {
  lastName: string;
  firstName: string;
  middleName: string | null;
}

/** Фамилия, имя (обязательны) и отчество (если есть), checked the same way everywhere. */
export function validName(v: Validator, input: { lastName?: string | null; firstName?: string | null; middleName?: string | null }, prefix = ''): PersonName {
  return {
    lastName: v.text(`${prefix}lastName`, input.lastName, { max: 100, pattern: NAME, label: 'Фамилия' }) ?? '',
    firstName: v.text(`${prefix}firstName`, input.firstName, { max: 100, pattern: NAME, label: 'Имя' }) ?? '',
    middleName: v.text(`${prefix}middleName`, input.middleName, { required: false, max: 100, pattern: NAME, label: 'Отчество' }) ?? null,
  };
}

/** How Staff, Student, Guardian and AccountPerson describe `personId`. */
export const PERSON_ID_DESCRIPTION = 'District-wide person id, the Keycloak account’s `person_id`; null until the person gets an account';

export const SNILS_DESCRIPTION =
  'СНИЛС (for the state services portal): only its keyed hash is stored and it is never shown again; omitted: kept, null or empty: removed';

/** The SNILS as its keyed hash: omitted keeps the stored one, null or empty removes it. */
export function validIdentityKey(v: Validator, field: string, snils: string | null | undefined, secret: string): { identityKey?: string | null } {
  if (snils === undefined) return {};
  if (snils === null || !snils.trim()) return { identityKey: null };
  if (!secret) throw new Error('identity key secret missing: a SNILS cannot be stored without it');
  const digits = v.snils(field, snils);
  return digits ? { identityKey: identityKeyOf(secret, digits) } : {};
}

export function validPersonId(v: Validator, value: string | null | undefined): string | null {
  return v.text('personId', value, { required: false, max: 36, pattern: UUID, label: 'person_id' })?.toLowerCase() ?? null;
}

/**
 * Lists sorted by surname as a Russian reader expects. The school databases
 * use the C collation, which puts Ё before А and lowercase after Я, so the
 * sort key folds Ё into Е and ignores case. A fresh raw() per call: MikroORM
 * consumes each fragment once.
 */
export function bySurname<T extends { id: number }>(): QueryOrderMap<T>[] {
  const key = (column: string) => raw((alias: string) => `lower(translate(${alias}.${column}, 'Ёё', 'Ее'))`);
  return [{ [key('last_name')]: 'asc' }, { [key('first_name')]: 'asc' }, { id: 'asc' }] as QueryOrderMap<T>[];
}
