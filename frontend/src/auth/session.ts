// Keeps the signed-in user's ID token in sessionStorage (gone when the tab closes),
// with its expiry so a stale token is dropped before it earns a 401.

const KEY = 'pam.session';

export interface Session {
  idToken: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export function saveSession(idToken: string, expiresInSeconds: number, now = Date.now()): Session {
  const session = { idToken, expiresAt: now + Math.max(0, expiresInSeconds) * 1000 };
  sessionStorage.setItem(KEY, JSON.stringify(session));
  return session;
}

export function loadSession(now = Date.now()): Session | null {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return null;
  try {
    const s = JSON.parse(raw) as Partial<Session>;
    if (typeof s.idToken !== 'string' || typeof s.expiresAt !== 'number') return null;
    if (s.expiresAt <= now) {
      clearSession();
      return null;
    }
    return { idToken: s.idToken, expiresAt: s.expiresAt };
  } catch {
    clearSession();
    return null;
  }
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}

/** Reads `exp` from a JWT without verifying it (the server verifies); null if absent. */
export function jwtExpiry(token: string): number | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const claims = JSON.parse(json) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp : null;
  } catch {
    return null;
  }
}
