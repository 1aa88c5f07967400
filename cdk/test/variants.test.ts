/**
 * Context switches and refusals: arm64 by default and x86_64 on request, data kept or
 * destroyed on teardown, bad context named, and a synth with missing Lambda binaries
 * refused naming every missing one.
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { contextOf, readConfig } from '../lib/config';
import { assetCode, bootstrapPath } from '../lib/lambda-code';
import { PamStack } from '../lib/pam-stack';
import { pamFunctions, resources, synth } from './harness';

describe('context', () => {
  test('bad values are refused by name', () => {
    assert.throws(() => readConfig(contextOf({ arch: 'aarch64' })), /context arch=aarch64: expected arm64 or x86_64/);
    assert.throws(() => readConfig(contextOf({ prefix: 'PAM!' })), /context prefix=PAM!/);
    assert.throws(() => readConfig(contextOf({ logDays: '31' })), /context logDays=31/);
    assert.throws(() => readConfig(contextOf({ domainPrefix: 'my-aws-pam' })), /refuses prefixes containing aws/);
    assert.throws(() => readConfig(contextOf({ extraOrigins: 'http://localhost:5173/app' })), /not an origin/);
    assert.throws(() => readConfig(contextOf({ linkTtlSeconds: '700000' })), /7 days/);
    assert.throws(() => readConfig(contextOf({ retainData: 'yes' })), /expected true or false/);
    assert.throws(() => readConfig(contextOf({ coldTarget: 'GLACIER' })), /context coldTarget=GLACIER: expected one of/);
  });

  test('defaults: arm64, prefix pam, data retained', () => {
    const c = readConfig(contextOf({}));
    assert.equal(c.arch.name, 'arm64');
    assert.equal(c.topicPrefix, 'pam-download-');
    assert.equal(c.retainData, true);
  });
});

describe('stack variants', () => {
  test('x86_64 on request, data destroyed with retainData=false, names follow the prefix', () => {
    const { template: t } = synth({ arch: 'x86_64', retainData: 'false', prefix: 'pamtest', coldTarget: 'glacier', minConfidence: '70' }, { realCode: false });
    const fns = pamFunctions(t, 'pamtest');
    assert.ok(fns.size >= 16);
    for (const [name, f] of fns) assert.deepEqual(f.props.Architectures, ['x86_64'], name);
    for (const [name, f] of fns) assert.equal(f.props.Environment.Variables.PAM_TOPIC_PREFIX, 'pamtest-download-', name);
    assert.equal(fns.get('archive')!.props.Environment.Variables.PAM_COLD_TARGET, 'glacier');
    assert.equal(fns.get('detect-labels')!.props.Environment.Variables.PAM_MIN_CONFIDENCE, '70');
    assert.equal(fns.get('index-labels')!.props.Environment.Variables.PAM_COLD_TARGET, undefined);
    for (const type of ['AWS::DynamoDB::Table', 'AWS::S3::Bucket', 'AWS::Cognito::UserPool']) {
      for (const [id, r] of Object.entries(resources(t, type))) assert.equal(r.DeletionPolicy, 'Delete', id);
    }
  });
});

describe('Lambda binaries', () => {
  test('missing ones are named, present ones are not', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pam-lambda-'));
    fs.mkdirSync(path.join(dir, 'notify'));
    fs.writeFileSync(bootstrapPath(dir, 'notify'), 'binary');
    fs.mkdirSync(path.join(dir, 'presign', 'bootstrap'), { recursive: true }); // a folder is not a binary
    assert.deepEqual(assetCode(dir).missing(['notify', 'presign', 'archive']), ['presign', 'archive']);
  });

  test('a synth without them fails naming every missing binary and how to build them', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pam-lambda-'));
    const app = new App();
    assert.throws(
      () => new PamStack(app, 'Pam', { config: readConfig(contextOf({ arch: 'x86_64' })), code: assetCode(dir), frontendDir: dir }),
      (e: Error) =>
        /missing Lambda binaries in .*: read-event, detect-labels, .*close-channel, api-labels, api-uploads, api-downloads, api-executions/.test(e.message) &&
        /cargo lambda build --release --x86-64/.test(e.message),
    );
  });
});
