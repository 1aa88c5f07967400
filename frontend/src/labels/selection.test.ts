// Label selection reducer (toggle, any/all, sync with the server list) and list helpers.

import { describe, expect, it } from 'vitest';
import {
  emptySelection,
  expectedCount,
  filterLabels,
  selectionReducer,
  sortLabels,
} from './selection';

const labels = [
  { name: 'Tree', count: 5, parents: ['Plant'] },
  { name: 'Mountain', count: 32, parents: ['Nature', 'Outdoors'] },
  { name: 'Lake', count: 5 },
];

describe('selectionReducer', () => {
  it('toggles a label on and off, keeping the order of choice', () => {
    let s = selectionReducer(emptySelection, { type: 'toggle', name: 'Tree' });
    s = selectionReducer(s, { type: 'toggle', name: 'Mountain' });
    expect(s.selected).toEqual(['Tree', 'Mountain']);
    s = selectionReducer(s, { type: 'toggle', name: 'Tree' });
    expect(s.selected).toEqual(['Mountain']);
  });
  it('switches between any and all', () => {
    const s = selectionReducer(emptySelection, { type: 'set-match', match: 'all' });
    expect(s.match).toBe('all');
    expect(selectionReducer(s, { type: 'set-match', match: 'any' }).match).toBe('any');
  });
  it('drops selected labels the server no longer lists, and keeps identity otherwise', () => {
    const s = { selected: ['Tree', 'Ghost'], match: 'any' as const };
    expect(selectionReducer(s, { type: 'sync', labels }).selected).toEqual(['Tree']);
    const kept = { selected: ['Tree'], match: 'all' as const };
    expect(selectionReducer(kept, { type: 'sync', labels })).toBe(kept);
  });
  it('clears the selection but keeps the match mode', () => {
    const s = selectionReducer({ selected: ['Tree'], match: 'all' }, { type: 'clear' });
    expect(s).toEqual({ selected: [], match: 'all' });
  });
});

describe('label list helpers', () => {
  it('sorts by count then name', () => {
    expect(sortLabels(labels).map((l) => l.name)).toEqual(['Mountain', 'Lake', 'Tree']);
  });
  it('filters by name or parent, ignoring case', () => {
    expect(filterLabels(labels, 'moun').map((l) => l.name)).toEqual(['Mountain']);
    expect(filterLabels(labels, 'PLANT').map((l) => l.name)).toEqual(['Tree']);
    expect(filterLabels(labels, ' ')).toHaveLength(3);
  });
  it('knows the expected count only for a single label', () => {
    expect(expectedCount(labels, { selected: ['Mountain'], match: 'any' })).toBe(32);
    expect(expectedCount(labels, { selected: ['Mountain', 'Lake'], match: 'any' })).toBeNull();
    expect(expectedCount(labels, { selected: [], match: 'any' })).toBeNull();
  });
});
