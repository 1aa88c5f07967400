// Entry point: load config.json, finish a Hosted UI callback if this page load is one,
// then render the app. A broken config shows a plain message instead of a blank page.

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { completeSignIn } from './auth/cognito';
import { saveSession } from './auth/session';
import { loadConfig } from './config';
import './styles.css';

async function start() {
  const root = createRoot(document.getElementById('root')!);
  try {
    const config = await loadConfig();
    let notice: string | undefined;
    if (config.auth.mode === 'cognito') {
      try {
        const tokens = await completeSignIn(config.auth, window.location);
        if (tokens) {
          saveSession(tokens.idToken, tokens.expiresIn);
          window.history.replaceState(null, '', `${window.location.pathname}#/upload`);
        }
      } catch (e) {
        notice = (e as Error).message;
        window.history.replaceState(null, '', `${window.location.pathname}#/signin`);
      }
    }
    root.render(
      <StrictMode>
        <App config={config} initialNotice={notice} />
      </StrictMode>,
    );
  } catch (e) {
    root.render(
      <main className="fatal" role="alert">
        <h1>PAM could not start</h1>
        <p>{(e as Error).message}</p>
      </main>,
    );
  }
}

void start();
