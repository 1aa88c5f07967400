/**
 * Builds the stack once per test process, the way the app does, and hands out the
 * template. Lambda code: the real cargo-lambda-shaped folder when PAM_LAMBDA_DIR is set
 * (CI, after scripts/ci/cdk.sh assembled the built binaries), else an S3 location, so
 * the template's shape is checked on any machine without pretending to have binaries.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { contextOf, readConfig } from '../lib/config';
import { assetCode, CodeSource } from '../lib/lambda-code';
import { PamStack } from '../lib/pam-stack';
import { defaultFrontendDir } from '../lib/paths';

/** Whether the real binaries are used (CI) or an S3 code location. */
export const REAL_BINARIES = Boolean(process.env.PAM_LAMBDA_DIR);

function s3Code(): CodeSource {
  return {
    describe: 's3://pam-test-artifacts',
    missing: () => [],
    code: (scope, binary) => {
      const stack = Stack.of(scope);
      const bucket =
        (stack.node.tryFindChild('TestArtifacts') as s3.IBucket | undefined) ??
        s3.Bucket.fromBucketName(stack, 'TestArtifacts', 'pam-test-artifacts');
      return lambda.Code.fromBucket(bucket, `${binary}.zip`);
    },
  };
}

function frontend(): string {
  const dir = process.env.PAM_FRONTEND_DIR || defaultFrontendDir();
  if (fs.existsSync(path.join(dir, 'index.html'))) return dir;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pam-web-'));
  fs.writeFileSync(path.join(tmp, 'index.html'), '<!doctype html><title>PAM</title>');
  return tmp;
}

/**
 * Synthesizes a stack with the given context (asset staging off: no copies of binaries).
 * `realCode: false` skips hashing the binaries where a test only checks other settings.
 */
export function synth(
  context: Record<string, unknown> = {},
  opts: { realCode?: boolean } = {},
): { template: Template; stack: PamStack } {
  const app = new App({ context: { 'aws:cdk:disable-asset-staging': true, ...context } });
  const real = REAL_BINARIES && (opts.realCode ?? true);
  const code = real ? assetCode(process.env.PAM_LAMBDA_DIR as string) : s3Code();
  const stack = new PamStack(app, 'Pam', {
    config: readConfig(contextOf(context)),
    code,
    frontendDir: frontend(),
  });
  return { template: Template.fromStack(stack), stack };
}

/** Resources of a type, by logical id. */
export function resources(t: Template, type: string): Record<string, any> {
  return t.findResources(type);
}

/** Our Lambda functions (not CDK's custom-resource handlers), by function name. */
export function pamFunctions(t: Template, prefix = 'pam'): Map<string, { id: string; props: any }> {
  const out = new Map<string, { id: string; props: any }>();
  for (const [id, r] of Object.entries(resources(t, 'AWS::Lambda::Function'))) {
    const name = r.Properties.FunctionName;
    if (typeof name === 'string' && name.startsWith(`${prefix}-`)) {
      out.set(name.slice(prefix.length + 1), { id, props: r.Properties });
    }
  }
  return out;
}

/** Every statement of every AWS::IAM::Policy attached to a role (by role logical id). */
export function statementsOfRole(t: Template, roleId: string): any[] {
  const out: any[] = [];
  for (const p of Object.values(resources(t, 'AWS::IAM::Policy'))) {
    const roles: any[] = p.Properties.Roles ?? [];
    if (roles.some((r) => r.Ref === roleId)) out.push(...p.Properties.PolicyDocument.Statement);
  }
  return out;
}

/** A statement's actions as an array. */
export function actionsOf(s: any): string[] {
  return Array.isArray(s.Action) ? s.Action : [s.Action];
}

/** The role logical id of a function's properties. */
export function roleIdOf(props: any): string {
  return props.Role['Fn::GetAtt'][0];
}

/** JSON text of a value (for "mentions X" checks on CloudFormation intrinsics). */
export function text(v: unknown): string {
  return JSON.stringify(v);
}
