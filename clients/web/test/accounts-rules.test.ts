import { describe, expect, it } from 'vitest';
import { sessionFromClaims } from '../src/auth/session';
import { accountCreation, accountPowers, accountsAccess, PLATFORM_ROLES, platformRole } from '../src/features/accounts/access';
import { credentialsBlob, credentialsFileName } from '../src/features/accounts/credentials-file';
import { auditChange, roleLabel, roleList } from '../src/features/accounts/labels';
import { i18n } from '../src/i18n';
import { formatDateTime } from '../src/lib/dates';

const t = i18n.t.bind(i18n);
/** jsdom's Blob has no arrayBuffer(); its FileReader reads one. */
const readBytes = (blob: Blob) =>
  new Promise<ArrayBuffer>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as ArrayBuffer);
    reader.onerror = () => reject(reader.error);
    reader.readAsArrayBuffer(blob);
  });
const as = (username: string, roles: string[], schools: string[] = []) =>
  sessionFromClaims({ preferred_username: username, realm_access: { roles }, ...(schools.length ? { school_ids: schools } : {}) });
const names = new Map([
  ['s001', 'Школа № 1'],
  ['s002', 'Гимназия № 2'],
]);

describe('account roles in Russian', () => {
  it('names every platform role as the district says it', () => {
    expect(PLATFORM_ROLES.map((r) => roleLabel(r, t))).toEqual([
      'учитель',
      'завуч',
      'директор',
      'обучающийся',
      'родитель',
      'аналитик района',
      'администратор района',
      'портал госуслуг',
      'администратор единого входа',
      'шлюз',
    ]);
  });

  it('reads the realm role names of drift lists and audit rows the same way; an unknown name stays as it is', () => {
    expect(['school-admin', 'sso-admin', 'district-analyst', 'parent'].map((r) => roleLabel(r, t))).toEqual([
      'директор',
      'администратор единого входа',
      'аналитик района',
      'родитель',
    ]);
    expect(platformRole('school-admin')).toBe('SCHOOL_ADMIN');
    expect(platformRole('offline_access')).toBeUndefined();
    expect(roleLabel('offline_access', t)).toBe('offline_access');
    expect(roleList(['TEACHER', 'deputy'], t)).toBe('учитель, завуч');
    expect(roleList([], t)).toBe('—');
  });
});

describe('who administers accounts and which roles they grant', () => {
  it('district IT (sso-admin) works in every school and grants every role', () => {
    const access = accountsAccess(as('sso.admin', ['sso-admin']))!;
    expect(access).toEqual({ everySchool: true, ownSchools: [], grantable: PLATFORM_ROLES });
    expect(access.grantable).toHaveLength(10);
  });

  it('a director works in their own school and grants the school roles but their own', () => {
    expect(accountsAccess(as('s001.director', ['school-admin'], ['s001']))).toEqual({
      everySchool: false,
      ownSchools: ['s001'],
      grantable: ['TEACHER', 'DEPUTY', 'STUDENT', 'PARENT'],
    });
  });

  it('nobody else sees the section; a director without a school neither', () => {
    for (const roles of [['teacher'], ['deputy'], ['district-admin'], ['district-analyst'], ['parent'], ['portal']]) {
      expect(accountsAccess(as('someone', roles, ['s001']))).toBeUndefined();
    }
    expect(accountsAccess(as('s009.director', ['school-admin']))).toBeUndefined();
  });

  it('a director changes an account of their school as a whole; one shared with another school only by unbinding their own', () => {
    const director = as('s001.director', ['school-admin'], ['s001']);
    const access = accountsAccess(director)!;
    const mine = accountPowers(access, director, { username: 's001.teacher', schoolIds: ['s001'] });
    expect({ whole: mine.whole, grantable: mine.grantable, bind: mine.mayBind, s001: mine.mayUnbind('s001'), s002: mine.mayUnbind('s002') }).toEqual({
      whole: true,
      grantable: ['TEACHER', 'DEPUTY', 'STUDENT', 'PARENT'],
      bind: false,
      s001: true,
      s002: false,
    });
    const shared = accountPowers(access, director, { username: 'parent.multi', schoolIds: ['s001', 's002'] });
    expect({ whole: shared.whole, grantable: shared.grantable, s001: shared.mayUnbind('s001'), s002: shared.mayUnbind('s002') }).toEqual({
      whole: false,
      grantable: [],
      s001: true,
      s002: false,
    });
  });

  it('district IT binds and unbinds any school, and nobody changes their own account', () => {
    const districtIt = as('sso.admin', ['sso-admin']);
    const access = accountsAccess(districtIt)!;
    const other = accountPowers(access, districtIt, { username: 'parent.multi', schoolIds: ['s001', 's002'] });
    expect({ whole: other.whole, grantable: other.grantable.length, bind: other.mayBind, s002: other.mayUnbind('s002') }).toEqual({
      whole: true,
      grantable: 10,
      bind: true,
      s002: true,
    });
    const own = accountPowers(access, districtIt, { username: 'sso.admin', schoolIds: [] });
    expect({ own: own.own, whole: own.whole, grantable: own.grantable, bind: own.mayBind }).toEqual({ own: true, whole: false, grantable: [], bind: false });
  });
});

describe('creating the account a drift line proposes', () => {
  it('a director creates in their own school with the roles they grant; a director’s account is district IT’s to create', () => {
    const access = accountsAccess(as('s001.director', ['school-admin'], ['s001']))!;
    expect(accountCreation(access, 's001', ['teacher'])).toEqual({ roles: ['TEACHER'], refused: [] });
    expect(accountCreation(access, 's001', ['school-admin'])).toEqual({ roles: [], refused: ['school-admin'] });
    expect(accountCreation(access, 's002', ['student'])).toBeUndefined();
  });

  it('district IT creates in every school with any role; a name the app does not know is refused', () => {
    const access = accountsAccess(as('sso.admin', ['sso-admin']))!;
    expect(accountCreation(access, 's002', ['school-admin', 'school-admin'])).toEqual({ roles: ['SCHOOL_ADMIN'], refused: [] });
    expect(accountCreation(access, 's002', ['parent', 'offline_access'])).toEqual({ roles: ['PARENT'], refused: ['offline_access'] });
  });
});

describe('an audit row in words', () => {
  it('names the roles and schools added and taken and the status change', () => {
    const before = JSON.stringify({ username: 'x', enabled: true, roles: ['teacher'], schoolIds: ['s001'], personId: 'p' });
    const after = JSON.stringify({ username: 'x', enabled: false, roles: ['teacher', 'deputy'], schoolIds: ['s002'], personId: 'p' });
    expect(auditChange(before, after, t, names)).toEqual([
      'выданы роли: завуч',
      'привязана к школам: Гимназия № 2 (s002)',
      'откреплена от школ: Школа № 1 (s001)',
      'статус: активна → заблокирована',
    ]);
  });

  it('a created account lists what it got; a password reset shows no change', () => {
    expect(auditChange(null, JSON.stringify({ enabled: true, roles: ['student'], schoolIds: ['s001'] }), t, names)).toEqual([
      'выданы роли: обучающийся',
      'привязана к школам: Школа № 1 (s001)',
    ]);
    expect(auditChange(null, JSON.stringify({ temporary: true }), t, names)).toEqual([]);
    expect(auditChange('not json', null, t, names)).toEqual([]);
  });
});

describe('the credentials file', () => {
  it('is named after the school and the run’s day in Moscow', () => {
    // 22:30 UTC on 7 December is already 8 December in Moscow.
    expect(credentialsFileName('s001', '2026-12-07T22:30:00.000Z')).toBe('uchetnye-zapisi-s001-2026-12-08.csv');
    expect(credentialsFileName('s002', '2026-12-07T09:00:00.000Z')).toBe('uchetnye-zapisi-s002-2026-12-07.csv');
    expect(credentialsFileName('a/b c', '2026-12-07T09:00:00.000Z')).toBe('uchetnye-zapisi-a_b_c-2026-12-07.csv');
  });

  it('holds the CSV exactly as the API gave it, as UTF-8 CSV', async () => {
    const csv = '\uFEFFФИО;Кто;Класс;Логин;Временный пароль\r\n"Петров Иван";"сотрудник";"";"s001.petrov";"Xk7-pq2"\r\n';
    const blob = credentialsBlob(csv);
    expect(blob.type).toBe('text/csv;charset=utf-8');
    const bytes = new Uint8Array(await readBytes(blob));
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)).toBe(csv);
  });
});

it('a last login reads as a Moscow date and time with its year', () => {
  expect(formatDateTime('2026-12-07T06:15:00.000Z')).toBe('07.12.2026, 09:15');
});
