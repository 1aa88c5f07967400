/**
 * The synthesized template has every resource issue 7 asks for, with the properties
 * that matter: storage rules, one sized Lambda per ASL step, least-privilege roles,
 * substituted state machines, the event rule, the authorised API, Cognito, CloudFront.
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Match } from 'aws-cdk-lib/assertions';
import { FUNCTIONS } from '../lib/functions';
import { placeholders } from '../lib/asl';
import { actionsOf, pamFunctions, REAL_BINARIES, resources, roleIdOf, statementsOfRole, synth, text } from './harness';

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

function roleStatements(binary: string): any[] {
  const f = fns.get(binary);
  assert.ok(f, `function ${binary} exists`);
  return statementsOfRole(t, roleIdOf(f.props));
}

function rolesWithAction(action: string): string[] {
  return [...fns.keys()].filter((b) => roleStatements(b).some((s) => actionsOf(s).includes(action))).sort();
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

describe('IAM: least privilege per function', () => {
  test('no wildcard actions; "*" resources only for X-Ray and Rekognition', () => {
    for (const name of fns.keys()) {
      for (const s of roleStatements(name)) {
        for (const a of actionsOf(s)) assert.ok(!a.endsWith(':*') && a !== '*', `${name}: ${a}`);
        const res = Array.isArray(s.Resource) ? s.Resource : [s.Resource];
        if (res.includes('*')) {
          assert.ok(
            actionsOf(s).every((a) => a.startsWith('xray:') || a === 'rekognition:DetectLabels'),
            `${name}: ${actionsOf(s)} on *`,
          );
        }
      }
    }
  });

  test('SNS topic create/delete/subscribe/publish scoped to the app prefix, each in its own step', () => {
    for (const name of fns.keys()) {
      for (const s of roleStatements(name).filter((s) => actionsOf(s).some((a) => a.startsWith('sns:')))) {
        assert.match(text(s.Resource), /:pam-download-\*"\]\]\}$/, name);
      }
    }
    assert.deepEqual(rolesWithAction('sns:CreateTopic'), ['open-channel']);
    assert.deepEqual(rolesWithAction('sns:Subscribe'), ['open-channel']);
    assert.deepEqual(rolesWithAction('sns:Publish'), ['notify']);
    assert.deepEqual(rolesWithAction('sns:DeleteTopic'), ['close-channel']);
  });

  test('presign secret readable only by presign and api-uploads', () => {
    assert.deepEqual(rolesWithAction('secretsmanager:GetSecretValue'), ['api-uploads', 'presign']);
    for (const b of ['api-uploads', 'presign']) {
      const s = roleStatements(b).find((s) => actionsOf(s).includes('secretsmanager:GetSecretValue'));
      assert.match(text(s.Resource), /PresignSecret/);
    }
  });

  test('StartExecution only for api-downloads, on the download machine only', () => {
    assert.deepEqual(rolesWithAction('states:StartExecution'), ['api-downloads']);
    const s = roleStatements('api-downloads').find((s) => actionsOf(s).includes('states:StartExecution'));
    assert.match(text(s.Resource), /:stateMachine:pam-download"/);
  });

  test('writes to the photos bucket only where a step must', () => {
    assert.deepEqual(rolesWithAction('s3:PutObject').filter((b) => roleStatements(b)
      .some((s) => actionsOf(s).includes('s3:PutObject') && /StoragePhotos/.test(text(s.Resource)))), ['archive']);
    assert.deepEqual(rolesWithAction('s3:RestoreObject'), ['check-restores', 'start-restores']);
    assert.deepEqual(rolesWithAction('s3:DeleteObject'), []);
    assert.deepEqual(rolesWithAction('s3:ListBucket').filter((b) => b.startsWith('api-') || b === 'presign'), []);
    assert.deepEqual(rolesWithAction('rekognition:DetectLabels'), ['detect-labels']);
    assert.deepEqual(rolesWithAction('dynamodb:PutItem').filter((b) => b.startsWith('api-')), ['api-downloads']);
    assert.deepEqual(rolesWithAction('dynamodb:Query').filter((b) => !roleStatements(b).some((s) => actionsOf(s).includes('dynamodb:PutItem'))), ['api-labels']);
    for (const name of fns.keys()) {
      for (const s of roleStatements(name).filter((s) => actionsOf(s).some((a) => a.startsWith('s3:') && a !== 's3:ListBucket'))) {
        assert.match(text(s.Resource), /\/(photos|manifests|bundles)\/\*"/, `${name}: object actions are prefix-scoped`);
      }
    }
  });

  test('the presign user can only GET bundles and PUT photos, and has no console login', () => {
    t.resourceCountIs('AWS::IAM::User', 1);
    const user = Object.values(resources(t, 'AWS::IAM::User'))[0];
    assert.equal(user.Properties?.LoginProfile, undefined);
    const policy = Object.values(resources(t, 'AWS::IAM::Policy')).find((p) => (p.Properties.Users ?? []).length > 0)!;
    const st = policy.Properties.PolicyDocument.Statement;
    assert.deepEqual(st.map((s: any) => [s.Action, /bundles\/\*|photos\/\*/.exec(text(s.Resource))?.[0]]), [
      ['s3:GetObject', 'bundles/*'],
      ['s3:PutObject', 'photos/*'],
    ]);
    t.hasResourceProperties('AWS::SecretsManager::Secret', {
      SecretString: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
    });
    assert.match(text(Object.values(resources(t, 'AWS::SecretsManager::Secret'))[0].Properties.SecretString), /AccessKeyId.*SecretAccessKey/);
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

describe('API Gateway', () => {
  const methods = Object.values(resources(t, 'AWS::ApiGateway::Method'));
  const apiResources = resources(t, 'AWS::ApiGateway::Resource');
  /** `/a/{b}` of a method, from its resource's parent chain. */
  const pathOf = (m: any): string => {
    const parts: string[] = [];
    let ref = m.Properties.ResourceId.Ref as string | undefined;
    while (ref) {
      const r = apiResources[ref].Properties;
      parts.unshift(r.PathPart);
      ref = r.ParentId.Ref;
    }
    return `/${parts.join('/')}`;
  };

  test('the Cognito authorizer on every method except CORS preflight', () => {
    const authorizer = Object.keys(resources(t, 'AWS::ApiGateway::Authorizer'))[0];
    t.hasResourceProperties('AWS::ApiGateway::Authorizer', { Type: 'COGNITO_USER_POOLS' });
    for (const m of methods) {
      if (m.Properties.HttpMethod === 'OPTIONS') {
        assert.equal(m.Properties.AuthorizationType, 'NONE');
      } else {
        assert.equal(m.Properties.AuthorizationType, 'COGNITO_USER_POOLS', pathOf(m));
        assert.deepEqual(m.Properties.AuthorizerId, { Ref: authorizer });
      }
    }
  });

  test('routes: the DESIGN API, each to its Lambda by proxy integration', () => {
    const routes = methods
      .filter((m) => m.Properties.HttpMethod !== 'OPTIONS')
      .map((m) => {
        const path = pathOf(m);
        assert.equal(m.Properties.Integration.Type, 'AWS_PROXY');
        const fn = text(m.Properties.Integration.Uri).match(/"(Functionsapi[a-z]+[A-Za-z0-9]*)"/)![1];
        return `${m.Properties.HttpMethod} ${path} ${fn.replace(/^Functions(api[a-z]+).*$/, '$1')}`;
      })
      .sort();
    assert.deepEqual(routes, [
      'GET /downloads/{id} apidownloads',
      'GET /executions apiexecutions',
      'GET /executions/{arn}/history apiexecutions',
      'GET /labels apilabels',
      'POST /downloads apidownloads',
      'POST /uploads apiuploads',
    ]);
  });

  test('CORS: preflight and gateway errors allow the front end origin', () => {
    for (const m of methods.filter((m) => m.Properties.HttpMethod === 'OPTIONS')) {
      const origin = m.Properties.Integration.IntegrationResponses[0].ResponseParameters['method.response.header.Access-Control-Allow-Origin'];
      assert.match(text(origin), /WebCdn.*DomainName/);
    }
    const responses = Object.values(resources(t, 'AWS::ApiGateway::GatewayResponse'));
    assert.deepEqual(responses.map((r) => r.Properties.ResponseType).sort(), ['ACCESS_DENIED', 'DEFAULT_4XX', 'DEFAULT_5XX', 'UNAUTHORIZED']);
    for (const r of responses) {
      assert.match(text(r.Properties.ResponseParameters['gatewayresponse.header.Access-Control-Allow-Origin']), /WebCdn/);
      assert.match(r.Properties.ResponseTemplates['application/json'], /^\{"error":\{"code":"[a-z_]+","message":\$context\.error\.messageString\}\}$/);
    }
  });

  test('stage traced, access-logged, no request/response bodies in logs', () => {
    t.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      TracingEnabled: true,
      AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
      MethodSettings: [Match.objectLike({ DataTraceEnabled: false })],
    });
  });
});

describe('Cognito', () => {
  test('no self sign-up, strong password policy', () => {
    t.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Policies: {
        PasswordPolicy: {
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
          TemporaryPasswordValidityDays: 3,
        },
      },
    });
  });

  test('hosted UI domain and a public code-flow client calling back to the app', () => {
    t.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: Match.anyValue() });
    const client = Object.values(resources(t, 'AWS::Cognito::UserPoolClient'))[0].Properties;
    assert.equal(client.GenerateSecret, false);
    assert.deepEqual(client.AllowedOAuthFlows, ['code']);
    assert.deepEqual(client.AllowedOAuthScopes, ['openid', 'email', 'phone', 'profile']);
    assert.match(text(client.CallbackURLs), /https:\/\/.*WebCdn.*DomainName.*\//);
    assert.deepEqual(client.CallbackURLs, client.LogoutURLs);
  });
});

describe('web app', () => {
  test('private bucket read by CloudFront through origin access control, HTTPS only', () => {
    const dist = Object.values(resources(t, 'AWS::CloudFront::Distribution'))[0].Properties.DistributionConfig;
    assert.equal(dist.DefaultRootObject, 'index.html');
    assert.equal(dist.DefaultCacheBehavior.ViewerProtocolPolicy, 'redirect-to-https');
    assert.ok(dist.Origins[0].OriginAccessControlId);
    assert.match(text(dist.Origins[0].DomainName), /WebSite/);
  });

  test('runtime config generated at deploy time: API URL, Cognito domain and client', () => {
    const dep = Object.values(resources(t, 'Custom::CDKBucketDeployment'))[0].Properties;
    const markers = text(dep.SourceMarkers);
    for (const needle of ['ApiRest', 'AuthUsersHostedUi', 'AuthUsersWeb', 'WebCdn']) assert.match(markers, new RegExp(needle));
    assert.deepEqual(dep.DistributionPaths, ['/index.html', '/config.json']);
  });

  test('outputs: UI URL, API URL, user pool id', () => {
    const outputs = t.toJSON().Outputs;
    for (const o of ['UiUrl', 'ApiUrl', 'UserPoolId']) assert.ok(outputs[o], o);
  });
});
