import { hasRole, type Session } from '../auth/session';

export interface NavItem {
  path: string;
  /** i18n key of the label */
  label: string;
}

/**
 * The sections a user sees follow their roles: a teacher's day and journal,
 * the diary of a student or parent, the school's control for deputies and
 * directors, the district's dashboard for its analysts and admins, the
 * single sign-on accounts for district IT and directors.
 */
export function navigationFor(session: Session): NavItem[] {
  const items: NavItem[] = [];
  if (hasRole(session, 'teacher')) items.push({ path: '/today', label: 'nav.today' }, { path: '/journal', label: 'nav.journal' });
  if (hasRole(session, 'student', 'parent')) items.push({ path: '/diary', label: 'nav.diary' });
  if (hasRole(session, 'deputy', 'school-admin')) items.push({ path: '/control', label: 'nav.control' });
  if (hasRole(session, 'school-admin')) items.push({ path: '/rules', label: 'nav.rules' });
  if (hasRole(session, 'district-analyst', 'district-admin')) items.push({ path: '/district', label: 'nav.district' });
  if (hasRole(session, 'sso-admin', 'school-admin')) items.push({ path: '/accounts', label: 'nav.accounts' });
  return items;
}

/** Where "/" leads: the first section, or nowhere (a user with no platform role sees an explanation). */
export function homePath(session: Session): string | undefined {
  return navigationFor(session)[0]?.path;
}
