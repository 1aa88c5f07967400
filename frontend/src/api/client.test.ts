// API client: bearer header, login without it, error mapping (JSON, S3 XML, text, network), 401 hand-off, URL kinds.

import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError, errorFromBody } from './client';

function client(
  responder: (url: string, init: RequestInit) => Response | Promise<Response>,
  token: string | null = 'tok',
) {
  const calls: { url: string; init: RequestInit }[] = [];
  const onUnauthorized = vi.fn();
  const fetchImpl = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    return responder(String(url), init ?? {});
  });
  const api = new ApiClient({
    apiBase: 'https://api.example.com/prod',
    getToken: () => token,
    onUnauthorized,
    fetchImpl: fetchImpl as unknown as typeof fetch,
  });
  return { api, calls, onUnauthorized };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('ApiClient', () => {
  it('sends the bearer token and reads labels', async () => {
    const { api, calls } = client(() => json({ labels: [{ name: 'Mountain', count: 32 }] }));
    expect(await api.labels()).toEqual([{ name: 'Mountain', count: 32 }]);
    expect(calls[0].url).toBe('https://api.example.com/prod/labels');
    expect((calls[0].init.headers as Record<string, string>).Authorization).toBe('Bearer tok');
  });

  it('sends no Authorization header when there is no token', async () => {
    const { api, calls } = client(() => json({ labels: [] }), null);
    await api.labels();
    expect((calls[0].init.headers as Record<string, string>).Authorization).toBeUndefined();
  });

  it('logs in without a token and posts the credentials as JSON', async () => {
    const { api, calls } = client(() => json({ id_token: 'jwt', expires_in: 3600 }));
    expect(await api.login('ana', 's3cret')).toEqual({ id_token: 'jwt', expires_in: 3600 });
    const h = calls[0].init.headers as Record<string, string>;
    expect(h.Authorization).toBeUndefined();
    expect(h['Content-Type']).toBe('application/json');
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ username: 'ana', password: 's3cret' });
  });

  it('maps a JSON error body to ApiError with code and message', async () => {
    const { api } = client(() =>
      json({ error: { code: 'unknown_label', message: 'no label "Moon"' } }, 400),
    );
    const err = await api
      .startDownload({ labels: ['Moon'], match: 'any', notify: { email: 'a@b.co' }, tier: 'Bulk' })
      .catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 400, code: 'unknown_label', message: 'no label "Moon"' });
  });

  it('calls onUnauthorized on 401 and still throws', async () => {
    const { api, onUnauthorized } = client(() =>
      json({ error: { code: 'token_expired', message: 'expired' } }, 401),
    );
    await expect(api.labels()).rejects.toMatchObject({ status: 401, code: 'token_expired' });
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });

  it('does not treat a failed login as an ended session', async () => {
    const { api, onUnauthorized } = client(() =>
      json({ error: { code: 'bad_credentials', message: 'wrong' } }, 401),
    );
    await expect(api.login('a', 'b')).rejects.toMatchObject({ code: 'bad_credentials' });
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('maps a network failure to code "network"', async () => {
    const { api } = client(() => {
      throw new TypeError('Failed to fetch');
    });
    await expect(api.labels()).rejects.toMatchObject({ status: 0, code: 'network' });
  });

  it('refuses a success response that is not JSON', async () => {
    const { api } = client(() => new Response('<html>', { status: 200 }));
    await expect(api.labels()).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('encodes ids and ARNs in paths', async () => {
    const { api, calls } = client(() => json({ events: [] }));
    await api.history('arn:aws:states:us-east-1:1:execution:download:a/b');
    expect(calls[0].url).toBe(
      'https://api.example.com/prod/executions/arn%3Aaws%3Astates%3Aus-east-1%3A1%3Aexecution%3Adownload%3Aa%2Fb/history',
    );
  });

  it('tells API URLs from store URLs', () => {
    const { api } = client(() => json({}));
    expect(api.isApiUrl('/uploads/k/complete')).toBe(true);
    expect(api.isApiUrl('https://api.example.com/prod/uploads/k/complete')).toBe(true);
    expect(api.isApiUrl('https://api.example.com/prodx')).toBe(false);
    expect(api.isApiUrl('https://bucket.s3.amazonaws.com/photos/a.jpg?X-Amz-Signature=1')).toBe(
      false,
    );
    expect(api.isApiUrl('//evil.example/x')).toBe(false);
  });
});

describe('errorFromBody', () => {
  it('reads the S3 XML error shape', () => {
    const e = errorFromBody(
      403,
      'Forbidden',
      '<Error><Code>SignatureDoesNotMatch</Code><Message>bad sig</Message></Error>',
    );
    expect(e).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch', message: 'bad sig' });
  });
  it('falls back to the text or the status line', () => {
    expect(errorFromBody(502, 'Bad Gateway', '')).toMatchObject({
      code: 'http_502',
      message: 'Bad Gateway',
    });
    expect(errorFromBody(500, '', 'boom')).toMatchObject({ code: 'http_500', message: 'boom' });
  });
});
