// Uploads one photo: asks PAM where to put it (`POST /uploads`), then sends the bytes
// straight to the store, either as one PUT or as multipart parts whose ETags are
// collected and handed to `complete_url`. Reports bytes sent as it goes.

import { ApiError, type ApiClient } from '../api/client';
import type { MultipartPlan, UploadPlan } from '../api/types';
import { jpegProblem } from '../jpeg';
import { xhrPut, type PutFn } from './transport';

export interface UploadDeps {
  put?: PutFn;
  /** How many parts of one multipart upload are sent at once. */
  partConcurrency?: number;
}

export function isMultipart(plan: UploadPlan): plan is MultipartPlan {
  return 'multipart' in plan && plan.multipart !== undefined;
}

/** Runs `worker` over `items` with at most `limit` in flight; stops at the first error. */
export async function runPool<T>(items: T[], limit: number, worker: (item: T) => Promise<void>) {
  let next = 0;
  let failed = false;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (!failed && next < items.length) {
      const item = items[next++];
      try {
        await worker(item);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  });
  await Promise.all(lanes);
}

async function uploadMultipart(
  api: ApiClient,
  file: File,
  plan: MultipartPlan,
  onProgress: (loaded: number) => void,
  put: PutFn,
  concurrency: number,
  signal?: AbortSignal,
): Promise<void> {
  const {
    part_size: partSize,
    parts,
    complete_url: completeUrl,
    abort_url: abortUrl,
  } = plan.multipart;
  if (!(partSize > 0) || parts.length === 0) {
    throw new ApiError(0, 'bad_plan', 'the server sent a multipart plan without parts');
  }
  const loaded = new Map<number, number>();
  const report = () => onProgress([...loaded.values()].reduce((a, b) => a + b, 0));
  const etags: { part_number: number; etag: string }[] = [];
  try {
    await runPool(parts, concurrency, async (part) => {
      const start = (part.part_number - 1) * partSize;
      const chunk = file.slice(start, Math.min(start + partSize, file.size));
      const { etag } = await put(
        part.url,
        chunk,
        {},
        (n) => {
          loaded.set(part.part_number, n);
          report();
        },
        signal,
      );
      if (!etag) {
        throw new ApiError(
          0,
          'missing_etag',
          `part ${part.part_number} was stored but its ETag header could not be read`,
        );
      }
      etags.push({ part_number: part.part_number, etag });
    });
    etags.sort((a, b) => a.part_number - b.part_number);
    await api.request('POST', completeUrl, { parts: etags }, api.isApiUrl(completeUrl));
  } catch (e) {
    // Best effort: free the parts already stored; the original error is what matters.
    await api.request('DELETE', abortUrl, undefined, api.isApiUrl(abortUrl)).catch(() => {});
    throw e;
  }
}

/**
 * Uploads `file` and resolves with its object key. Throws `ApiError` with a message fit
 * to show next to the file: client-side refusals use code `not_jpeg`.
 */
export async function uploadFile(
  api: ApiClient,
  file: File,
  onProgress: (loaded: number) => void,
  deps: UploadDeps = {},
  signal?: AbortSignal,
): Promise<string> {
  const problem = await jpegProblem(file);
  if (problem) throw new ApiError(0, 'not_jpeg', problem);
  const put = deps.put ?? xhrPut;
  const plan = await api.createUpload(file.name, file.size, file.type || 'image/jpeg');
  if (isMultipart(plan)) {
    await uploadMultipart(api, file, plan, onProgress, put, deps.partConcurrency ?? 3, signal);
  } else {
    if (!plan.url) throw new ApiError(0, 'bad_plan', 'the server sent no upload URL');
    await put(plan.url, file, plan.headers ?? {}, onProgress, signal);
  }
  return plan.key;
}
