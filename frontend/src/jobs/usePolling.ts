// React binding of `startPolling`: keeps the latest value and error for a component and
// stops when the component goes away or its inputs change.

import { useEffect, useState } from 'react';
import { startPolling } from './poll';

export interface Polled<T> {
  value: T | null;
  error: Error | null;
}

export function usePolling<T>(
  load: (() => Promise<T>) | null,
  intervalMs: number,
  isFinal?: (value: T) => boolean,
  deps: unknown[] = [],
): Polled<T> {
  const [state, setState] = useState<Polled<T>>({ value: null, error: null });
  useEffect(() => {
    if (!load) return;
    return startPolling({
      load,
      intervalMs,
      isFinal,
      onValue: (value) => setState({ value, error: null }),
      onError: (error) => setState((s) => ({ value: s.value, error })),
    });
  }, deps);
  return state;
}
