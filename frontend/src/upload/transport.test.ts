// The XHR PUT: headers, progress, ETag, store errors, network failure, cancel.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { xhrPut } from './transport';

type Behaviour = { status: number; body?: string; etag?: string; fail?: boolean };

/** Just enough of XMLHttpRequest to drive `xhrPut` the way a browser would. */
function installFakeXhr(behaviour: Behaviour) {
  const made: FakeXhr[] = [];
  class FakeXhr {
    method = '';
    url = '';
    headers: Record<string, string> = {};
    status = 0;
    statusText = '';
    responseText = '';
    upload: { onprogress?: (e: { lengthComputable: boolean; loaded: number }) => void } = {};
    onload?: () => void;
    onerror?: () => void;
    onabort?: () => void;
    aborted = false;
    constructor() {
      made.push(this);
    }
    open(method: string, url: string) {
      this.method = method;
      this.url = url;
    }
    setRequestHeader(name: string, value: string) {
      this.headers[name] = value;
    }
    getResponseHeader(name: string) {
      return name.toLowerCase() === 'etag' ? (behaviour.etag ?? null) : null;
    }
    abort() {
      this.aborted = true;
      this.onabort?.();
    }
    send(body: Blob) {
      queueMicrotask(() => {
        if (this.aborted) return;
        this.upload.onprogress?.({ lengthComputable: true, loaded: Math.floor(body.size / 2) });
        if (behaviour.fail) return this.onerror?.();
        this.status = behaviour.status;
        this.responseText = behaviour.body ?? '';
        this.onload?.();
      });
    }
  }
  vi.stubGlobal('XMLHttpRequest', FakeXhr);
  return made;
}

afterEach(() => vi.unstubAllGlobals());

const blob = new Blob([new Uint8Array(10)]);

describe('xhrPut', () => {
  it('PUTs with the given headers, reports progress to the end, and returns the ETag', async () => {
    const made = installFakeXhr({ status: 200, etag: '"abc"' });
    const seen: number[] = [];
    const r = await xhrPut(
      'https://store/x',
      blob,
      { 'Content-Type': 'image/jpeg', Host: 'h', 'content-length': '10' },
      (n) => seen.push(n),
    );
    expect(r).toEqual({ etag: '"abc"' });
    expect(made[0].method).toBe('PUT');
    expect(made[0].headers).toEqual({ 'Content-Type': 'image/jpeg' });
    expect(seen).toEqual([5, 10]);
  });

  it("turns the store's XML error into an ApiError", async () => {
    installFakeXhr({
      status: 403,
      body: '<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>',
    });
    await expect(xhrPut('https://store/x', blob, {}, () => {})).rejects.toMatchObject({
      status: 403,
      code: 'AccessDenied',
      message: 'Request has expired',
    });
  });

  it('reports a broken connection as a network error', async () => {
    installFakeXhr({ status: 0, fail: true });
    await expect(xhrPut('https://store/x', blob, {}, () => {})).rejects.toMatchObject({
      code: 'network',
    });
  });

  it('can be cancelled', async () => {
    const made = installFakeXhr({ status: 200 });
    const ctl = new AbortController();
    const p = xhrPut('https://store/x', blob, {}, () => {}, ctl.signal);
    ctl.abort();
    await expect(p).rejects.toMatchObject({ code: 'aborted' });
    expect(made[0].aborted).toBe(true);
  });
});
