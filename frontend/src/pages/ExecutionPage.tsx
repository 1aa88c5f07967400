// One execution's history, GetExecutionHistory-shaped: one row per event with its
// state name, and the event details (input, output, error, cause) folded open on demand.

import type { HistoryEvent } from '../api/types';
import { ErrorNote, formatTime } from '../components/ErrorNote';
import { useApp } from '../context';
import { usePolling } from '../jobs/usePolling';

/** The `*EventDetails` object of an event, if it has one. */
export function eventDetails(e: HistoryEvent): Record<string, unknown> | null {
  for (const [k, v] of Object.entries(e)) {
    if (k.endsWith('EventDetails') && v && typeof v === 'object')
      return v as Record<string, unknown>;
  }
  return null;
}

function pretty(v: unknown): string {
  if (typeof v === 'string') {
    try {
      return JSON.stringify(JSON.parse(v), null, 2);
    } catch {
      return v;
    }
  }
  return JSON.stringify(v, null, 2);
}

const FINAL = /^Execution(Succeeded|Failed|Aborted|TimedOut)$/;

export function ExecutionPage({ arn }: { arn: string }) {
  const { api } = useApp();
  const { value, error } = usePolling<HistoryEvent[]>(
    () => api.history(arn),
    3000,
    (events) => events.some((e) => FINAL.test(e.type)),
    [api, arn],
  );
  const events = value ?? [];
  const name = arn.split(':').pop();
  return (
    <section>
      <p>
        <a href="#/executions">← All executions</a>
      </p>
      <h1>Execution history</h1>
      <p className="muted">
        <code>{name}</code>
      </p>
      <ErrorNote error={error} prefix="Could not load the history" />
      {events.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">History events</caption>
            <thead>
              <tr>
                <th scope="col">ID</th>
                <th scope="col">Previous</th>
                <th scope="col">Time</th>
                <th scope="col">Type</th>
                <th scope="col">State</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => {
                const d = eventDetails(e);
                const state = d && typeof d.name === 'string' ? d.name : '';
                const rest = d ? Object.entries(d).filter(([k]) => k !== 'name') : [];
                return (
                  <tr
                    key={e.id}
                    className={/Failed|TimedOut|Aborted/.test(e.type) ? 'row-error' : ''}
                  >
                    <td>{e.id}</td>
                    <td>{e.previousEventId ?? ''}</td>
                    <td>{formatTime(e.timestamp)}</td>
                    <td>{e.type}</td>
                    <td>{state}</td>
                    <td>
                      {rest.length > 0 ? (
                        <details>
                          <summary>{rest.map(([k]) => k).join(', ')}</summary>
                          {rest.map(([k, v]) => (
                            <div key={k}>
                              <strong>{k}</strong>
                              <pre>{pretty(v).slice(0, 4000)}</pre>
                            </div>
                          ))}
                        </details>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : value ? (
        <p role="status">No events.</p>
      ) : null}
    </section>
  );
}
