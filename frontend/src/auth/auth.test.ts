// Session storage with expiry, and the Cognito Hosted UI round trip (PKCE code flow, implicit flow, forged state).

import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import type { AuthConfig } from '../config';
import { authorizeUrl, beginSignIn, completeSignIn, logoutUrl, pkceChallenge } from './cognito';
import { clearSession, jwtExpiry, loadSession, saveSession } from './session';

const cfg: Extract<AuthConfig, { mode: 'cognito' }> = {
  mode: 'cognito',
  domain: 'pam.auth.eu-west-1.amazoncognito.com',
  clientId: 'client1',
  redirectUri: 'https://pam.example/',
  flow: 'code',
};

describe('session storage', () => {
  it('keeps the token until it expires', () => {
    saveSession('t', 60, 1_000);
    expect(loadSession(30_000)).toEqual({ idToken: 't', expiresAt: 61_000 });
    expect(loadSession(61_000)).toBeNull();
    expect(sessionStorage.getItem('pam.session')).toBeNull();
  });
  it('drops a corrupt entry', () => {
    sessionStorage.setItem('pam.session', 'garbage');
    expect(loadSession()).toBeNull();
  });
  it('clears on sign-out', () => {
    saveSession('t', 60);
    clearSession();
    expect(loadSession()).toBeNull();
  });
  it('reads exp from a JWT payload', () => {
    const payload = btoa(JSON.stringify({ exp: 1700000000 })).replace(/=+$/, '');
    expect(jwtExpiry(`h.${payload}.s`)).toBe(1700000000);
    expect(jwtExpiry('nonsense')).toBeNull();
  });
});

describe('cognito hosted UI', () => {
  it('builds the authorize URL for the code flow with PKCE', () => {
    const u = new URL(authorizeUrl(cfg, 'st', 'ch'));
    expect(u.origin + u.pathname).toBe(
      'https://pam.auth.eu-west-1.amazoncognito.com/oauth2/authorize',
    );
    expect(Object.fromEntries(u.searchParams)).toMatchObject({
      client_id: 'client1',
      response_type: 'code',
      redirect_uri: 'https://pam.example/',
      state: 'st',
      code_challenge: 'ch',
      code_challenge_method: 'S256',
    });
    expect(
      new URL(authorizeUrl({ ...cfg, flow: 'implicit' }, 's')).searchParams.get('response_type'),
    ).toBe('token');
  });

  it('builds the logout URL', () => {
    expect(logoutUrl(cfg)).toBe(
      'https://pam.auth.eu-west-1.amazoncognito.com/logout?client_id=client1&logout_uri=https%3A%2F%2Fpam.example%2F',
    );
  });

  it('computes the S256 challenge as base64url(SHA-256(verifier)) without padding', async () => {
    const verifier = 'dBjftJeZ4CVP-mJ92IZ1FMhpyWaFhbjzmtQBn6WiXOI';
    const expected = createHash('sha256').update(verifier).digest('base64url');
    expect(await pkceChallenge(verifier)).toBe(expected);
    expect(expected).not.toMatch(/[=+/]/);
  });

  it('returns null when the page is not a callback', async () => {
    expect(await completeSignIn(cfg, { search: '', hash: '#/labels' })).toBeNull();
  });

  it('exchanges the code with the stored verifier', async () => {
    let url = '';
    await beginSignIn(cfg, (u) => (url = u));
    const state = new URL(url).searchParams.get('state')!;
    const fetchImpl = vi.fn(async (_u: RequestInfo | URL, init?: RequestInit) => {
      const body = new URLSearchParams(String(init?.body));
      expect(body.get('grant_type')).toBe('authorization_code');
      expect(body.get('code')).toBe('abc');
      expect(await pkceChallenge(body.get('code_verifier')!)).toBe(
        new URL(url).searchParams.get('code_challenge'),
      );
      return new Response(JSON.stringify({ id_token: 'idt', expires_in: 3600 }), { status: 200 });
    });
    const tokens = await completeSignIn(
      cfg,
      { search: `?code=abc&state=${state}`, hash: '' },
      fetchImpl as unknown as typeof fetch,
    );
    expect(tokens).toEqual({ idToken: 'idt', expiresIn: 3600 });
    expect(String(fetchImpl.mock.calls[0][0])).toBe(
      'https://pam.auth.eu-west-1.amazoncognito.com/oauth2/token',
    );
  });

  it('reads the id_token of the implicit flow from the fragment', async () => {
    let url = '';
    const implicit = { ...cfg, flow: 'implicit' as const };
    await beginSignIn(implicit, (u) => (url = u));
    const state = new URL(url).searchParams.get('state')!;
    expect(
      await completeSignIn(implicit, {
        search: '',
        hash: `#id_token=jwt&expires_in=600&state=${state}`,
      }),
    ).toEqual({
      idToken: 'jwt',
      expiresIn: 600,
    });
  });

  it('refuses a callback whose state was not issued here', async () => {
    await beginSignIn(cfg, () => {});
    await expect(
      completeSignIn(cfg, { search: '?code=abc&state=forged', hash: '' }),
    ).rejects.toThrow(/did not match/);
  });

  it('reports a refusal from the Hosted UI', async () => {
    await expect(
      completeSignIn(cfg, {
        search: '?error=access_denied&error_description=User+cancelled',
        hash: '',
      }),
    ).rejects.toThrow(/User cancelled/);
  });
});
