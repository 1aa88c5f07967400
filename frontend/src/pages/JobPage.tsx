// One download job: where it is in the workflow, its counts, and the link once ready.
// Polls until the job is ready or failed.

import { STAGES, type JobStatus } from '../api/types';
import { ErrorNote, formatTime } from '../components/ErrorNote';
import { useApp } from '../context';
import { formatBytes } from '../upload/progress';
import { isJobFinal } from '../jobs/poll';
import { usePolling } from '../jobs/usePolling';

export const JOB_POLL_MS = 2000;

const STAGE_TEXT: Record<string, string> = {
  queued: 'Waiting to start',
  opening: 'Opening the notification channel',
  resolving: 'Finding matching photos',
  restoring: 'Restoring archived photos',
  bundling: 'Building the zip',
  notifying: 'Sending the link',
  ready: 'The zip is ready, and the link was sent to the address you gave',
  failed: 'The job stopped',
};

export function JobPage({ id, pollMs = JOB_POLL_MS }: { id: string; pollMs?: number }) {
  const { api } = useApp();
  const { value: job, error } = usePolling<JobStatus>(() => api.job(id), pollMs, isJobFinal, [
    api,
    id,
  ]);
  const steps = STAGES.filter((s) => s !== 'failed');
  const currentIndex = job ? steps.indexOf(job.stage as (typeof steps)[number]) : -1;

  return (
    <section>
      <h1>Download job</h1>
      <p className="muted">
        Job <code>{id}</code>
      </p>
      <ErrorNote error={error} prefix="Could not load the job" />
      {!job && !error ? <p role="status">Loading…</p> : null}
      {job ? (
        <>
          <div className="card">
            <p role="status" aria-live="polite" className="stage-line">
              Stage: <strong className={`stage stage-${job.stage}`}>{job.stage}</strong>
              <span className="muted"> — {STAGE_TEXT[job.stage] ?? job.stage}</span>
            </p>
            <ol className="stepper" aria-label="Progress">
              {steps.map((s, i) => (
                <li
                  key={s}
                  className={
                    job.stage === 'failed'
                      ? 'step'
                      : i < currentIndex || job.stage === 'ready'
                        ? 'step step-done'
                        : i === currentIndex
                          ? 'step step-current'
                          : 'step'
                  }
                  aria-current={i === currentIndex ? 'step' : undefined}
                >
                  {s}
                </li>
              ))}
            </ol>
            <dl className="counts">
              <div>
                <dt>Matched</dt>
                <dd>{job.counts.matched}</dd>
              </div>
              <div>
                <dt>Archived</dt>
                <dd>{job.counts.archived}</dd>
              </div>
              <div>
                <dt>Restored</dt>
                <dd>{job.counts.restored}</dd>
              </div>
              <div>
                <dt>Zipped</dt>
                <dd>{job.counts.zipped}</dd>
              </div>
            </dl>
          </div>
          {job.stage === 'failed' ? (
            <p className="error" role="alert">
              The job failed: {job.error?.message ?? 'no reason was given'}
              {job.error?.code ? <span className="code"> ({job.error.code})</span> : null}
            </p>
          ) : null}
          {job.link ? (
            <div className="card ready">
              <h2>Your photos are ready</h2>
              <p>
                <a className="button primary" href={job.link.url} download>
                  Download zip
                </a>
              </p>
              <p className="muted">Link valid until {formatTime(job.link.expires_at)}.</p>
              {job.link.parts && job.link.parts.length > 1 ? (
                <ul aria-label="Bundle parts">
                  {job.link.parts.map((p, i) => (
                    <li key={p.url}>
                      <a href={p.url} download>
                        Part {i + 1}
                      </a>{' '}
                      <span className="muted">({formatBytes(p.size)})</span>
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
