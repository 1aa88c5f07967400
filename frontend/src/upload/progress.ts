// The upload page's state as a pure reducer: one entry per chosen file with its bytes
// sent and outcome, and the totals shown above the list. Kept free of React and I/O so
// the arithmetic is tested on its own.

export type FileStatus = 'queued' | 'uploading' | 'done' | 'error';

export interface FileEntry {
  id: string;
  name: string;
  size: number;
  loaded: number;
  status: FileStatus;
  error?: string;
  /** False when sending the same file again cannot help (e.g. it is not a JPEG). */
  retryable?: boolean;
  key?: string;
}

export type UploadAction =
  | { type: 'add'; files: { id: string; name: string; size: number }[] }
  | { type: 'start'; id: string }
  | { type: 'progress'; id: string; loaded: number }
  | { type: 'done'; id: string; key: string }
  | { type: 'fail'; id: string; error: string; retryable?: boolean }
  | { type: 'retry'; id: string }
  | { type: 'clear-finished' };

function update(list: FileEntry[], id: string, f: (e: FileEntry) => FileEntry): FileEntry[] {
  return list.map((e) => (e.id === id ? f(e) : e));
}

export function uploadReducer(state: FileEntry[], action: UploadAction): FileEntry[] {
  switch (action.type) {
    case 'add':
      return [
        ...state,
        ...action.files.map((f) => ({ ...f, loaded: 0, status: 'queued' as const })),
      ];
    case 'start':
      return update(state, action.id, (e) => ({ ...e, status: 'uploading', loaded: 0 }));
    case 'progress':
      return update(state, action.id, (e) =>
        e.status === 'uploading'
          ? { ...e, loaded: Math.min(e.size, Math.max(e.loaded, action.loaded)) }
          : e,
      );
    case 'done':
      return update(state, action.id, (e) => ({
        ...e,
        status: 'done',
        loaded: e.size,
        key: action.key,
      }));
    case 'fail':
      return update(state, action.id, (e) => ({
        ...e,
        status: 'error',
        error: action.error,
        retryable: action.retryable ?? true,
      }));
    case 'retry':
      return update(state, action.id, (e) =>
        e.status === 'error' && e.retryable !== false
          ? { ...e, status: 'queued', loaded: 0, error: undefined, retryable: undefined }
          : e,
      );
    case 'clear-finished':
      return state.filter((e) => e.status === 'queued' || e.status === 'uploading');
  }
}

export interface Totals {
  /** Bytes sent of files that have not failed. */
  loaded: number;
  /** Bytes to send, failed files left out so the bar can reach 100%. */
  total: number;
  percent: number;
  done: number;
  failed: number;
  active: number;
}

export function totals(state: FileEntry[]): Totals {
  let loaded = 0;
  let total = 0;
  let done = 0;
  let failed = 0;
  let active = 0;
  for (const e of state) {
    if (e.status === 'error') {
      failed++;
      continue;
    }
    total += e.size;
    loaded += e.loaded;
    if (e.status === 'done') done++;
    else active++;
  }
  const percent = total === 0 ? (done > 0 ? 100 : 0) : Math.floor((loaded / total) * 100);
  return { loaded, total, percent, done, failed, active };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}
