/**
 * The app's knobs, read once from CDK context (`cdk.json` or `--context key=value`) and
 * validated, so a typo fails the synth with a message instead of deploying a default.
 */
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';

/** Validated settings. */
export interface PamConfig {
  /** Lambda architecture: arm64 (default, cheaper) or x86_64 (CI builds only x86-64). */
  readonly arch: lambda.Architecture;
  /** Name prefix of named resources (state machines, functions, topics). */
  readonly prefix: string;
  /** SNS topic name prefix for per-job channels: `<prefix>-download-`. */
  readonly topicPrefix: string;
  /** Keep the photos bucket, the table and the user pool when the stack is deleted. */
  readonly retainData: boolean;
  readonly logRetention: logs.RetentionDays;
  /** Cognito hosted UI domain prefix (globally unique per region). */
  readonly domainPrefix?: string;
  /** More browser origins allowed to call the API and PUT photos (e.g. a dev server). */
  readonly extraOrigins: readonly string[];
  /** Days a bundle (and its manifest) stays in the working bucket. */
  readonly bundleDays: number;
  /** PAM_MIN_CONFIDENCE for DetectLabels, when set. */
  readonly minConfidence?: string;
  /** PAM_LINK_TTL_SECONDS for the API, when set. */
  readonly linkTtlSeconds?: string;
  /** PAM_COLD_TARGET for Archive, when set (the binary defaults to Intelligent-Tiering). */
  readonly coldTarget?: string;
}

/** The cold targets the Archive binary accepts. */
export const COLD_TARGETS = [
  'intelligent_tiering_archive',
  'intelligent_tiering_deep_archive',
  'glacier',
  'deep_archive',
  'standard',
];

/** Anything with CDK-style context lookup (a construct's node, or a plain map in tests). */
export interface ContextSource {
  tryGetContext(key: string): unknown;
}

const PREFIX = /^[a-z][a-z0-9-]{1,20}$/;
const LOG_DAYS = new Set(Object.values(logs.RetentionDays).filter((v) => typeof v === 'number'));

function str(ctx: ContextSource, key: string): string | undefined {
  const v = ctx.tryGetContext(key);
  if (v === undefined || v === null || v === '') return undefined;
  return String(v);
}

function bool(ctx: ContextSource, key: string, fallback: boolean): boolean {
  const v = str(ctx, key);
  if (v === undefined) return fallback;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new Error(`context ${key}=${v}: expected true or false`);
}

function positiveInt(ctx: ContextSource, key: string, fallback: number): number {
  const v = str(ctx, key);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`context ${key}=${v}: expected a whole number above 0`);
  return n;
}

/** Reads and validates the context. */
export function readConfig(ctx: ContextSource): PamConfig {
  const archName = str(ctx, 'arch') ?? 'arm64';
  let arch: lambda.Architecture;
  if (archName === 'arm64') arch = lambda.Architecture.ARM_64;
  else if (archName === 'x86_64') arch = lambda.Architecture.X86_64;
  else throw new Error(`context arch=${archName}: expected arm64 or x86_64`);

  const prefix = str(ctx, 'prefix') ?? 'pam';
  if (!PREFIX.test(prefix)) {
    throw new Error(`context prefix=${prefix}: expected 2-21 lower-case letters, digits or '-', starting with a letter`);
  }

  const logDays = positiveInt(ctx, 'logDays', 30);
  if (!LOG_DAYS.has(logDays)) {
    throw new Error(`context logDays=${logDays}: CloudWatch Logs accepts only ${[...LOG_DAYS].join(', ')}`);
  }

  const domainPrefix = str(ctx, 'domainPrefix');
  if (domainPrefix !== undefined && !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(domainPrefix)) {
    throw new Error(`context domainPrefix=${domainPrefix}: expected lower-case letters, digits and '-'`);
  }
  if (domainPrefix !== undefined && /aws|amazon|cognito/.test(domainPrefix)) {
    throw new Error(`context domainPrefix=${domainPrefix}: Cognito refuses prefixes containing aws, amazon or cognito`);
  }

  const extraOrigins = (str(ctx, 'extraOrigins') ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
  for (const o of extraOrigins) {
    if (!/^https?:\/\/[^/\s]+$/.test(o)) {
      throw new Error(`context extraOrigins: ${o} is not an origin (scheme://host[:port], no path)`);
    }
  }

  const minConfidence = str(ctx, 'minConfidence');
  if (minConfidence !== undefined) {
    const n = Number(minConfidence);
    if (!(n >= 0 && n <= 100)) throw new Error(`context minConfidence=${minConfidence}: expected 0..100`);
  }
  const linkTtl = str(ctx, 'linkTtlSeconds');
  if (linkTtl !== undefined) {
    const n = Number(linkTtl);
    if (!Number.isInteger(n) || n < 60 || n > 604800) {
      throw new Error(`context linkTtlSeconds=${linkTtl}: expected 60..604800 (7 days, SigV4's limit)`);
    }
  }

  const coldTarget = str(ctx, 'coldTarget');
  if (coldTarget !== undefined && !COLD_TARGETS.includes(coldTarget)) {
    throw new Error(`context coldTarget=${coldTarget}: expected one of ${COLD_TARGETS.join(', ')}`);
  }

  return {
    arch,
    prefix,
    topicPrefix: `${prefix}-download-`,
    retainData: bool(ctx, 'retainData', true),
    logRetention: logDays as logs.RetentionDays,
    domainPrefix,
    extraOrigins,
    bundleDays: positiveInt(ctx, 'bundleDays', 1),
    minConfidence,
    linkTtlSeconds: linkTtl,
    coldTarget,
  };
}

/** A plain map as a context source (tests, scripts). */
export function contextOf(values: Record<string, unknown>): ContextSource {
  return { tryGetContext: (key) => values[key] };
}
