#!/usr/bin/env node
/**
 * `npm run synth` / `npm run deploy`: makes sure everything synth needs exists, then
 * runs the CDK CLI offline-friendly (no version check, no telemetry, no notices).
 *
 * - Lambda binaries: with `PAM_LAMBDA_DIR` set (CI: scripts/ci/cdk.sh assembles the
 *   debug builds there) every needed `<dir>/<name>/bootstrap` must exist, and a missing
 *   one fails naming it; without it, missing binaries are built into target/lambda with
 *   `cargo lambda build --release` (`--arm64`, or `--x86-64` for `--context arch=x86_64`).
 * - The React build: `frontend/dist` is built with `npm ci && npm run build` if absent.
 *
 * Usage: node dist/bin/cdk-run.js <synth|deploy|destroy|diff> [cdk args, e.g. -c arch=x86_64]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { frontendDir, lambdaDir } from '../lib/app-inputs';
import { contextOf, readConfig } from '../lib/config';
import { assetCode } from '../lib/lambda-code';
import { aslFile, repoRoot } from '../lib/paths';
import { requiredFunctions } from '../lib/pam-stack';
import { loadDefinition } from '../lib/workflows';

/** `-c k=v` / `--context k=v` / `--context=k=v` from the CLI args, over cdk.json's context. */
function context(args: readonly string[]): Record<string, unknown> {
  const cdkJson = path.join(__dirname, '..', '..', 'cdk.json');
  const base = JSON.parse(fs.readFileSync(cdkJson, 'utf8')).context ?? {};
  const out: Record<string, unknown> = { ...base };
  for (let i = 0; i < args.length; i++) {
    let kv: string | undefined;
    if (args[i] === '-c' || args[i] === '--context') kv = args[++i];
    else if (args[i].startsWith('--context=')) kv = args[i].slice('--context='.length);
    if (kv === undefined) continue;
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new Error(`context argument ${kv}: expected key=value`);
    out[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return out;
}

function run(cmd: string, args: string[], cwd: string): void {
  console.error(`+ (cd ${cwd} && ${cmd} ${args.join(' ')})`);
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (r.error) throw new Error(`${cmd} could not start: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
}

function ensureBinaries(ctx: ReturnType<typeof contextOf>, x86: boolean): void {
  const root = repoRoot();
  const binaries = requiredFunctions([
    loadDefinition(aslFile('labelling', root)),
    loadDefinition(aslFile('download', root)),
  ]).map((f) => f.binary);
  const dir = lambdaDir(ctx);
  const missing = assetCode(dir).missing(binaries);
  if (missing.length === 0) return;
  if (process.env.PAM_LAMBDA_DIR) {
    throw new Error(
      `PAM_LAMBDA_DIR=${dir} lacks ${missing.map((b) => `${b}/bootstrap`).join(', ')}; ` +
        'build those binaries first (scripts/ci/cdk.sh names the cargo command)',
    );
  }
  // scripts/ci/lambda.sh installs cargo-lambda into .cache/venv-lambda: use it if present.
  const venv = path.join(root, '.cache', 'venv-lambda', 'bin');
  if (fs.existsSync(path.join(venv, 'cargo-lambda'))) {
    process.env.PATH = `${venv}${path.delimiter}${process.env.PATH ?? ''}`;
  }
  const probe = spawnSync('cargo', ['lambda', '--version'], { stdio: 'ignore' });
  if (probe.status !== 0) {
    throw new Error(
      `missing Lambda binaries (${missing.join(', ')}) and no cargo-lambda to build them: ` +
        '`pip install cargo-lambda` (or `cargo install cargo-lambda`), then rerun',
    );
  }
  const args = ['lambda', 'build', '--release', x86 ? '--x86-64' : '--arm64', '-p', 'pam-lambdas'];
  for (const b of missing) args.push('--bin', b);
  run('cargo', args, root);
  const still = assetCode(dir).missing(binaries);
  if (still.length > 0) throw new Error(`cargo lambda build left ${still.join(', ')} missing in ${dir}`);
}

function ensureFrontend(ctx: ReturnType<typeof contextOf>): void {
  const dir = frontendDir(ctx);
  if (fs.existsSync(path.join(dir, 'index.html'))) return;
  if (process.env.PAM_FRONTEND_DIR) throw new Error(`PAM_FRONTEND_DIR=${dir} has no index.html`);
  const frontend = path.join(repoRoot(), 'frontend');
  if (!fs.existsSync(path.join(frontend, 'node_modules'))) run('npm', ['ci', '--no-audit', '--no-fund'], frontend);
  run('npm', ['run', 'build'], frontend);
}

function main(): void {
  const [command, ...rest] = process.argv.slice(2);
  if (!command || !['synth', 'deploy', 'destroy', 'diff'].includes(command)) {
    throw new Error('usage: cdk-run <synth|deploy|destroy|diff> [cdk args]');
  }
  const values = context(rest);
  const ctx = contextOf(values);
  const config = readConfig(ctx); // fail on bad context before any build
  if (command !== 'destroy') {
    ensureBinaries(ctx, config.arch.name === 'x86_64');
    ensureFrontend(ctx);
  }
  const cdk = path.join(__dirname, '..', '..', 'node_modules', '.bin', 'cdk');
  const extra = command === 'synth' ? ['--quiet'] : [];
  const r = spawnSync(cdk, [command, '--no-notices', ...extra, ...rest], {
    cwd: path.join(__dirname, '..', '..'),
    stdio: 'inherit',
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', CDK_DISABLE_CLI_TELEMETRY: 'true' },
  });
  if (r.error) throw new Error(`cdk could not start: ${r.error.message}`);
  process.exitCode = r.status ?? 1;
}

try {
  main();
} catch (e) {
  console.error(`cdk-run: ${(e as Error).message}`);
  process.exitCode = 1;
}
