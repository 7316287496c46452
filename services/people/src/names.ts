import type { Validator } from '@district/kit';

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

export function validPersonId(v: Validator, value: string | null | undefined): string | null {
  return v.text('personId', value, { required: false, max: 36, pattern: UUID, label: 'person_id' })?.toLowerCase() ?? null;
}
