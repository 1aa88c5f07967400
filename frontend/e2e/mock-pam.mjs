// A stand-in for `pam serve`, for checking the journey script and looking at the pages
// before the Rust server exists. It serves frontend/dist and answers the API with the
// same shapes (see shared/DESIGN.md): in-memory users, presigned-looking store URLs,
// fake labelling by content hash, download jobs that step through their stages and
// end with a real zip of the matched photos, an outbox and execution histories.
// Not a test of PAM itself. Usage: node e2e/mock-pam.mjs [--port 8787] [--dist dist]

import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeZip } from './lib/zipwrite.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const PORT = Number(opt('port', process.env.PORT ?? 8787));
const DIST = resolve(opt('dist', join(fileURLToPath(new URL('.', import.meta.url)), '..', 'dist')));
const USER = process.env.USERNAME ?? 'ana';
const PASS = process.env.PASSWORD ?? 'pw';
const STEP_MS = Number(process.env.MOCK_STEP_MS ?? 700);
const MULTIPART_OVER = Number(process.env.MOCK_MULTIPART_OVER ?? 5 * 1024 * 1024);
const LABEL_SETS = [
  ['Mountain', 'Nature'],
  ['Lake', 'Nature'],
  ['Dog', 'Animal'],
];

const tokens = new Set();
const photos = new Map(); // key → { data, labels }
const pending = new Map(); // upload_id → { key, parts: Map }
const jobs = new Map();
const executions = [];
const outbox = [];
let seq = 0;

const now = () => new Date().toISOString();
const send = (res, status, body, headers = {}) => {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(text);
};
const fail = (res, status, code, message) => send(res, status, { error: { code, message } });

function startExecution(machine, name, input) {
  const arn = `arn:pam:states:local:000000000000:execution:${machine}:${name}`;
  const ex = {
    execution_arn: arn,
    name,
    state_machine: `arn:pam:states:local:000000000000:stateMachine:${machine}`,
    status: 'RUNNING',
    start_date: now(),
    stop_date: null,
    events: [
      {
        id: 1,
        timestamp: now(),
        type: 'ExecutionStarted',
        executionStartedEventDetails: { input: JSON.stringify(input) },
      },
    ],
  };
  executions.push(ex);
  return ex;
}

function addEvent(ex, type, details) {
  const id = ex.events.length + 1;
  const key = `${type[0].toLowerCase()}${type.slice(1)}EventDetails`;
  ex.events.push({
    id,
    previousEventId: id - 1,
    timestamp: now(),
    type,
    ...(details ? { [key]: details } : {}),
  });
}

function finish(ex, ok, output) {
  ex.status = ok ? 'SUCCEEDED' : 'FAILED';
  ex.stop_date = now();
  addEvent(
    ex,
    ok ? 'ExecutionSucceeded' : 'ExecutionFailed',
    ok ? { output: JSON.stringify(output) } : output,
  );
}

function objectCreated(key, data) {
  const ex = startExecution('labelling', `label-${++seq}`, { key });
  setTimeout(() => {
    const labels = LABEL_SETS[createHash('sha256').update(data).digest()[0] % LABEL_SETS.length];
    for (const state of ['DetectLabels', 'IndexLabels', 'Archive']) {
      addEvent(ex, 'TaskStateEntered', { name: state, input: JSON.stringify({ key }) });
      addEvent(ex, 'TaskStateExited', { name: state, output: JSON.stringify({ key, labels }) });
    }
    photos.set(key, { data, labels });
    finish(ex, true, { key, labels });
  }, STEP_MS);
}

function labelList() {
  const counts = new Map();
  for (const { labels } of photos.values())
    for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  const parents = { Mountain: ['Nature'], Lake: ['Nature'], Dog: ['Animal'] };
  return [...counts].map(([name, count]) => ({ name, count, parents: parents[name] ?? [] }));
}

function validDownload(b) {
  if (!b || !Array.isArray(b.labels) || b.labels.length === 0)
    return 'labels must be a non-empty list';
  if (!['any', 'all'].includes(b.match)) return 'match must be "any" or "all"';
  if (!['Expedited', 'Standard', 'Bulk'].includes(b.tier))
    return 'tier must be Expedited, Standard or Bulk';
  const n = b.notify ?? {};
  if (
    typeof n.email === 'string'
      ? !/^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$/.test(n.email)
      : !/^\+[1-9]\d{7,14}$/.test(n.phone ?? '')
  ) {
    return 'notify needs a valid email or an E.164 phone number';
  }
  return null;
}

function runJob(job, req, origin) {
  const ex = startExecution('download', job.job_id, {
    labels: req.labels,
    match: req.match,
    tier: req.tier,
  });
  const stages = ['opening', 'resolving', 'restoring', 'bundling', 'notifying', 'ready'];
  const states = [
    'OpenChannel',
    'ResolveManifest',
    'StartRestores',
    'BuildBundle',
    'Notify',
    'CloseChannel',
  ];
  let i = 0;
  const tick = () => {
    job.stage = stages[i];
    addEvent(ex, 'TaskStateEntered', { name: states[i], input: '{}' });
    if (job.stage === 'resolving') {
      job.matched = [...photos].filter(([, p]) =>
        req.match === 'all'
          ? req.labels.every((l) => p.labels.includes(l))
          : req.labels.some((l) => p.labels.includes(l)),
      );
      job.counts.matched = job.matched.length;
      job.counts.archived = job.matched.length;
    }
    if (job.stage === 'restoring') job.counts.restored = job.counts.archived;
    if (job.stage === 'bundling') {
      const entries = job.matched.map(([key, p]) => ({
        name: key.replace(/^photos\//, ''),
        data: p.data,
      }));
      const manifest =
        ['key,size', ...job.matched.map(([k, p]) => `${k},${p.data.length}`)].join('\n') + '\n';
      job.zip = writeZip([...entries, { name: 'manifest.csv', data: Buffer.from(manifest) }]);
      job.counts.zipped = entries.length;
    }
    if (job.stage === 'notifying') {
      const url = `${origin}/bundles/${job.job_id}.zip?X-Pam-Signature=${randomUUID()}`;
      job.link = { url, expires_at: new Date(Date.now() + 86400e3).toISOString() };
      outbox.push({
        id: `m${++seq}`,
        channel: 'email' in req.notify ? 'email' : 'sms',
        subject: 'Your photos are ready',
        body: `Your ${job.counts.zipped} photos are ready:\n${url}\nThe link works for 24 hours.`,
        created_at: now(),
      });
    }
    if (job.stage === 'ready') return finish(ex, true, { job_id: job.job_id });
    i++;
    setTimeout(tick, STEP_MS);
  };
  setTimeout(tick, STEP_MS);
}

async function body(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return Buffer.concat(chunks);
}

const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

async function serveStatic(res, path) {
  const file = normalize(join(DIST, path === '/' ? 'index.html' : path));
  if (!file.startsWith(DIST)) return fail(res, 400, 'bad_path', 'path escapes the app folder');
  try {
    const data = await readFile(file);
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(data);
  } catch {
    fail(res, 404, 'not_found', `no file ${path}`);
  }
}

async function handle(req, res) {
  const url = new URL(req.url, `http://${req.headers.host}`);
  const origin = `http://${req.headers.host}`;
  const path = url.pathname;
  const m = req.method;
  if (m === 'POST' && path === '/auth/login') {
    const b = JSON.parse((await body(req)).toString() || '{}');
    if (b.username !== USER || b.password !== PASS)
      return fail(res, 401, 'bad_credentials', 'wrong username or password');
    const t = randomUUID();
    tokens.add(t);
    return send(res, 200, { id_token: t, expires_in: 3600 });
  }
  if (m === 'PUT' && path.startsWith('/store/')) {
    const data = await body(req);
    const etag = `"${createHash('md5').update(data).digest('hex')}"`;
    const part = /^\/store\/parts\/([^/]+)\/(\d+)$/.exec(path);
    if (part) pending.get(part[1])?.parts.set(Number(part[2]), data);
    else objectCreated(decodeURIComponent(path.slice('/store/'.length)), data);
    res.writeHead(200, { ETag: etag, 'Access-Control-Expose-Headers': 'ETag' });
    return res.end();
  }
  const bundle = /^\/bundles\/([^/]+)\.zip$/.exec(path);
  if (m === 'GET' && bundle) {
    const job = jobs.get(bundle[1]);
    if (!job?.zip || !url.searchParams.get('X-Pam-Signature'))
      return fail(res, 403, 'bad_link', 'link is invalid');
    res.writeHead(200, {
      'Content-Type': 'application/zip',
      'Content-Disposition': `attachment; filename="pam-${job.job_id}.zip"`,
    });
    return res.end(job.zip);
  }
  const api = /^\/(labels|uploads|downloads|outbox|executions)(\/|$)/.test(path);
  if (!api) return serveStatic(res, path);
  const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
  if (!tokens.has(token)) return fail(res, 401, 'unauthorized', 'missing or invalid token');

  if (m === 'GET' && path === '/labels') return send(res, 200, { labels: labelList() });
  if (m === 'POST' && path === '/uploads') {
    const b = JSON.parse((await body(req)).toString() || '{}');
    if (!b.file_name || !(b.size > 0))
      return fail(res, 400, 'bad_request', 'file_name and a positive size are required');
    if (b.content_type !== 'image/jpeg')
      return fail(
        res,
        415,
        'unsupported_type',
        `only image/jpeg is accepted, not ${b.content_type}`,
      );
    const key = `photos/${++seq}-${b.file_name}`;
    if (b.size <= MULTIPART_OVER) {
      return send(res, 200, {
        key,
        method: 'PUT',
        url: `${origin}/store/${encodeURIComponent(key)}?sig=1`,
        headers: { 'Content-Type': 'image/jpeg' },
      });
    }
    const id = randomUUID();
    const partSize = MULTIPART_OVER;
    pending.set(id, { key, parts: new Map() });
    const parts = Array.from({ length: Math.ceil(b.size / partSize) }, (_, i) => ({
      part_number: i + 1,
      url: `${origin}/store/parts/${id}/${i + 1}`,
    }));
    return send(res, 200, {
      key,
      multipart: {
        upload_id: id,
        part_size: partSize,
        parts,
        complete_url: `/uploads/${id}/complete`,
        abort_url: `/uploads/${id}`,
      },
    });
  }
  const complete = /^\/uploads\/([^/]+)\/complete$/.exec(path);
  if (m === 'POST' && complete) {
    const up = pending.get(complete[1]);
    if (!up) return fail(res, 404, 'no_upload', 'no such multipart upload');
    const b = JSON.parse((await body(req)).toString() || '{}');
    const data = Buffer.concat(
      (b.parts ?? []).map((p) => up.parts.get(p.part_number) ?? Buffer.alloc(0)),
    );
    pending.delete(complete[1]);
    objectCreated(up.key, data);
    return send(res, 200, { key: up.key });
  }
  if (m === 'DELETE' && path.startsWith('/uploads/')) {
    pending.delete(path.split('/')[2]);
    return send(res, 204);
  }
  if (m === 'POST' && path === '/downloads') {
    const b = JSON.parse((await body(req)).toString() || '{}');
    const problem = validDownload(b);
    if (problem) return fail(res, 400, 'bad_request', problem);
    const job = {
      job_id: `job-${++seq}`,
      stage: 'queued',
      counts: { matched: 0, archived: 0, restored: 0, zipped: 0 },
    };
    jobs.set(job.job_id, job);
    runJob(job, b, origin);
    return send(res, 202, { job_id: job.job_id });
  }
  const jobPath = /^\/downloads\/([^/]+)$/.exec(path);
  if (m === 'GET' && jobPath) {
    const job = jobs.get(decodeURIComponent(jobPath[1]));
    if (!job) return fail(res, 404, 'not_found', 'no such job');
    const { job_id, stage, counts, link } = job;
    return send(res, 200, { job_id, stage, counts, ...(stage === 'ready' ? { link } : {}) });
  }
  if (m === 'GET' && path === '/outbox') return send(res, 200, { messages: outbox });
  if (m === 'GET' && path === '/executions') {
    return send(res, 200, { executions: executions.map(({ events: _e, ...x }) => x) });
  }
  const hist = /^\/executions\/([^/]+)\/history$/.exec(path);
  if (m === 'GET' && hist) {
    const ex = executions.find((x) => x.execution_arn === decodeURIComponent(hist[1]));
    return ex
      ? send(res, 200, { events: ex.events })
      : fail(res, 404, 'not_found', 'no such execution');
  }
  return fail(res, 404, 'no_route', `${m} ${path}`);
}

const server = createServer((req, res) => {
  handle(req, res).catch((e) => fail(res, 500, 'internal', e.message));
});
server.listen(PORT, '127.0.0.1', () =>
  console.log(`mock pam on http://127.0.0.1:${PORT} (user ${USER})`),
);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)));
