// A consistent way to show a failed request: the server's message and, quietly, its code.

import { ApiError } from '../api/client';

export function ErrorNote({ error, prefix }: { error: Error | null; prefix?: string }) {
  if (!error) return null;
  const code = error instanceof ApiError ? error.code : undefined;
  return (
    <p className="error" role="alert">
      {prefix ? `${prefix}: ` : ''}
      {error.message}
      {code ? <span className="code"> ({code})</span> : null}
    </p>
  );
}

export function formatTime(t: string | number | null | undefined): string {
  if (t === null || t === undefined || t === '') return '—';
  const d = typeof t === 'number' ? new Date(t < 1e12 ? t * 1000 : t) : new Date(t);
  return Number.isNaN(d.getTime()) ? String(t) : d.toLocaleString();
}
