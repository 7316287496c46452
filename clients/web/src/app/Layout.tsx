import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router-dom';
import type { Session } from '../auth/session';
import { navigationFor } from './navigation';

export function Layout({ session, onSignOut, children }: { session: Session; onSignOut: () => void; children: ReactNode }) {
  const { t } = useTranslation();
  const roles = [...session.roles].map((r) => t(`auth.roles.${r}`)).join(', ');
  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header className="app-header">
        <div className="app-header__inner">
          <a className="app-header__brand" href="/">
            {t('app.title')}
            <small>{t('app.district')}</small>
          </a>
          <nav className="app-nav" aria-label={t('nav.menu')}>
            {navigationFor(session).map((item) => (
              <NavLink key={item.path} to={item.path}>
                {t(item.label)}
              </NavLink>
            ))}
          </nav>
          <div className="app-user">
            <span>
              {session.name}
              {roles && (
                <span className="muted" style={{ color: 'rgba(255,255,255,.8)' }}>
                  {' '}
                  · {roles}
                </span>
              )}
            </span>
            <button type="button" className="button button--secondary" onClick={onSignOut}>
              {t('auth.signOut')}
            </button>
          </div>
        </div>
      </header>
      <main id="main" className="app-main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
