// Label selection for the download form: which labels are ticked, any/all, and the
// request they add up to. Selected labels that disappear from the list are dropped so
// the form never asks for a label the server no longer knows.

import type { Label, Match } from '../api/types';

export interface Selection {
  selected: string[];
  match: Match;
}

export const emptySelection: Selection = { selected: [], match: 'any' };

export type SelectionAction =
  | { type: 'toggle'; name: string }
  | { type: 'set-match'; match: Match }
  | { type: 'clear' }
  | { type: 'sync'; labels: Label[] };

export function selectionReducer(state: Selection, action: SelectionAction): Selection {
  switch (action.type) {
    case 'toggle':
      return state.selected.includes(action.name)
        ? { ...state, selected: state.selected.filter((n) => n !== action.name) }
        : { ...state, selected: [...state.selected, action.name] };
    case 'set-match':
      return { ...state, match: action.match };
    case 'clear':
      return { ...state, selected: [] };
    case 'sync': {
      const known = new Set(action.labels.map((l) => l.name));
      const kept = state.selected.filter((n) => known.has(n));
      return kept.length === state.selected.length ? state : { ...state, selected: kept };
    }
  }
}

/** Labels by count (most first), then name; the stable order the list shows. */
export function sortLabels(labels: Label[]): Label[] {
  return [...labels].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}

/** Labels whose name or parents contain `filter` (case-insensitive). */
export function filterLabels(labels: Label[], filter: string): Label[] {
  const f = filter.trim().toLowerCase();
  if (!f) return labels;
  return labels.filter(
    (l) =>
      l.name.toLowerCase().includes(f) ||
      (l.parents ?? []).some((p) => p.toLowerCase().includes(f)),
  );
}

/**
 * Photos the selection would match, when it can be known from counts alone: exact for
 * one label; for several with "any" only bounds are known, so this returns null.
 */
export function expectedCount(labels: Label[], sel: Selection): number | null {
  if (sel.selected.length !== 1) return null;
  return labels.find((l) => l.name === sel.selected[0])?.count ?? null;
}
