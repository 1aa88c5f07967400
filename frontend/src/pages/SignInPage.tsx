// Sign-in: a username/password form against `POST /auth/login` locally, or a button to
// the Cognito Hosted UI when the deployment says so.

import { useState, type FormEvent } from 'react';
import { beginSignIn } from '../auth/cognito';
import { ErrorNote } from '../components/ErrorNote';
import { useApp } from '../context';

interface Props {
  notice?: string;
  onSignedIn: (idToken: string, expiresIn: number) => void;
}

export function SignInPage({ notice, onSignedIn }: Props) {
  const { api, config } = useApp();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!username.trim() || !password) {
      setError(new Error('Enter your username and password.'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await api.login(username.trim(), password);
      onSignedIn(r.id_token, r.expires_in);
    } catch (err) {
      setError(err as Error);
      setBusy(false);
    }
  }

  return (
    <main className="signin">
      <section className="card narrow">
        <h1>Sign in to PAM</h1>
        <p className="muted">Photo asset management: upload, label, and download your photos.</p>
        {notice ? (
          <p className="notice" role="status">
            {notice}
          </p>
        ) : null}
        {config.auth.mode === 'cognito' ? (
          <button
            type="button"
            className="primary"
            onClick={() => config.auth.mode === 'cognito' && void beginSignIn(config.auth)}
          >
            Sign in with your account
          </button>
        ) : (
          <form onSubmit={submit} noValidate>
            <div className="field">
              <label htmlFor="username">Username</label>
              <input
                id="username"
                name="username"
                autoComplete="username"
                value={username}
                onChange={(e) => setUsername(e.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor="password">Password</label>
              <input
                id="password"
                name="password"
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </div>
            <ErrorNote error={error} />
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Signing in…' : 'Sign in'}
            </button>
          </form>
        )}
      </section>
    </main>
  );
}
