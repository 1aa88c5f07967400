// Download jobs started in this browser tab, so the person can go back to one.

import { recentJobs } from '../jobs/poll';

export function JobsPage() {
  const jobs = recentJobs();
  return (
    <section>
      <h1>Download jobs</h1>
      {jobs.length === 0 ? (
        <p>
          No downloads started in this session. Pick labels on the <a href="#/labels">Labels</a>{' '}
          page to start one.
        </p>
      ) : (
        <ul className="card plain-list">
          {jobs.map((id) => (
            <li key={id}>
              <a href={`#/jobs/${encodeURIComponent(id)}`}>Job {id}</a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
