// Pure helpers for the executions page: newest-first order whatever the timestamp
// format (ISO string or epoch seconds/milliseconds), and the operator's filters.

import type { Execution } from '../api/types';

export function timeValue(t: string | number | null | undefined): number {
  if (t === null || t === undefined || t === '') return 0;
  if (typeof t === 'number') return t < 1e12 ? t * 1000 : t;
  const n = Date.parse(t);
  return Number.isNaN(n) ? 0 : n;
}

export function machineName(arnOrName: string): string {
  const parts = arnOrName.split(':');
  return parts[parts.length - 1] || arnOrName;
}

export interface ExecutionFilter {
  status: string; // '' = any
  machine: string; // '' = any
}

export function filterExecutions(list: Execution[], f: ExecutionFilter): Execution[] {
  return list
    .filter((x) => !f.status || x.status === f.status)
    .filter((x) => !f.machine || machineName(x.state_machine) === f.machine)
    .sort((a, b) => timeValue(b.start_date) - timeValue(a.start_date));
}

/** Distinct values for the filter menus, sorted. */
export function choices(list: Execution[]): { statuses: string[]; machines: string[] } {
  return {
    statuses: [...new Set(list.map((x) => x.status))].sort(),
    machines: [...new Set(list.map((x) => machineName(x.state_machine)))].sort(),
  };
}
