/**
 * Who may do what: least-privilege roles per function, the presign user, the API's
 * Cognito authorizer on every method, CORS, the user pool and the web app's private
 * bucket. These checks do not depend on the binaries' bytes, so this file synthesizes
 * with an S3 code location and leaves hashing the real binaries to stack.test.ts.
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Match } from 'aws-cdk-lib/assertions';
import { actionsOf, pamFunctions, REAL_BINARIES, resources, roleIdOf, statementsOfRole, synth, text } from './harness';

const { template: t } = synth(REAL_BINARIES ? { arch: 'x86_64' } : {}, { realCode: false });
const fns = pamFunctions(t);

function roleStatements(binary: string): any[] {
  const f = fns.get(binary);
  assert.ok(f, `function ${binary} exists`);
  return statementsOfRole(t, roleIdOf(f.props));
}

function rolesWithAction(action: string): string[] {
  return [...fns.keys()].filter((b) => roleStatements(b).some((s) => actionsOf(s).includes(action))).sort();
}

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
