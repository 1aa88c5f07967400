// Byte transfer for uploads. XMLHttpRequest, not fetch, because only XHR reports upload
// progress in browsers; the ETag response header is returned for multipart parts.

import { ApiError, errorFromBody } from '../api/client';

export interface PutResult {
  etag: string | null;
}

export type PutFn = (
  url: string,
  body: Blob,
  headers: Record<string, string>,
  onProgress: (loaded: number) => void,
  signal?: AbortSignal,
) => Promise<PutResult>;

export const xhrPut: PutFn = (url, body, headers, onProgress, signal) =>
  new Promise<PutResult>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    for (const [name, value] of Object.entries(headers)) {
      // The browser sets these itself and refuses to be told.
      if (!/^(host|content-length)$/i.test(name)) xhr.setRequestHeader(name, value);
    }
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(body.size);
        resolve({ etag: xhr.getResponseHeader('ETag') });
      } else {
        reject(errorFromBody(xhr.status, xhr.statusText, xhr.responseText ?? ''));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'the upload connection failed'));
    xhr.onabort = () => reject(new ApiError(0, 'aborted', 'the upload was cancelled'));
    if (signal) {
      if (signal.aborted) {
        reject(new ApiError(0, 'aborted', 'the upload was cancelled'));
        return;
      }
      signal.addEventListener('abort', () => xhr.abort(), { once: true });
    }
    xhr.send(body);
  });
