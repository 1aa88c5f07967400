// A fake PAM API for component tests: a `fetch` that answers the app's routes from
// in-memory state, checks the bearer token, and records every request.

import type { JobStatus, Label } from '../api/types';

export interface Recorded {
  method: string;
  path: string;
  body: unknown;
  auth: string | undefined;
}

export interface FakeApi {
  fetch: typeof fetch;
  requests: Recorded[];
  labels: Label[];
  jobs: Map<string, JobStatus[]>;
  token: string;
  /** Next responses to force for a route key like `GET /labels`. */
  override: Map<string, { status: number; body: unknown }>;
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

export function fakeApi(): FakeApi {
  const api: FakeApi = {
    requests: [],
    labels: [
      { name: 'Mountain', count: 2, parents: ['Nature', 'Outdoors'] },
      { name: 'Lake', count: 1, parents: ['Nature'] },
      { name: 'Dog', count: 1 },
    ],
    jobs: new Map(),
    token: 'token-1',
    override: new Map(),
    fetch: undefined as unknown as typeof fetch,
  };
  let jobSeq = 0;
  api.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://app.test');
    const method = init?.method ?? 'GET';
    const headers = (init?.headers ?? {}) as Record<string, string>;
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    const path = url.pathname;
    api.requests.push({ method, path, body, auth: headers.Authorization });
    const forced = api.override.get(`${method} ${path}`);
    if (forced) {
      api.override.delete(`${method} ${path}`);
      return json(forced.status, forced.body);
    }
    if (method === 'POST' && path === '/auth/login') {
      const b = body as { username: string; password: string };
      return b.username === 'ana' && b.password === 'pw'
        ? json(200, { id_token: api.token, expires_in: 3600 })
        : json(401, { error: { code: 'bad_credentials', message: 'wrong username or password' } });
    }
    if (headers.Authorization !== `Bearer ${api.token}`) {
      return json(401, { error: { code: 'unauthorized', message: 'missing or invalid token' } });
    }
    if (method === 'GET' && path === '/labels') return json(200, { labels: api.labels });
    if (method === 'POST' && path === '/uploads') {
      const b = body as { file_name: string };
      return json(200, {
        key: `photos/${b.file_name}`,
        method: 'PUT',
        url: `https://store.test/${b.file_name}`,
        headers: {},
      });
    }
    if (method === 'POST' && path === '/downloads') {
      const id = `job-${++jobSeq}`;
      const counts = { matched: 2, archived: 2, restored: 0, zipped: 0 };
      api.jobs.set(id, [
        { job_id: id, stage: 'restoring', counts },
        { job_id: id, stage: 'bundling', counts: { ...counts, restored: 2 } },
        {
          job_id: id,
          stage: 'ready',
          counts: { ...counts, restored: 2, zipped: 2 },
          link: {
            url: 'https://store.test/bundles/job.zip?sig=abc',
            expires_at: '2030-01-01T00:00:00Z',
          },
        },
      ]);
      return json(202, { job_id: id });
    }
    const jobMatch = /^\/downloads\/([^/]+)$/.exec(path);
    if (method === 'GET' && jobMatch) {
      const steps = api.jobs.get(decodeURIComponent(jobMatch[1]));
      if (!steps) return json(404, { error: { code: 'not_found', message: 'no such job' } });
      return json(200, steps.length > 1 ? steps.shift() : steps[0]);
    }
    if (method === 'GET' && path === '/outbox') {
      return json(200, {
        messages: [
          {
            id: 'm1',
            channel: 'email',
            subject: 'Your photos are ready',
            body: 'Download: https://store.test/bundles/job.zip?sig=abc\nValid 24 h.',
            created_at: '2026-01-01T10:00:00Z',
          },
        ],
      });
    }
    if (method === 'GET' && path === '/executions') {
      return json(200, {
        executions: [
          {
            execution_arn: 'arn:pam:states:local:0:execution:download:job-1',
            name: 'job-1',
            state_machine: 'arn:pam:states:local:0:stateMachine:download',
            status: 'SUCCEEDED',
            start_date: '2026-01-01T10:00:00Z',
            stop_date: '2026-01-01T10:01:00Z',
          },
          {
            execution_arn: 'arn:pam:states:local:0:execution:labelling:p-1',
            name: 'p-1',
            state_machine: 'labelling',
            status: 'FAILED',
            start_date: '2026-01-01T09:00:00Z',
            stop_date: null,
          },
        ],
      });
    }
    if (method === 'GET' && /^\/executions\/[^/]+\/history$/.test(path)) {
      return json(200, {
        events: [
          {
            id: 1,
            timestamp: '2026-01-01T10:00:00Z',
            type: 'ExecutionStarted',
            executionStartedEventDetails: { input: '{"labels":["Mountain"]}' },
          },
          {
            id: 2,
            previousEventId: 1,
            timestamp: '2026-01-01T10:00:01Z',
            type: 'TaskStateEntered',
            stateEnteredEventDetails: { name: 'OpenChannel', input: '{}' },
          },
          {
            id: 3,
            previousEventId: 2,
            timestamp: '2026-01-01T10:01:00Z',
            type: 'ExecutionSucceeded',
            executionSucceededEventDetails: { output: '{"ok":true}' },
          },
        ],
      });
    }
    return json(404, { error: { code: 'no_route', message: `${method} ${path}` } });
  }) as typeof fetch;
  return api;
}
