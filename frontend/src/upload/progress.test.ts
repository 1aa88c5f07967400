// Upload progress reducer and totals.

import { describe, expect, it } from 'vitest';
import { formatBytes, totals, uploadReducer, type FileEntry } from './progress';

function run(actions: Parameters<typeof uploadReducer>[1][]): FileEntry[] {
  return actions.reduce(uploadReducer, [] as FileEntry[]);
}

const add = {
  type: 'add' as const,
  files: [
    { id: 'a', name: 'a.jpg', size: 1000 },
    { id: 'b', name: 'b.jpg', size: 3000 },
  ],
};

describe('uploadReducer and totals', () => {
  it('starts with everything queued and nothing sent', () => {
    const s = run([add]);
    expect(s.map((f) => f.status)).toEqual(['queued', 'queued']);
    expect(totals(s)).toMatchObject({ loaded: 0, total: 4000, percent: 0, active: 2 });
  });

  it('adds per-file progress into the total', () => {
    const s = run([
      add,
      { type: 'start', id: 'a' },
      { type: 'progress', id: 'a', loaded: 500 },
      { type: 'start', id: 'b' },
      { type: 'progress', id: 'b', loaded: 1500 },
    ]);
    expect(totals(s)).toMatchObject({ loaded: 2000, total: 4000, percent: 50 });
  });

  it('never lets progress go backwards or past the size', () => {
    const s = run([
      add,
      { type: 'start', id: 'a' },
      { type: 'progress', id: 'a', loaded: 800 },
      { type: 'progress', id: 'a', loaded: 300 },
      { type: 'progress', id: 'a', loaded: 5000 },
    ]);
    expect(s[0].loaded).toBe(1000);
  });

  it('ignores progress for a file that is not uploading', () => {
    const s = run([add, { type: 'progress', id: 'a', loaded: 800 }]);
    expect(s[0].loaded).toBe(0);
  });

  it('leaves failed files out of the total so it can reach 100%', () => {
    const s = run([
      add,
      { type: 'start', id: 'a' },
      { type: 'fail', id: 'a', error: 'Not a JPEG' },
      { type: 'start', id: 'b' },
      { type: 'done', id: 'b', key: 'photos/b.jpg' },
    ]);
    expect(totals(s)).toEqual({
      loaded: 3000,
      total: 3000,
      percent: 100,
      done: 1,
      failed: 1,
      active: 0,
    });
    expect(s[0]).toMatchObject({ status: 'error', error: 'Not a JPEG' });
    expect(s[1]).toMatchObject({ status: 'done', key: 'photos/b.jpg' });
  });

  it('puts a failed file back in the queue on retry, unless retrying cannot help', () => {
    const s = run([
      add,
      { type: 'start', id: 'a' },
      { type: 'progress', id: 'a', loaded: 600 },
      { type: 'fail', id: 'a', error: 'network' },
      { type: 'fail', id: 'b', error: 'Not a JPEG', retryable: false },
      { type: 'retry', id: 'a' },
      { type: 'retry', id: 'b' },
    ]);
    expect(s[0]).toMatchObject({ status: 'queued', loaded: 0, error: undefined });
    expect(s[1]).toMatchObject({ status: 'error', error: 'Not a JPEG', retryable: false });
  });

  it('counts an empty file that finished as 100%', () => {
    const s = run([
      { type: 'add', files: [{ id: 'z', name: 'z.jpg', size: 0 }] },
      { type: 'done', id: 'z', key: 'k' },
    ]);
    expect(totals(s).percent).toBe(100);
  });

  it('clears finished files and keeps running ones', () => {
    const s = run([
      add,
      { type: 'start', id: 'a' },
      { type: 'done', id: 'b', key: 'k' },
      { type: 'clear-finished' },
    ]);
    expect(s.map((f) => f.id)).toEqual(['a']);
  });
});

describe('formatBytes', () => {
  it('uses sensible units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(25 * 1024 * 1024)).toBe('25 MB');
  });
});
