import { describe, expect, it } from 'vitest';
import { homePath, navigationFor } from '../src/app/navigation';
import { sessionFromClaims, type Role } from '../src/auth/session';

const as = (...roles: string[]) => sessionFromClaims({ preferred_username: 'u', realm_access: { roles }, school_ids: ['s001'] });
const paths = (...roles: Role[]) => navigationFor(as(...roles)).map((i) => i.path);

describe('role-based navigation', () => {
  it.each([
    [['teacher'], ['/today', '/journal'], '/today'],
    [['deputy'], ['/control'], '/control'],
    [['school-admin'], ['/control', '/rules', '/accounts'], '/control'],
    [['student'], ['/diary'], '/diary'],
    [['parent'], ['/diary'], '/diary'],
    [['district-analyst'], ['/district'], '/district'],
    [['district-admin'], ['/district'], '/district'],
    [['sso-admin'], ['/accounts'], '/accounts'],
    [['teacher', 'deputy'], ['/today', '/journal', '/control'], '/today'],
  ] as [Role[], string[], string][])('%j sees %j and starts at %s', (roles, expected, home) => {
    expect(paths(...roles)).toEqual(expected);
    expect(homePath(as(...roles))).toBe(home);
  });

  it('a user with no platform role has no section (the app explains instead)', () => {
    expect(navigationFor(as('offline_access', 'uma_authorization'))).toEqual([]);
    expect(homePath(as())).toBeUndefined();
    expect(navigationFor(as('portal'))).toEqual([]);
  });

  it('reads roles, schools and person id from the token claims', () => {
    const s = sessionFromClaims({
      preferred_username: 'parent.multi',
      given_name: 'Ирина',
      family_name: 'Орлова',
      realm_access: { roles: ['parent', 'offline_access'] },
      school_ids: ['s001', 's002'],
      person_id: 'p-1',
    });
    expect({ name: s.name, roles: [...s.roles], schools: s.schoolIds, person: s.personId }).toEqual({
      name: 'Ирина Орлова',
      roles: ['parent'],
      schools: ['s001', 's002'],
      person: 'p-1',
    });
  });
});
