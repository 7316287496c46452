import { identityKeyOf, normalizeSnils, snilsCheck } from '@district/kit';
import { DEMO_IDENTITY_KEY_SECRET } from '@district/people';
/**
 * Demo users of the realm file and the people they are in the schools' data.
 * person_id = 00000000-0000-4000-8000-0000000SSSRR (SSS school number or 900
 * for district users; RR role code) — the same values as in
 * infra/keycloak/realm-district.json.
 */
export const ROLE_CODES = { director: '01', deputy: '02', teacher: '03', student: '04', parent: '05' } as const;

export function demoPersonId(schoolNumber: number, code: string): string {
  return `00000000-0000-4000-8000-0000000${String(schoolNumber).padStart(3, '0')}${code}`;
}

export function schoolNumber(schoolId: string): number {
  return Number(schoolId.slice(1));
}

export const PARENT_MULTI_PERSON_ID = demoPersonId(900, '04');

/**
 * The demo's SNILS numbers (valid check numbers, formatted «200-105-000 62»):
 * 2 SSS RR NNN — SSS the school number (900: parent.multi and their
 * children), RR the role code, NNN the child number. Seeded only as identity
 * keys; README lists them for trying the state portal's CLI.
 */
export function demoSnils(schoolNumber: number, code: string, child = 0): string {
  const nine = `2${String(schoolNumber).padStart(3, '0')}${code}${String(child).padStart(3, '0')}`;
  const check = String(snilsCheck(nine)).padStart(2, '0');
  return `${nine.slice(0, 3)}-${nine.slice(3, 6)}-${nine.slice(6)} ${check}`;
}

/** The identity key the demo's people hold for a demo SNILS. */
export function demoIdentityKey(snils: string): string {
  return identityKeyOf(DEMO_IDENTITY_KEY_SECRET, normalizeSnils(snils)!);
}

export const DEMO_SCHOOLS = [
  {
    id: 's001',
    fullName: 'Государственное бюджетное общеобразовательное учреждение «Школа № 1»',
    shortName: 'Школа № 1',
    address: 'ул. Ленина, 1',
    director: 'Петрова Ольга Николаевна',
  },
  {
    id: 's002',
    fullName: 'Государственное бюджетное общеобразовательное учреждение «Гимназия № 2»',
    shortName: 'Гимназия № 2',
    address: 'пр. Мира, 15',
    director: 'Сидоров Андрей Викторович',
  },
  {
    id: 's003',
    fullName: 'Государственное бюджетное общеобразовательное учреждение «Лицей № 3»',
    shortName: 'Лицей № 3',
    address: 'ул. Садовая, 7',
    director: 'Кузнецова Марина Сергеевна',
  },
];

export const DEMO_LOGINS = [
  'analyst',
  'district.admin',
  'sso.admin',
  'parent.multi',
  ...DEMO_SCHOOLS.flatMap((s) => ['director', 'deputy', 'teacher', 'student', 'parent'].map((r) => `${s.id}.${r}`)),
];
