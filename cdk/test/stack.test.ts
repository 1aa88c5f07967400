/**
 * The synthesized template has every resource issue 7 asks for, with the properties
 * that matter: storage rules, one sized Lambda per ASL step (the real binaries when
 * PAM_LAMBDA_DIR is set), substituted state machines and the event rule.
 * security.test.ts covers roles, the API, Cognito and the web app.
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Match } from 'aws-cdk-lib/assertions';
import { FUNCTIONS } from '../lib/functions';
import { placeholders } from '../lib/asl';
import { actionsOf, pamFunctions, REAL_BINARIES, resources, statementsOfRole, synth, text } from './harness';

const arch = REAL_BINARIES ? 'x86_64' : 'arm64';
const { template: t } = synth(REAL_BINARIES ? { arch: 'x86_64' } : {});
const fns = pamFunctions(t);
const STEPS = [
  'read-event', 'detect-labels', 'index-labels', 'archive', 'quarantine',
  'open-channel', 'resolve-manifest', 'start-restores', 'check-restores',
  'build-bundle', 'presign', 'notify', 'close-channel',
];
const APIS = ['api-labels', 'api-uploads', 'api-downloads', 'api-executions'];

function bucketIdByTag(fragment: string): string {
  const ids = Object.keys(resources(t, 'AWS::S3::Bucket')).filter((id) => id.includes(fragment));
  assert.equal(ids.length, 1, `one bucket whose id contains ${fragment}: ${ids}`);
  return ids[0];
}



describe('resource counts', () => {
  test('one of each service resource and one Lambda per step and API binary', () => {
    t.resourceCountIs('AWS::StepFunctions::StateMachine', 2);
    t.resourceCountIs('AWS::DynamoDB::Table', 1);
    t.resourceCountIs('AWS::S3::Bucket', 3); // photos, working, web
    t.resourceCountIs('AWS::Cognito::UserPool', 1);
    t.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
    t.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    t.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    t.resourceCountIs('AWS::ApiGateway::Authorizer', 1);
    t.resourceCountIs('AWS::CloudFront::Distribution', 1);
    t.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    t.resourceCountIs('AWS::Events::Rule', 2);
    t.resourceCountIs('AWS::SecretsManager::Secret', 1);
    t.resourceCountIs('AWS::IAM::User', 1);
    t.resourceCountIs('AWS::IAM::AccessKey', 1);
    t.resourceCountIs('AWS::SQS::Queue', 1);
    t.resourceCountIs('Custom::CDKBucketDeployment', 1);
    assert.deepEqual([...fns.keys()].sort(), [...STEPS, ...APIS].sort());
  });
});

describe('photos bucket', () => {
  const id = bucketIdByTag('StoragePhotos');
  const props = resources(t, 'AWS::S3::Bucket')[id].Properties;

  test('Intelligent-Tiering with both archive tiers, for indexed photos', () => {
    assert.deepEqual(props.IntelligentTieringConfigurations, [
      {
        Id: 'indexed-photos',
        Prefix: 'photos/',
        Status: 'Enabled',
        TagFilters: [{ Key: 'pam:indexed', Value: 'true' }],
        Tierings: [
          { AccessTier: 'ARCHIVE_ACCESS', Days: 90 },
          { AccessTier: 'DEEP_ARCHIVE_ACCESS', Days: 180 },
        ],
      },
    ]);
    const rule = props.LifecycleConfiguration.Rules[0];
    assert.equal(rule.Transitions[0].StorageClass, 'INTELLIGENT_TIERING');
  });

  test('EventBridge notifications on', () => {
    t.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: id },
      NotificationConfiguration: { EventBridgeConfiguration: {} },
    });
  });

  test('public access blocked, encrypted, TLS only', () => {
    for (const b of Object.keys(resources(t, 'AWS::S3::Bucket'))) {
      const p = resources(t, 'AWS::S3::Bucket')[b].Properties;
      assert.deepEqual(p.PublicAccessBlockConfiguration, {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      }, b);
      assert.equal(p.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm, 'AES256', b);
      t.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: b },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  test('CORS: presigned PUT from the front end origin, ETag readable', () => {
    assert.equal(props.CorsConfiguration.CorsRules.length, 1);
    const rule = props.CorsConfiguration.CorsRules[0];
    assert.deepEqual(rule.AllowedMethods, ['PUT']);
    assert.deepEqual(rule.ExposedHeaders, ['ETag']);
    assert.equal(rule.AllowedOrigins.length, 1);
    assert.match(text(rule.AllowedOrigins[0]), /https:\/\/.*WebCdn.*DomainName/);
  });

  test('data kept when the stack is deleted (default)', () => {
    assert.equal(resources(t, 'AWS::S3::Bucket')[id].DeletionPolicy, 'Retain');
    const table = Object.values(resources(t, 'AWS::DynamoDB::Table'))[0];
    assert.equal(table.DeletionPolicy, 'Retain');
  });
});

describe('working bucket', () => {
  test('objects expire after 1 day, incomplete multipart uploads aborted', () => {
    const p = resources(t, 'AWS::S3::Bucket')[bucketIdByTag('StorageWorking')].Properties;
    assert.deepEqual(p.LifecycleConfiguration.Rules, [
      { Id: 'working-objects-expire', Status: 'Enabled', ExpirationInDays: 1, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } },
    ]);
  });
});

describe('DynamoDB', () => {
  test('on demand, point-in-time recovery, pk/sk + gsi1, TTL attribute ttl', () => {
    t.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        Match.objectLike({
          IndexName: 'gsi1',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
        }),
      ],
    });
  });
});

describe('Lambdas', () => {
  test('provided.al2023, bootstrap, the chosen architecture, X-Ray, own log group with retention', () => {
    const groups = resources(t, 'AWS::Logs::LogGroup');
    for (const [name, { props }] of fns) {
      assert.equal(props.Runtime, 'provided.al2023', name);
      assert.equal(props.Handler, 'bootstrap', name);
      assert.deepEqual(props.Architectures, [arch], name);
      assert.deepEqual(props.TracingConfig, { Mode: 'Active' }, name);
      const groupId = props.LoggingConfig.LogGroup.Ref;
      assert.equal(groups[groupId].Properties.RetentionInDays, 30, name);
      assert.equal(groups[groupId].Properties.LogGroupName, `/aws/lambda/pam-${name}`, name);
    }
  });

  test('memory and timeout sized per step', () => {
    for (const spec of FUNCTIONS) {
      const f = fns.get(spec.binary)!;
      assert.equal(f.props.MemorySize, spec.memoryMb, spec.binary);
      assert.equal(f.props.Timeout, spec.timeoutSeconds, spec.binary);
    }
    const bundle = fns.get('build-bundle')!.props;
    assert.equal(bundle.Timeout, 900);
    assert.ok(bundle.MemorySize >= 1024 && bundle.MemorySize <= 2048);
    assert.ok(bundle.EphemeralStorage.Size >= 2048, 'room for the manifest spool');
    assert.equal(fns.get('detect-labels')!.props.Timeout, 30);
    for (const api of APIS) assert.ok(fns.get(api)!.props.Timeout < 29, `${api} answers within API Gateway's 29 s`);
  });

  test('every step Lambda times out before its ASL Task would', () => {
    // A Lambda timeout then surfaces as a task failure the Catch handles (Quarantine,
    // NotifyFailure), not as a Task timeout racing a still-running function.
    let checked = 0;
    for (const m of Object.values(resources(t, 'AWS::StepFunctions::StateMachine'))) {
      const def = JSON.parse(m.Properties.DefinitionString);
      for (const state of Object.values<any>(def.States)) {
        if (state.Type !== 'Task' || state.TimeoutSeconds === undefined) continue;
        const binary = placeholders(JSON.stringify(state))[0].binary;
        assert.ok(fns.get(binary)!.props.Timeout <= state.TimeoutSeconds, binary);
        checked++;
      }
    }
    assert.ok(checked >= 5, `${checked} Task timeouts checked`);
  });

  test('environment: shared names for all, privileged names only where needed', () => {
    for (const [name, { props }] of fns) {
      const env = props.Environment.Variables;
      for (const v of ['PAM_PHOTOS_BUCKET', 'PAM_WORKING_BUCKET', 'PAM_TABLE', 'PAM_TOPIC_PREFIX']) {
        assert.ok(env[v] !== undefined, `${name} has ${v}`);
      }
      assert.equal(env.PAM_TOPIC_PREFIX, 'pam-download-');
      assert.equal(env.PAM_PRESIGN_SECRET_ARN !== undefined, ['presign', 'api-uploads'].includes(name), `${name} secret env`);
      assert.equal(env.PAM_DOWNLOAD_STATE_MACHINE_ARN !== undefined, ['api-downloads', 'api-executions'].includes(name), name);
      assert.equal(env.PAM_LABELLING_STATE_MACHINE_ARN !== undefined, name === 'api-executions', name);
      if (name.startsWith('api-')) assert.match(text(env.PAM_CORS_ORIGIN), /https:\/\/.*WebCdn.*DomainName/, name);
      else assert.equal(env.PAM_CORS_ORIGIN, undefined, name);
    }
  });

  test(REAL_BINARIES ? 'code is the real built binaries (assets)' : 'code location set for every function', () => {
    for (const [name, { props }] of fns) {
      assert.ok(props.Code.S3Key, name);
      if (REAL_BINARIES) assert.match(text(props.Code.S3Key), /^"[0-9a-f]{64}\.zip"$/, name);
    }
  });
});

describe('state machines', () => {
  const machines = Object.values(resources(t, 'AWS::StepFunctions::StateMachine'));

  test('every placeholder substituted with a function of this stack, none unknown', () => {
    const functionIds = new Set([...fns.values()].map((f) => f.id));
    for (const m of machines) {
      const found = placeholders(m.Properties.DefinitionString).map((p) => p.key).sort();
      assert.ok(found.length > 0);
      const subs = m.Properties.DefinitionSubstitutions;
      assert.deepEqual(Object.keys(subs).sort(), found, m.Properties.StateMachineName);
      for (const [key, v] of Object.entries<any>(subs)) {
        assert.ok(functionIds.has(v['Fn::GetAtt'][0]), `${key} -> ${text(v)}`);
        assert.equal(v['Fn::GetAtt'][1], 'Arn');
      }
    }
  });

  test('logging and tracing on, standard type, fixed names', () => {
    assert.deepEqual(machines.map((m) => m.Properties.StateMachineName).sort(), ['pam-download', 'pam-labelling']);
    for (const m of machines) {
      assert.equal(m.Properties.StateMachineType, 'STANDARD');
      assert.deepEqual(m.Properties.TracingConfiguration, { Enabled: true });
      assert.equal(m.Properties.LoggingConfiguration.Level, 'ALL');
      assert.equal(m.Properties.LoggingConfiguration.IncludeExecutionData, false);
    }
  });

  test('each machine may invoke exactly its own steps', () => {
    for (const m of machines) {
      const roleId = m.Properties.RoleArn['Fn::GetAtt'][0];
      const invoked = new Set<string>();
      for (const s of statementsOfRole(t, roleId)) {
        if (!actionsOf(s).includes('lambda:InvokeFunction')) continue;
        for (const r of s.Resource) invoked.add(text(r).match(/"(Functions[A-Za-z0-9]+)"/)![1]);
      }
      const wanted = new Set(Object.values<any>(m.Properties.DefinitionSubstitutions).map((v) => v['Fn::GetAtt'][0]));
      assert.deepEqual([...invoked].sort(), [...wanted].sort(), m.Properties.StateMachineName);
    }
  });
});

describe('EventBridge', () => {
  const rules = Object.values(resources(t, 'AWS::Events::Rule'));
  const rule = rules.find((r) => r.Properties.EventPattern.source[0] === 'aws.s3')!;

  test('S3 Object Created under photos/ of the photos bucket -> labelling, with a dead-letter queue', () => {
    const p = rule.Properties.EventPattern;
    assert.deepEqual(p['detail-type'], ['Object Created']);
    assert.deepEqual(p.detail.bucket.name, [{ Ref: bucketIdByTag('StoragePhotos') }]);
    assert.deepEqual(p.detail.object.key, [{ prefix: 'photos/' }]);
    assert.ok(!p.detail.reason.includes('CopyObject'), "Archive's in-place copy starts no execution");
    const target = rule.Properties.Targets[0];
    assert.match(text(target.Arn), /WorkflowsLabelling/);
    assert.ok(target.DeadLetterConfig.Arn);
  });

  test('any letter case of .jpg/.jpeg reaches the machine (no case-sensitive suffix filter)', () => {
    const keyFilters: any[] = rule.Properties.EventPattern.detail.object.key;
    const matches = (key: string) => keyFilters.some((f) => typeof f.prefix === 'string' && key.startsWith(f.prefix) && Object.keys(f).length === 1);
    for (const k of ['photos/a.jpg', 'photos/B.JPG', 'photos/c.Jpeg', 'photos/2024/d.JPEG']) assert.ok(matches(k), k);
    assert.ok(!matches('uploads/a.jpg'));
  });

  test('labelling executions that time out or are aborted are kept as dead letters', () => {
    const lost = rules.find((r) => r.Properties.EventPattern.source[0] === 'aws.states')!;
    assert.deepEqual(lost.Properties.EventPattern.detail.status, ['TIMED_OUT', 'ABORTED']);
    assert.match(text(lost.Properties.Targets[0].Arn), /DeadLetters/);
  });
});

