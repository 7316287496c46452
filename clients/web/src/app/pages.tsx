import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Session } from '../auth/session';
import { Card, Notice } from '../ui/components';

/** A user with none of the platform's roles: an explanation and what to do, not an empty page. */
export function NoRoles({ session }: { session: Session }) {
  const { t } = useTranslation();
  return (
    <Card title={t('auth.noRolesTitle')} labelledBy="no-roles">
      <p>{t('auth.noRoles', { name: session.name || session.username })}</p>
    </Card>
  );
}

export function NotFound() {
  const { t } = useTranslation();
  return (
    <Notice kind="info">
      <p>{t('errors.forbiddenHint')}</p>
      <Link to="/">{t('app.back')}</Link>
    </Notice>
  );
}
