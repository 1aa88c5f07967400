// The operator view: workflow executions with their status, newest first, filterable
// by status and state machine; the newest few hundred are shown.

import { useState } from 'react';
import type { Execution } from '../api/types';
import { ErrorNote, formatTime } from '../components/ErrorNote';
import { useApp } from '../context';
import { usePolling } from '../jobs/usePolling';
import { choices, filterExecutions, machineName } from './executionList';

export const MAX_ROWS = 300;

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge status-${status.toLowerCase()}`}>{status}</span>;
}

export function ExecutionsPage() {
  const { api } = useApp();
  const { value, error } = usePolling<Execution[]>(() => api.executions(), 5000, undefined, [api]);
  const [status, setStatus] = useState('');
  const [machine, setMachine] = useState('');
  const all = value ?? [];
  const { statuses, machines } = choices(all);
  const list = filterExecutions(all, { status, machine });
  const shown = list.slice(0, MAX_ROWS);
  return (
    <section>
      <h1>Executions</h1>
      <p className="muted">
        Every labelling and download workflow run, refreshed every few seconds.
      </p>
      <ErrorNote error={error} prefix="Could not load executions" />
      {value && all.length === 0 ? <p role="status">No executions yet.</p> : null}
      {all.length > 0 ? (
        <div className="filters">
          <div className="field">
            <label htmlFor="ex-status">Status</label>
            <select id="ex-status" value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="">Any status</option>
              {statuses.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="ex-machine">State machine</label>
            <select id="ex-machine" value={machine} onChange={(e) => setMachine(e.target.value)}>
              <option value="">Any state machine</option>
              {machines.map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          </div>
          <p className="muted" role="status">
            {list.length === shown.length
              ? `${list.length} execution${list.length === 1 ? '' : 's'}`
              : `Newest ${shown.length} of ${list.length} executions`}
          </p>
        </div>
      ) : null}
      {shown.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Workflow executions</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">State machine</th>
                <th scope="col">Status</th>
                <th scope="col">Started</th>
                <th scope="col">Stopped</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((x) => (
                <tr key={x.execution_arn}>
                  <td>
                    <a href={`#/executions/${encodeURIComponent(x.execution_arn)}`}>{x.name}</a>
                  </td>
                  <td>{machineName(x.state_machine)}</td>
                  <td>
                    <StatusBadge status={x.status} />
                  </td>
                  <td>{formatTime(x.start_date)}</td>
                  <td>{formatTime(x.stop_date)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
