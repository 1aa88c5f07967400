/**
 * The REST API: API Gateway routes each path of the DESIGN's API to its Lambda (proxy
 * integration), every method behind the Cognito authorizer except CORS preflight, and
 * gateway errors (401, throttling…) in the API's own `{"error":{"code","message"}}`
 * shape with CORS headers so the browser can read them.
 */
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as logs from 'aws-cdk-lib/aws-logs';
import { RemovalPolicy } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PamConfig } from './config';
import { FunctionSpec } from './functions';
import { Lambdas } from './lambdas';

export interface ApiProps {
  readonly config: PamConfig;
  readonly userPool: cognito.IUserPool;
  readonly lambdas: Lambdas;
  readonly apiSpecs: readonly FunctionSpec[];
  /** Browser origins allowed to call the API (the CloudFront origin first). */
  readonly origins: readonly string[];
}

/** `METHOD /a/{b}` → [method, ['a', '{b}']]. */
export function parseRoute(route: string): [string, string[]] {
  const m = /^(GET|POST|PUT|DELETE|PATCH) (\/[A-Za-z0-9_{}/-]*)$/.exec(route);
  if (!m) throw new Error(`route ${route}: expected "METHOD /path"`);
  return [m[1], m[2].split('/').filter((p) => p !== '')];
}

export class Api extends Construct {
  readonly restApi: apigw.RestApi;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.config.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.restApi = new apigw.RestApi(this, 'Rest', {
      restApiName: `${props.config.prefix}-api`,
      description: 'PAM REST API (same paths as pam serve)',
      cloudWatchRole: true,
      endpointTypes: [apigw.EndpointType.REGIONAL],
      deployOptions: {
        stageName: 'prod',
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false, // bodies carry addresses: never log them
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields({
          caller: false,
          httpMethod: true,
          ip: false,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: false,
        }),
        throttlingBurstLimit: 100,
        throttlingRateLimit: 50,
      },
      defaultCorsPreflightOptions: {
        allowOrigins: [...props.origins],
        allowMethods: ['GET', 'POST', 'OPTIONS'],
        allowHeaders: ['Authorization', 'Content-Type'],
        maxAge: undefined,
      },
    });

    const authorizer = new apigw.CognitoUserPoolsAuthorizer(this, 'Authorizer', {
      cognitoUserPools: [props.userPool],
      identitySource: apigw.IdentitySource.header('Authorization'),
    });

    for (const spec of props.apiSpecs) {
      const integration = new apigw.LambdaIntegration(props.lambdas.require(spec.binary), {
        proxy: true,
        allowTestInvoke: false,
      });
      for (const route of spec.routes ?? []) {
        const [method, parts] = parseRoute(route);
        let resource: apigw.IResource = this.restApi.root;
        for (const p of parts) resource = resource.getResource(p) ?? resource.addResource(p);
        resource.addMethod(method, integration, {
          authorizer,
          authorizationType: apigw.AuthorizationType.COGNITO,
        });
      }
    }

    // Gateway-made errors carry CORS headers and the API's error shape.
    const origin = props.origins[0];
    const headers = {
      'Access-Control-Allow-Origin': `'${origin}'`,
      Vary: "'Origin'",
    };
    const body = (code: string) => ({
      'application/json': `{"error":{"code":"${code}","message":$context.error.messageString}}`,
    });
    this.restApi.addGatewayResponse('Unauthorized', {
      type: apigw.ResponseType.UNAUTHORIZED,
      responseHeaders: headers,
      templates: body('unauthorized'),
    });
    this.restApi.addGatewayResponse('AccessDenied', {
      type: apigw.ResponseType.ACCESS_DENIED,
      responseHeaders: headers,
      templates: body('forbidden'),
    });
    this.restApi.addGatewayResponse('Default4xx', {
      type: apigw.ResponseType.DEFAULT_4XX,
      responseHeaders: headers,
      templates: body('bad_request'),
    });
    this.restApi.addGatewayResponse('Default5xx', {
      type: apigw.ResponseType.DEFAULT_5XX,
      responseHeaders: headers,
      templates: body('internal'),
    });
  }
}
