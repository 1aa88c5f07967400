// The label list with photo counts, refreshed while labelling goes on, and the download
// form: tick labels, choose any/all, give an email or phone, pick a restore speed.

import { useEffect, useReducer, useState } from 'react';
import type { Label } from '../api/types';
import { ErrorNote } from '../components/ErrorNote';
import { useApp } from '../context';
import { usePolling } from '../jobs/usePolling';
import { DownloadForm } from './DownloadForm';
import {
  emptySelection,
  expectedCount,
  filterLabels,
  selectionReducer,
  sortLabels,
} from '../labels/selection';

export const LABELS_POLL_MS = 3000;

/** A DOM id for a label name: letters and digits kept, anything else escaped, so no clashes. */
export function labelId(name: string): string {
  const safe = Array.from(name)
    .map((c) => (/[A-Za-z0-9]/.test(c) ? c : `_${c.codePointAt(0)!.toString(16)}`))
    .join('');
  return `label-${safe}`;
}

export function LabelsPage({ pollMs = LABELS_POLL_MS }: { pollMs?: number }) {
  const { api } = useApp();
  const { value, error } = usePolling<Label[]>(() => api.labels(), pollMs, undefined, [api]);
  const [sel, dispatch] = useReducer(selectionReducer, emptySelection);
  const [filter, setFilter] = useState('');
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);

  useEffect(() => {
    if (value) {
      dispatch({ type: 'sync', labels: value });
      setUpdatedAt(new Date());
    }
  }, [value]);

  const labels = sortLabels(value ?? []);
  const shown = filterLabels(labels, filter);
  const expected = expectedCount(labels, sel);

  return (
    <section>
      <h1>Labels</h1>
      <p className="muted">
        Every label found in your photos, with how many photos carry it. The list refreshes by
        itself while new photos are labelled
        {updatedAt ? ` (last update ${updatedAt.toLocaleTimeString()})` : ''}.
      </p>
      <ErrorNote error={error} prefix="Could not load labels" />
      <div className="columns">
        <div className="card">
          <div className="field">
            <label htmlFor="label-filter">Filter labels</label>
            <input
              id="label-filter"
              type="search"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
            />
          </div>
          {value === null && !error ? <p role="status">Loading labels…</p> : null}
          {value !== null && labels.length === 0 ? (
            <p role="status">No labels yet. Upload photos and they will appear here.</p>
          ) : null}
          {labels.length > 0 ? (
            <fieldset className="labels">
              <legend>Labels ({labels.length})</legend>
              <ul>
                {shown.map((l) => {
                  const id = labelId(l.name);
                  const parents = l.parents?.length ? l.parents.join(' › ') : '';
                  return (
                    <li key={l.name}>
                      <input
                        type="checkbox"
                        id={id}
                        checked={sel.selected.includes(l.name)}
                        onChange={() => dispatch({ type: 'toggle', name: l.name })}
                        aria-describedby={parents ? `${id}-parents` : undefined}
                      />
                      <label htmlFor={id}>
                        {l.name} ({l.count})
                      </label>
                      {parents ? (
                        <span id={`${id}-parents`} className="parents">
                          {parents}
                        </span>
                      ) : null}
                    </li>
                  );
                })}
              </ul>
              {shown.length === 0 ? <p>No label matches “{filter.trim()}”.</p> : null}
            </fieldset>
          ) : null}
        </div>
        <DownloadForm
          selection={sel}
          expected={expected}
          onMatch={(match) => dispatch({ type: 'set-match', match })}
          onClear={() => dispatch({ type: 'clear' })}
        />
      </div>
    </section>
  );
}
