// The end-to-end journey of issue 6 in real headless Chromium (Debian's /usr/bin/chromium
// driven by playwright-core): sign in → upload three photos → labels with counts appear
// → select one → enter an email → Download → the job page reaches "ready" → download the
// link → the zip holds exactly the photos carrying that label. Every page is saved as a
// screenshot in OUT_DIR.
//
// Environment:
//   BASE_URL   where `pam serve` listens, e.g. http://127.0.0.1:8787 (required)
//   USERNAME, PASSWORD   a local account (required)
//   PHOTOS     three JPEG paths, separated by commas or newlines (required)
//   OUT_DIR    screenshots, the downloaded zip and journey.json go here (required)
//   EMAIL      address typed into the form (default journey@example.com)
//   TIMEOUT_MS how long labelling, and then the job, may take each (default 300000)
//   CHROMIUM   browser binary (default /usr/bin/chromium)
// Expects a server with no photos but these (the zip check compares bytes).
// Prints "journey: 1 passed, 0 failed" and exits 0 on success; exits 1 otherwise.

import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium } from 'playwright-core';
import { readZipFile } from './lib/unzip.mjs';

function env(name, fallback) {
  const v = process.env[name] ?? fallback;
  if (v === undefined || v === '') {
    console.error(`journey: set ${name} (see the header of e2e/journey.mjs)`);
    process.exit(2);
  }
  return v;
}

const BASE_URL = env('BASE_URL').replace(/\/+$/, '');
const USERNAME = env('USERNAME');
const PASSWORD = env('PASSWORD');
const OUT_DIR = resolve(env('OUT_DIR'));
const EMAIL = env('EMAIL', 'journey@example.com');
const TIMEOUT_MS = Number(env('TIMEOUT_MS', '300000'));
const CHROMIUM = env('CHROMIUM', '/usr/bin/chromium');
const PHOTOS = env('PHOTOS')
  .split(/[\n,]+/)
  .map((p) => p.trim())
  .filter(Boolean)
  .map((p) => resolve(p));
if (PHOTOS.length !== 3) {
  console.error(`journey: PHOTOS must name exactly three JPEG files, got ${PHOTOS.length}`);
  process.exit(2);
}

const sha = (buf) => createHash('sha256').update(buf).digest('hex');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.log(`[journey ${new Date().toISOString().slice(11, 19)}]`, ...a);

mkdirSync(OUT_DIR, { recursive: true });
const photoHashes = new Map(PHOTOS.map((p) => [sha(readFileSync(p)), basename(p)]));
if (photoHashes.size !== 3) throw new Error('PHOTOS must be three different files');

let shot = 0;
async function screenshot(page, name) {
  const file = join(OUT_DIR, `${String(++shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  log('screenshot', file);
  return file;
}

/** GET an API path from inside the page, with the signed-in token, like the app does. */
async function apiGet(page, path) {
  return page.evaluate(async (p) => {
    const cfg = await (await fetch('./config.json', { cache: 'no-store' })).json();
    const session = JSON.parse(sessionStorage.getItem('pam.session') ?? 'null');
    const res = await fetch(`${(cfg.apiBase ?? '').replace(/\/+$/, '')}${p}`, {
      headers: { Authorization: `Bearer ${session?.idToken ?? ''}`, Accept: 'application/json' },
    });
    if (!res.ok) throw new Error(`GET ${p}: HTTP ${res.status} ${await res.text()}`);
    return res.json();
  }, path);
}

async function until(what, fn, timeoutMs = TIMEOUT_MS, everyMs = 1000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

const isLabelling = (x) => /label/i.test(x.state_machine) || /label/i.test(x.name);

async function main() {
  const userDataDir = mkdtempSync(join(tmpdir(), 'pam-journey-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1280, height: 860 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  const summary = { base_url: BASE_URL, photos: PHOTOS.map((p) => basename(p)), screenshots: [] };
  summary.accessibility = {};
  // Each page is also checked with axe; serious or critical findings fail the journey.
  const snap = async (name) => {
    summary.screenshots.push(await screenshot(page, name));
    const { violations } = await new AxeBuilder({ page }).analyze();
    summary.accessibility[name] = violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')),
    }));
    const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    if (bad.length) {
      throw new Error(
        `accessibility on ${name}: ${bad.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('; ')}`,
      );
    }
  };

  try {
    // 1. sign in
    await page.goto(`${BASE_URL}/`, { waitUntil: 'networkidle' });
    await page.getByRole('heading', { name: 'Sign in to PAM' }).waitFor();
    await snap('signin');
    await page.getByLabel('Username').fill(USERNAME);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Upload photos' }).waitFor({ timeout: 30_000 });
    log('signed in');

    // 2. upload three photos
    const before = (await apiGet(page, '/executions')).executions.filter(isLabelling).length;
    await page.getByLabel('Choose photos').setInputFiles(PHOTOS);
    await page.getByText(/\d+ of 3 uploaded/).waitFor();
    await until(
      'three uploads to finish',
      async () => {
        const text = await page.getByRole('status').first().textContent();
        if (/failed/.test(text ?? '')) {
          const alerts = await page.getByRole('alert').allTextContents();
          throw new Error(`an upload failed: ${alerts.join(' | ')}`);
        }
        return /3 of 3 uploaded/.test(text ?? '');
      },
      120_000,
      250,
    );
    await snap('upload');
    log('uploaded', PHOTOS.length, 'photos');

    // 3. labels with counts appear, once labelling of all three has finished
    let seen = [];
    await until('labelling of the three photos', async () => {
      seen = (await apiGet(page, '/executions')).executions;
      const done = seen.filter(isLabelling).filter((x) => x.status !== 'RUNNING').length;
      return done >= before + 3;
    }).catch((e) => {
      const brief = seen.map((x) => `${x.name}:${x.state_machine}:${x.status}`).join(', ');
      throw new Error(`${e.message}; executions seen: ${brief || 'none'}`);
    });
    const labels = (await apiGet(page, '/labels')).labels;
    if (labels.length === 0) throw new Error('labelling finished but GET /labels lists no label');
    summary.labels = labels.map(({ name, count }) => ({ name, count }));
    // Prefer a label on some but not all of the photos, so the selection matters.
    const byCount = (a, b) => b.count - a.count || a.name.localeCompare(b.name);
    const pick =
      [...labels].filter((l) => l.count >= 1 && l.count < 3).sort(byCount)[0] ??
      [...labels].sort(byCount)[0];
    log('labels', labels.map((l) => `${l.name}(${l.count})`).join(' '), '→ picking', pick.name);
    await page.getByRole('link', { name: 'See labels' }).click();
    await page.getByRole('heading', { name: 'Labels', exact: true }).waitFor();
    const box = page.getByRole('checkbox', { name: `${pick.name} (${pick.count})`, exact: true });
    await box.waitFor({ timeout: 30_000 });
    await snap('labels');

    // 4. select it, enter an email, download
    await box.check();
    await page.getByLabel('Email or phone').fill(EMAIL);
    await snap('labels-selected');
    await page.getByRole('button', { name: 'Download' }).click();
    await page.getByRole('heading', { name: 'Download job' }).waitFor({ timeout: 30_000 });
    const jobId = decodeURIComponent(new URL(page.url()).hash.replace(/^#\/jobs\//, ''));
    summary.job_id = jobId;
    log('job', jobId);
    await snap('job-started');

    // 5. the job page reaches "ready"
    const stage = page.getByRole('status').filter({ hasText: 'Stage:' });
    await until('the job to be ready', async () => {
      const t = (await stage.textContent().catch(() => '')) ?? '';
      if (/Stage:\s*failed/.test(t)) {
        throw new Error(
          `job failed: ${(await page.getByRole('alert').allTextContents()).join(' | ')}`,
        );
      }
      return /Stage:\s*ready/.test(t);
    });
    const link = page.getByRole('link', { name: 'Download zip' });
    await link.waitFor();
    await snap('job-ready');
    const href = await link.getAttribute('href');
    summary.counts = (await apiGet(page, `/downloads/${encodeURIComponent(jobId)}`)).counts;

    // 6. download the link in the browser
    const zipPath = join(OUT_DIR, 'bundle.zip');
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      link.click(),
    ]);
    const failure = await download.failure();
    if (failure) throw new Error(`downloading ${href} failed: ${failure}`);
    await download.saveAs(zipPath);
    log('downloaded', zipPath);

    // 7. the zip holds exactly the photos carrying the label
    const entries = (await readZipFile(zipPath)).filter(
      (e) => !/(^|\/)manifest\.csv$/.test(e.name),
    );
    const got = entries.map((e) => ({ name: e.name, sha: sha(e.data) }));
    summary.zip = got.map((g) => g.name);
    const unknown = got.filter((g) => !photoHashes.has(g.sha));
    if (unknown.length)
      throw new Error(
        `zip holds files that were not uploaded: ${unknown.map((u) => u.name).join(', ')}`,
      );
    if (new Set(got.map((g) => g.sha)).size !== got.length)
      throw new Error('zip holds the same photo twice');
    if (got.length !== pick.count) {
      throw new Error(`zip holds ${got.length} photos but "${pick.name}" labels ${pick.count}`);
    }
    if (summary.counts?.zipped !== undefined && summary.counts.zipped !== got.length) {
      throw new Error(`job says ${summary.counts.zipped} zipped, zip holds ${got.length}`);
    }
    log(
      'zip holds',
      got.length,
      'photos, each byte-identical to an upload:',
      got.map((g) => photoHashes.get(g.sha)).join(', '),
    );

    // 8. the other pages, for the record
    await page.goto(`${BASE_URL}/#/jobs`);
    await page.getByRole('heading', { name: 'Download jobs' }).waitFor();
    await snap('jobs');
    if (await page.getByRole('link', { name: 'Outbox' }).count()) {
      await page.getByRole('link', { name: 'Outbox' }).click();
      await page.getByRole('heading', { name: 'Outbox' }).waitFor();
      await page
        .getByRole('list', { name: 'Messages' })
        .or(page.getByText('The outbox is empty.'))
        .first()
        .waitFor();
      await snap('outbox');
    }
    await page.getByRole('link', { name: 'Executions', exact: true }).click();
    await page.getByRole('heading', { name: 'Executions' }).waitFor();
    await page.getByRole('table').waitFor();
    await snap('executions');
    await page.getByRole('table').getByRole('link').first().click();
    await page.getByRole('heading', { name: 'Execution history' }).waitFor();
    await page.getByRole('table').waitFor();
    await snap('execution-history');

    if (problems.length) log('browser reported:', problems.join(' | '));
    summary.result = 'passed';
    writeFileSync(join(OUT_DIR, 'journey.json'), JSON.stringify(summary, null, 2));
    console.log('journey: 1 passed, 0 failed');
    return 0;
  } catch (e) {
    summary.result = 'failed';
    summary.error = e.message;
    summary.browser_problems = problems;
    await screenshot(page, 'failure').catch(() => {});
    writeFileSync(join(OUT_DIR, 'journey.json'), JSON.stringify(summary, null, 2));
    console.error(`journey failed: ${e.stack ?? e}`);
    if (problems.length) console.error(`browser reported: ${problems.join(' | ')}`);
    console.log('journey: 0 passed, 1 failed');
    return 1;
  } finally {
    await context.close().catch(() => {});
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

process.exit(await main());
