// Polling on a fake clock: interval, stop on final stage or fatal error, no overlap, recent jobs list.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import type { JobStatus } from '../api/types';
import { isJobFinal, recentJobs, rememberJob, startPolling } from './poll';

const job = (stage: JobStatus['stage']): JobStatus => ({
  job_id: 'j1',
  stage,
  counts: { matched: 3, archived: 1, restored: 0, zipped: 0 },
});

describe('startPolling', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('polls at the interval until the job is final, then stops', async () => {
    const stages: JobStatus['stage'][] = ['queued', 'restoring', 'bundling', 'ready'];
    const load = vi.fn(async () => job(stages.shift() ?? 'ready'));
    const seen: string[] = [];
    startPolling({
      load,
      intervalMs: 1000,
      isFinal: isJobFinal,
      onValue: (j) => seen.push(j.stage),
      onError: () => {},
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual(['queued']);
    await vi.advanceTimersByTimeAsync(999);
    expect(load).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(seen).toEqual(['queued', 'restoring']);
    await vi.advanceTimersByTimeAsync(5000);
    expect(seen).toEqual(['queued', 'restoring', 'bundling', 'ready']);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(load).toHaveBeenCalledTimes(4);
  });

  it('never overlaps requests when the server is slower than the interval', async () => {
    let inFlight = 0;
    let peak = 0;
    const load = vi.fn(async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 2500));
      inFlight--;
      return job('restoring');
    });
    const stop = startPolling({ load, intervalMs: 500, onValue: () => {}, onError: () => {} });
    await vi.advanceTimersByTimeAsync(10_000);
    stop();
    expect(peak).toBe(1);
    expect(load.mock.calls.length).toBeLessThanOrEqual(4);
  });

  it('keeps going after a transient error and stops after a 404', async () => {
    const results: Array<() => Promise<JobStatus>> = [
      async () => {
        throw new ApiError(503, 'unavailable', 'try later');
      },
      async () => job('resolving'),
      async () => {
        throw new ApiError(404, 'not_found', 'no such job');
      },
    ];
    const load = vi.fn(() => (results.shift() ?? (async () => job('ready')))());
    const errors: string[] = [];
    const values: string[] = [];
    startPolling({
      load,
      intervalMs: 100,
      onValue: (j) => values.push(j.stage),
      onError: (e) => errors.push(e.message),
    });
    await vi.advanceTimersByTimeAsync(1000);
    expect(errors).toEqual(['try later', 'no such job']);
    expect(values).toEqual(['resolving']);
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('stops when asked, even with a request in flight', async () => {
    let resolve!: (j: JobStatus) => void;
    const load = vi.fn(() => new Promise<JobStatus>((r) => (resolve = r)));
    const onValue = vi.fn();
    const stop = startPolling({ load, intervalMs: 100, onValue, onError: () => {} });
    stop();
    resolve(job('ready'));
    await vi.advanceTimersByTimeAsync(1000);
    expect(onValue).not.toHaveBeenCalled();
    expect(load).toHaveBeenCalledTimes(1);
  });
});

describe('recent jobs', () => {
  it('keeps ids newest first without duplicates', () => {
    rememberJob('a');
    rememberJob('b');
    rememberJob('a');
    expect(recentJobs()).toEqual(['a', 'b']);
  });
  it('survives garbage in storage', () => {
    sessionStorage.setItem('pam.recentJobs', '{oops');
    expect(recentJobs()).toEqual([]);
  });
});
