/**
 * The whole of PAM on AWS in one stack. Which step functions exist is decided by the
 * ASL files (every `${<Step>FunctionArn}` needs its binary); the API binaries are
 * always deployed. See docs/deploy.md for how to build, deploy and tear it down.
 */
import { CfnOutput, Stack, StackProps, Tags } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { Api } from './api';
import { Auth } from './auth';
import { PamConfig } from './config';
import { FUNCTIONS, FunctionSpec, specOf } from './functions';
import { CodeSource } from './lambda-code';
import { Lambdas } from './lambdas';
import { aslFile } from './paths';
import { PresignKey } from './presign';
import { Storage } from './storage';
import { Web } from './web';
import { Definition, loadDefinition, Workflows } from './workflows';

export interface PamStackProps extends StackProps {
  readonly config: PamConfig;
  readonly code: CodeSource;
  /** The React build folder (`frontend/dist`). */
  readonly frontendDir: string;
  /** Definitions (defaults: the repository's statemachines/). */
  readonly labelling?: Definition;
  readonly download?: Definition;
}

/** The functions a pair of definitions needs: every step they name, plus the API. */
export function requiredFunctions(defs: readonly Definition[]): FunctionSpec[] {
  const named = new Set(defs.flatMap((d) => d.steps.map((s) => s.binary)));
  const unknown = defs.flatMap((d) =>
    d.steps.filter((s) => !specOf(s.binary)).map((s) => `\${${s.key}} in ${d.file}`),
  );
  if (unknown.length > 0) {
    throw new Error(
      `no function spec (cdk/lib/functions.ts) for ${unknown.join(', ')}: add its memory, timeout and access`,
    );
  }
  const unused = FUNCTIONS.filter((f) => f.group !== 'api' && !f.optional && !named.has(f.binary));
  if (unused.length > 0) {
    throw new Error(
      `step functions ${unused.map((f) => f.binary).join(', ')} are not referenced by any state machine: ` +
        'an ASL step was renamed or removed; update cdk/lib/functions.ts',
    );
  }
  return FUNCTIONS.filter((f) => f.group === 'api' || named.has(f.binary));
}

export class PamStack extends Stack {
  constructor(scope: Construct, id: string, props: PamStackProps) {
    super(scope, id, props);
    const { config } = props;
    Tags.of(this).add('app', 'pam');
    const labelling = props.labelling ?? loadDefinition(aslFile('labelling'));
    const download = props.download ?? loadDefinition(aslFile('download'));
    const specs = requiredFunctions([labelling, download]);

    const storage = new Storage(this, 'Storage', { config });
    const web = new Web(this, 'Web');
    const origins = [web.origin, ...config.extraOrigins];
    storage.photos.addCorsRule({
      allowedOrigins: origins,
      allowedMethods: [s3.HttpMethods.PUT],
      allowedHeaders: ['*'],
      exposedHeaders: ['ETag'],
      maxAge: 3600,
    });
    const presign = new PresignKey(this, 'Presign', { photos: storage.photos, working: storage.working });

    const names = { labelling: `${config.prefix}-labelling`, download: `${config.prefix}-download` };
    const lambdas = new Lambdas(this, 'Functions', {
      config,
      specs,
      code: props.code,
      resources: {
        stack: this,
        buckets: { photos: storage.photos, working: storage.working },
        table: storage.table,
        topicPrefix: config.topicPrefix,
        presignSecret: presign.secret,
        machineNames: names,
      },
      groupEnv: { api: { PAM_CORS_ORIGIN: web.origin } },
    });

    const workflows = new Workflows(this, 'Workflows', {
      config,
      labelling,
      download,
      lambdas,
      photos: storage.photos,
      names,
    });

    const auth = new Auth(this, 'Auth', {
      config,
      appUrl: web.appUrl,
      extraUrls: config.extraOrigins.map((o) => `${o}/`),
    });
    const api = new Api(this, 'Api', {
      config,
      userPool: auth.userPool,
      lambdas,
      apiSpecs: specs.filter((s) => s.group === 'api'),
      origins,
    });
    // No trailing '/': the app appends paths such as /labels.
    const apiBase = `https://${api.restApi.restApiId}.execute-api.${this.region}.${this.urlSuffix}/${api.restApi.deploymentStage.stageName}`;
    web.deploy(props.frontendDir, {
      apiBase,
      auth: {
        mode: 'cognito',
        domain: auth.hostedUiUrl,
        clientId: auth.client.userPoolClientId,
        redirectUri: web.appUrl,
        flow: 'code',
      },
    });

    new CfnOutput(this, 'UiUrl', { value: web.appUrl, description: 'The web app' });
    new CfnOutput(this, 'ApiUrl', { value: api.restApi.url, description: 'REST API base URL' });
    new CfnOutput(this, 'UserPoolId', { value: auth.userPool.userPoolId, description: 'Cognito user pool' });
    new CfnOutput(this, 'UserPoolClientId', { value: auth.client.userPoolClientId });
    new CfnOutput(this, 'HostedUiUrl', { value: auth.hostedUiUrl });
    new CfnOutput(this, 'PhotosBucket', { value: storage.photos.bucketName });
    new CfnOutput(this, 'DeadLetterQueue', { value: workflows.deadLetters.queueUrl });
  }
}
