// Polling without overlap: the next request is scheduled only after the previous one
// settled, so a slow server never gets a pile of requests. Stops by itself when the
// value is final or the error is one that retrying cannot fix.

import { ApiError } from '../api/client';
import type { JobStatus } from '../api/types';

export interface PollOptions<T> {
  load: () => Promise<T>;
  intervalMs: number;
  onValue: (value: T) => void;
  onError: (error: Error) => void;
  /** True when polling should stop after this value. */
  isFinal?: (value: T) => boolean;
  /** Errors after which polling stops; by default 401, 403 and 404. */
  isFatal?: (error: Error) => boolean;
}

export function defaultIsFatal(e: Error): boolean {
  return e instanceof ApiError && [401, 403, 404].includes(e.status);
}

/** Starts polling at once; returns a function that stops it. */
export function startPolling<T>(opts: PollOptions<T>): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const isFatal = opts.isFatal ?? defaultIsFatal;
  const tick = async () => {
    if (stopped) return;
    let again = true;
    try {
      const v = await opts.load();
      if (stopped) return;
      opts.onValue(v);
      if (opts.isFinal?.(v)) again = false;
    } catch (e) {
      if (stopped) return;
      const err = e instanceof Error ? e : new Error(String(e));
      opts.onError(err);
      if (isFatal(err)) again = false;
    }
    if (again && !stopped) timer = setTimeout(tick, opts.intervalMs);
  };
  void tick();
  return () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
  };
}

export function isJobFinal(job: JobStatus): boolean {
  return job.stage === 'ready' || job.stage === 'failed';
}

const RECENT = 'pam.recentJobs';

/** Job ids started in this tab, newest first (ids only; never the address). */
export function recentJobs(): string[] {
  try {
    const v = JSON.parse(sessionStorage.getItem(RECENT) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export function rememberJob(id: string): void {
  const list = [id, ...recentJobs().filter((x) => x !== id)].slice(0, 20);
  sessionStorage.setItem(RECENT, JSON.stringify(list));
}
