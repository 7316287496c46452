import { lazy, Suspense, useMemo, useRef } from 'react';
import { AuthProvider, useAuth } from 'react-oidc-context';
import { WebStorageStateStore } from 'oidc-client-ts';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { Provider as UrqlProvider } from 'urql';
import { useTranslation } from 'react-i18next';
import { createApiClient } from '../api/client';
import { decodeClaims, hasRole, sessionFromClaims, type Session } from '../auth/session';
import type { RuntimeConfig } from '../config';
import { Loading, Notice } from '../ui/components';
import { Layout } from './Layout';
import { homePath } from './navigation';
import { NoRoles, NotFound } from './pages';
import { SessionContext } from './session-context';

// Each section is its own chunk: a parent's phone loads the diary, not the district's charts.
const DiaryPage = lazy(() => import('../features/diary/DiaryPage'));
const TodayPage = lazy(() => import('../features/teacher/TodayPage'));
const JournalPage = lazy(() => import('../features/teacher/JournalPage'));
const ControlPage = lazy(() => import('../features/control/ControlPage'));
const RulesPage = lazy(() => import('../features/control/RulesPage'));
const DistrictPage = lazy(() => import('../features/district/DistrictPage'));
const AccountsPage = lazy(() => import('../features/accounts/AccountsPage'));
const AccountPage = lazy(() => import('../features/accounts/AccountPage'));
const OutboxSync = lazy(() => import('../features/teacher/OutboxSync'));

interface ReturnState {
  returnTo?: string;
}

/** Login with the district's Keycloak: authorization code flow with PKCE, tokens renewed silently. */
export function App({ config }: { config: RuntimeConfig }) {
  const origin = window.location.origin;
  return (
    <AuthProvider
      authority={`${config.keycloakUrl.replace(/\/$/, '')}/realms/${config.realm}`}
      client_id={config.clientId}
      redirect_uri={`${origin}/`}
      post_logout_redirect_uri={`${origin}/`}
      scope="openid"
      automaticSilentRenew
      userStore={new WebStorageStateStore({ store: window.sessionStorage })}
      onSigninCallback={(user) => {
        const returnTo = (user?.state as ReturnState | undefined)?.returnTo ?? '/';
        window.history.replaceState({}, document.title, returnTo);
      }}
    >
      <AuthGate />
    </AuthProvider>
  );
}

function AuthGate() {
  const auth = useAuth();
  const { t } = useTranslation();
  const tokenRef = useRef<string | undefined>(undefined);
  tokenRef.current = auth.user?.access_token;
  const client = useMemo(
    () =>
      createApiClient({
        token: () => tokenRef.current,
        onUnauthenticated: () => void auth.signinRedirect({ state: { returnTo: currentPath() } satisfies ReturnState }),
      }),
    // One client per login; the token is read fresh on every request.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [auth.user?.profile.sub],
  );

  if (auth.error) {
    return (
      <main className="app-main">
        <Notice kind="error">
          <p>{t('auth.failed', { reason: auth.error.message })}</p>
          <button type="button" className="button" onClick={() => void auth.signinRedirect({ state: { returnTo: currentPath() } })}>
            {t('auth.signIn')}
          </button>
        </Notice>
      </main>
    );
  }
  if (auth.isLoading || auth.activeNavigator) return <Loading label={t('auth.signingIn')} />;
  if (!auth.isAuthenticated || !auth.user) {
    void auth.signinRedirect({ state: { returnTo: currentPath() } satisfies ReturnState });
    return <Loading label={t('auth.signingIn')} />;
  }
  const session: Session = sessionFromClaims(decodeClaims(auth.user.access_token));
  return (
    <SessionContext.Provider value={session}>
      <UrqlProvider value={client}>
        {hasRole(session, 'teacher') && (
          <Suspense fallback={null}>
            <OutboxSync />
          </Suspense>
        )}
        <BrowserRouter>
          <Layout session={session} onSignOut={() => void auth.signoutRedirect()}>
            <Suspense fallback={<Loading />}>
              <Routes>
                <Route path="/" element={<Home session={session} />} />
                <Route path="/diary" element={<DiaryPage />} />
                <Route path="/today" element={<TodayPage />} />
                <Route path="/journal" element={<JournalPage />} />
                <Route path="/control" element={<ControlPage />} />
                <Route path="/rules" element={<RulesPage />} />
                <Route path="/district" element={<DistrictPage />} />
                <Route path="/accounts" element={<AccountsPage />} />
                <Route path="/accounts/:id" element={<AccountPage />} />
                <Route path="*" element={<NotFound />} />
              </Routes>
            </Suspense>
          </Layout>
        </BrowserRouter>
      </UrqlProvider>
    </SessionContext.Provider>
  );
}

function Home({ session }: { session: Session }) {
  const path = homePath(session);
  return path ? <Navigate to={path} replace /> : <NoRoles session={session} />;
}

function currentPath(): string {
  return `${window.location.pathname}${window.location.search}`;
}
