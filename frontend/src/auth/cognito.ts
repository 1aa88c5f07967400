// Sign-in through the Cognito Hosted UI for the AWS deployment. The code flow with PKCE
// is the default; the implicit flow (id_token in the URL fragment) is kept for user pool
// clients configured that way. The `state` value guards both against forged callbacks.

import type { AuthConfig } from '../config';

type CognitoConfig = Extract<AuthConfig, { mode: 'cognito' }>;

const PENDING = 'pam.cognito.pending';

export class SignInError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignInError';
  }
}

export function hostedUiBase(domain: string): string {
  const d = domain.replace(/\/+$/, '');
  return /^https?:\/\//.test(d) ? d : `https://${d}`;
}

function randomString(bytes = 32): string {
  const a = new Uint8Array(bytes);
  crypto.getRandomValues(a);
  return base64url(a);
}

function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export async function pkceChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

export function authorizeUrl(cfg: CognitoConfig, state: string, challenge?: string): string {
  const q = new URLSearchParams({
    client_id: cfg.clientId,
    response_type: cfg.flow === 'implicit' ? 'token' : 'code',
    scope: 'openid email phone profile',
    redirect_uri: cfg.redirectUri,
    state,
  });
  if (challenge) {
    q.set('code_challenge', challenge);
    q.set('code_challenge_method', 'S256');
  }
  return `${hostedUiBase(cfg.domain)}/oauth2/authorize?${q.toString()}`;
}

export function logoutUrl(cfg: CognitoConfig): string {
  const q = new URLSearchParams({ client_id: cfg.clientId, logout_uri: cfg.redirectUri });
  return `${hostedUiBase(cfg.domain)}/logout?${q.toString()}`;
}

/** Sends the browser to the Hosted UI. */
export async function beginSignIn(
  cfg: CognitoConfig,
  go = (u: string) => window.location.assign(u),
) {
  const state = randomString(16);
  let verifier: string | undefined;
  let challenge: string | undefined;
  if (cfg.flow !== 'implicit') {
    verifier = randomString(48);
    challenge = await pkceChallenge(verifier);
  }
  sessionStorage.setItem(PENDING, JSON.stringify({ state, verifier }));
  go(authorizeUrl(cfg, state, challenge));
}

export interface Tokens {
  idToken: string;
  expiresIn: number;
}

/**
 * Finishes a Hosted UI round trip if the URL carries one. Returns null when the page
 * was not opened by a callback. Throws `SignInError` on a refused or forged callback.
 */
export async function completeSignIn(
  cfg: CognitoConfig,
  loc: { search: string; hash: string },
  fetchImpl: typeof fetch = fetch,
): Promise<Tokens | null> {
  const fragment = new URLSearchParams(loc.hash.replace(/^#/, ''));
  const query = new URLSearchParams(loc.search);
  const params = fragment.has('id_token') || fragment.has('error') ? fragment : query;
  if (!params.has('id_token') && !params.has('code') && !params.has('error')) return null;

  const pendingRaw = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  if (params.has('error')) {
    throw new SignInError(
      `Sign-in was refused: ${params.get('error_description') ?? params.get('error')}`,
    );
  }
  const pending = pendingRaw
    ? (JSON.parse(pendingRaw) as { state?: string; verifier?: string })
    : null;
  if (!pending || pending.state !== params.get('state')) {
    throw new SignInError('Sign-in reply did not match a sign-in started here; please try again.');
  }
  const idToken = params.get('id_token');
  if (idToken) {
    return { idToken, expiresIn: Number(params.get('expires_in') ?? 3600) };
  }
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    client_id: cfg.clientId,
    code: params.get('code') ?? '',
    redirect_uri: cfg.redirectUri,
    code_verifier: pending.verifier ?? '',
  });
  const res = await fetchImpl(`${hostedUiBase(cfg.domain)}/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
  const json = (await res.json().catch(() => ({}))) as {
    id_token?: string;
    expires_in?: number;
    error?: string;
  };
  if (!res.ok || !json.id_token) {
    throw new SignInError(`Could not finish sign-in: ${json.error ?? `HTTP ${res.status}`}`);
  }
  return { idToken: json.id_token, expiresIn: json.expires_in ?? 3600 };
}
