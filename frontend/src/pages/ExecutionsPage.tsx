// The operator view: workflow executions with their status, newest first.

import type { Execution } from '../api/types';
import { ErrorNote, formatTime } from '../components/ErrorNote';
import { useApp } from '../context';
import { usePolling } from '../jobs/usePolling';

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge status-${status.toLowerCase()}`}>{status}</span>;
}

function machineName(arnOrName: string): string {
  const parts = arnOrName.split(':');
  return parts[parts.length - 1] || arnOrName;
}

export function ExecutionsPage() {
  const { api } = useApp();
  const { value, error } = usePolling<Execution[]>(() => api.executions(), 5000, undefined, [api]);
  const list = [...(value ?? [])].sort((a, b) =>
    String(b.start_date).localeCompare(String(a.start_date)),
  );
  return (
    <section>
      <h1>Executions</h1>
      <p className="muted">
        Every labelling and download workflow run, refreshed every few seconds.
      </p>
      <ErrorNote error={error} prefix="Could not load executions" />
      {value && list.length === 0 ? <p role="status">No executions yet.</p> : null}
      {list.length > 0 ? (
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
              {list.map((x) => (
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
