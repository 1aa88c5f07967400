// One file upload: single PUT and multipart plans, ETags, abort on failure, refusals; the worker pool.

import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError } from '../api/client';
import type { PutFn } from './transport';
import { runPool, uploadFile } from './uploader';

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...new Array(96).fill(7)]);

function jpegFile(name = 'a.jpg', bytes = JPEG) {
  return new File([bytes], name, { type: 'image/jpeg' });
}

function apiWith(plan: unknown, extra?: (url: string, init: RequestInit) => Response | undefined) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchImpl = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    const r = extra?.(String(url), init ?? {});
    if (r) return r;
    return new Response(JSON.stringify(plan), { status: 200 });
  });
  const api = new ApiClient({
    apiBase: '',
    getToken: () => 'tok',
    onUnauthorized: () => {},
    fetchImpl: fetchImpl as unknown as typeof fetch,
  });
  return { api, calls };
}

describe('uploadFile', () => {
  it('refuses a non-JPEG before asking the server', async () => {
    const { api, calls } = apiWith({});
    const png = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'x.jpg', {
      type: 'image/jpeg',
    });
    await expect(uploadFile(api, png, () => {})).rejects.toMatchObject({ code: 'not_jpeg' });
    expect(calls).toHaveLength(0);
  });

  it('asks for a plan, then PUTs the bytes with the given headers, reporting progress', async () => {
    const { api, calls } = apiWith({
      key: 'photos/a.jpg',
      method: 'PUT',
      url: 'https://store/a?sig=1',
      headers: { 'Content-Type': 'image/jpeg' },
    });
    const put = vi.fn<PutFn>(async (_u, body, _h, onProgress) => {
      onProgress(body.size / 2);
      onProgress(body.size);
      return { etag: '"x"' };
    });
    const seen: number[] = [];
    const key = await uploadFile(api, jpegFile(), (n) => seen.push(n), { put });
    expect(key).toBe('photos/a.jpg');
    expect(JSON.parse(String(calls[0].init.body))).toEqual({
      file_name: 'a.jpg',
      size: 100,
      content_type: 'image/jpeg',
    });
    expect(put).toHaveBeenCalledWith(
      'https://store/a?sig=1',
      expect.any(File),
      { 'Content-Type': 'image/jpeg' },
      expect.any(Function),
      undefined,
    );
    expect(seen).toEqual([50, 100]);
  });

  it('surfaces the server refusal of the upload request', async () => {
    const { api } = apiWith(
      {},
      () =>
        new Response(
          JSON.stringify({ error: { code: 'too_large', message: 'photo is over 50 MB' } }),
          { status: 413 },
        ),
    );
    await expect(uploadFile(api, jpegFile(), () => {}, { put: vi.fn() })).rejects.toMatchObject({
      status: 413,
      code: 'too_large',
      message: 'photo is over 50 MB',
    });
  });

  it('sends multipart parts by byte range, sums progress, and completes with sorted ETags', async () => {
    const plan = {
      key: 'photos/big.jpg',
      multipart: {
        upload_id: 'u1',
        part_size: 40,
        parts: [
          { part_number: 1, url: 'https://store/p1' },
          { part_number: 2, url: 'https://store/p2' },
          { part_number: 3, url: 'https://store/p3' },
        ],
        complete_url: '/uploads/u1/complete',
        abort_url: '/uploads/u1/abort',
      },
    };
    const { api, calls } = apiWith(plan, (url) =>
      url === '/uploads/u1/complete' ? new Response('{}', { status: 200 }) : undefined,
    );
    const sizes: Record<string, number> = {};
    const put = vi.fn<PutFn>(async (url, body, headers, onProgress) => {
      expect(headers).toEqual({});
      sizes[url] = body.size;
      // finish out of order to prove the ETags get sorted
      await new Promise((r) => setTimeout(r, url.endsWith('1') ? 5 : 0));
      onProgress(body.size);
      return { etag: `"e${url.slice(-1)}"` };
    });
    const seen: number[] = [];
    await uploadFile(api, jpegFile('big.jpg'), (n) => seen.push(n), { put });
    expect(sizes).toEqual({
      'https://store/p1': 40,
      'https://store/p2': 40,
      'https://store/p3': 20,
    });
    expect(seen[seen.length - 1]).toBe(100);
    const complete = calls.find((c) => c.url === '/uploads/u1/complete')!;
    expect(complete.init.method).toBe('POST');
    expect((complete.init.headers as Record<string, string>).Authorization).toBe('Bearer tok');
    expect(JSON.parse(String(complete.init.body))).toEqual({
      parts: [
        { part_number: 1, etag: '"e1"' },
        { part_number: 2, etag: '"e2"' },
        { part_number: 3, etag: '"e3"' },
      ],
    });
  });

  it('aborts the multipart upload when a part cannot report its ETag', async () => {
    const plan = {
      key: 'k',
      multipart: {
        upload_id: 'u',
        part_size: 100,
        parts: [{ part_number: 1, url: 'https://store/p1' }],
        complete_url: '/c',
        abort_url: 'https://store/abort?sig=1',
      },
    };
    const { api, calls } = apiWith(plan, (url) =>
      url.includes('abort') ? new Response('', { status: 204 }) : undefined,
    );
    const put = vi.fn<PutFn>(async () => ({ etag: null }));
    await expect(uploadFile(api, jpegFile(), () => {}, { put })).rejects.toMatchObject({
      code: 'missing_etag',
    });
    const abort = calls.find((c) => c.url.includes('abort'))!;
    expect(abort.init.method).toBe('DELETE');
    // a presigned store URL must not carry the bearer token
    expect((abort.init.headers as Record<string, string>).Authorization).toBeUndefined();
    expect(calls.some((c) => c.url === '/c')).toBe(false);
  });

  it('passes a store error from a PUT through', async () => {
    const { api } = apiWith({ key: 'k', method: 'PUT', url: 'https://store/a' });
    const put = vi.fn<PutFn>(async () => {
      throw new ApiError(403, 'AccessDenied', 'Request has expired');
    });
    await expect(uploadFile(api, jpegFile(), () => {}, { put })).rejects.toMatchObject({
      code: 'AccessDenied',
    });
  });
});

describe('runPool', () => {
  it('never runs more than the limit at once and runs every item', async () => {
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    await runPool([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 1));
      running--;
      done.push(n);
    });
    expect(peak).toBe(3);
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
  it('stops taking new items after a failure', async () => {
    const seen: number[] = [];
    await expect(
      runPool([1, 2, 3, 4], 1, async (n) => {
        seen.push(n);
        if (n === 2) throw new Error('x');
      }),
    ).rejects.toThrow('x');
    expect(seen).toEqual([1, 2]);
  });
});
