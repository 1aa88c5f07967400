// config.json validation: local and cognito shapes, and the errors a broken file gives.

import { describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from './config';

describe('parseConfig', () => {
  it('reads local mode and strips a trailing slash from apiBase', () => {
    expect(
      parseConfig({ apiBase: 'https://api.example.com/prod/', auth: { mode: 'local' } }),
    ).toEqual({
      apiBase: 'https://api.example.com/prod',
      auth: { mode: 'local' },
    });
  });
  it('defaults to same-origin local mode', () => {
    expect(parseConfig({})).toEqual({ apiBase: '', auth: { mode: 'local' } });
  });
  it('reads cognito mode with the code flow by default', () => {
    const c = parseConfig({
      auth: {
        mode: 'cognito',
        domain: 'pam.auth.eu-west-1.amazoncognito.com',
        clientId: 'abc',
        redirectUri: 'https://x/',
      },
    });
    expect(c.auth).toMatchObject({ mode: 'cognito', flow: 'code', clientId: 'abc' });
  });
  it('names the missing cognito field', () => {
    expect(() => parseConfig({ auth: { mode: 'cognito', domain: 'd', redirectUri: 'r' } })).toThrow(
      /auth\.clientId must be a non-empty string/,
    );
  });
  it('refuses an unknown mode', () => {
    expect(() => parseConfig({ auth: { mode: 'saml' } })).toThrow(ConfigError);
  });
  it('refuses a non-object', () => {
    expect(() => parseConfig([1])).toThrow(/expected a JSON object/);
  });
});

describe('loadConfig', () => {
  it('reports an HTTP failure', async () => {
    const f = vi.fn(async () => new Response('nope', { status: 404 }));
    await expect(loadConfig(f as unknown as typeof fetch)).rejects.toThrow(/HTTP 404/);
  });
  it('reports invalid JSON', async () => {
    const f = vi.fn(async () => new Response('{', { status: 200 }));
    await expect(loadConfig(f as unknown as typeof fetch)).rejects.toThrow(/not valid JSON/);
  });
});
