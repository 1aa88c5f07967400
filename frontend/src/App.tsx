// The app shell: holds the session, builds the API client, and picks the page from the
// URL hash. A 401 from any call ends the session and shows sign-in with a note.

import { useCallback, useMemo, useRef, useState, type ReactElement } from 'react';
import { ApiClient } from './api/client';
import { clearSession, loadSession, saveSession, type Session } from './auth/session';
import { logoutUrl } from './auth/cognito';
import { Layout } from './components/Layout';
import type { AppConfig } from './config';
import { AppContext } from './context';
import { navigate, useRoute } from './router';
import { ExecutionPage } from './pages/ExecutionPage';
import { ExecutionsPage } from './pages/ExecutionsPage';
import { JobPage } from './pages/JobPage';
import { JobsPage } from './pages/JobsPage';
import { LabelsPage } from './pages/LabelsPage';
import { OutboxPage } from './pages/OutboxPage';
import { SignInPage } from './pages/SignInPage';
import { UploadPage } from './pages/UploadPage';

const NOTICE_KEY = 'pam.notice';
const SESSION_ENDED = 'Your session has ended. Please sign in again.';

function takeNotice(): string | undefined {
  const n = sessionStorage.getItem(NOTICE_KEY) ?? undefined;
  sessionStorage.removeItem(NOTICE_KEY);
  return n;
}

export interface AppProps {
  config: AppConfig;
  fetchImpl?: typeof fetch;
  /** A sign-in error from a Hosted UI callback, shown on the sign-in page. */
  initialNotice?: string;
}

export function App({ config, fetchImpl, initialNotice }: AppProps) {
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const [notice, setNotice] = useState<string | undefined>(() => initialNotice ?? takeNotice());
  const route = useRoute();
  const sessionRef = useRef(session);
  sessionRef.current = session;

  const api = useMemo(
    () =>
      new ApiClient({
        apiBase: config.apiBase,
        fetchImpl,
        getToken: () => (loadSession() ?? sessionRef.current)?.idToken ?? null,
        onUnauthorized: () => {
          clearSession();
          setSession(null);
          setNotice(SESSION_ENDED);
          // kept for one showing, in case the page is reloaded before sign-in
          sessionStorage.setItem(NOTICE_KEY, SESSION_ENDED);
        },
      }),
    [config.apiBase, fetchImpl],
  );

  const onSignedIn = useCallback(
    (idToken: string, expiresIn: number) => {
      setSession(saveSession(idToken, expiresIn));
      setNotice(undefined);
      sessionStorage.removeItem(NOTICE_KEY);
      if (route.page === 'signin') navigate({ page: 'upload' });
    },
    [route.page],
  );

  const signOut = useCallback(() => {
    clearSession();
    setSession(null);
    setNotice('You have signed out.');
    if (config.auth.mode === 'cognito') window.location.assign(logoutUrl(config.auth));
  }, [config.auth]);

  const ctx = useMemo(() => ({ api, config }), [api, config]);

  if (!session) {
    return (
      <AppContext.Provider value={ctx}>
        <SignInPage notice={notice} onSignedIn={onSignedIn} />
      </AppContext.Provider>
    );
  }

  let page: ReactElement;
  switch (route.page) {
    case 'signin':
    case 'upload':
      page = <UploadPage />;
      break;
    case 'labels':
      page = <LabelsPage />;
      break;
    case 'jobs':
      page = <JobsPage />;
      break;
    case 'job':
      page = <JobPage id={route.id} />;
      break;
    case 'outbox':
      page = <OutboxPage />;
      break;
    case 'executions':
      page = <ExecutionsPage />;
      break;
    case 'execution':
      page = <ExecutionPage arn={route.arn} />;
      break;
    case 'not-found':
      page = (
        <section>
          <h1>Page not found</h1>
          <p>
            There is no page at <code>{route.path}</code>. <a href="#/upload">Go to upload</a>.
          </p>
        </section>
      );
      break;
  }
  return (
    <AppContext.Provider value={ctx}>
      <Layout route={route} onSignOut={signOut} showOutbox={config.auth.mode === 'local'}>
        {page}
      </Layout>
    </AppContext.Provider>
  );
}
