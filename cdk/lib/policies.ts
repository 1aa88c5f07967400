/**
 * Turns a function's declared access (functions.ts) into IAM statements scoped to this
 * stack's resources, and into the environment variables that name those resources.
 * Nothing here uses CDK's broad `grant*` helpers: every action is listed by hand.
 */
import { Arn, ArnFormat, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Access, BucketName } from './functions';

/** What the statements point at. */
export interface Resources {
  readonly stack: Stack;
  readonly buckets: Record<BucketName, s3.IBucket>;
  readonly table: dynamodb.ITable;
  readonly topicPrefix: string;
  readonly presignSecret: secretsmanager.ISecret;
  /** State machine names (ARNs are derived, so API roles need not wait for the machines). */
  readonly machineNames: Record<'labelling' | 'download', string>;
}

const TABLE_READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
const TABLE_WRITE = [
  ...TABLE_READ,
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
];

/** The ARN of a state machine of this stack. */
export function machineArn(r: Resources, machine: 'labelling' | 'download'): string {
  return r.stack.formatArn({
    service: 'states',
    resource: 'stateMachine',
    resourceName: r.machineNames[machine],
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/** The ARN pattern of a state machine's executions. */
export function executionArns(r: Resources, machine: 'labelling' | 'download'): string {
  return r.stack.formatArn({
    service: 'states',
    resource: 'execution',
    resourceName: `${r.machineNames[machine]}:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/** The ARN pattern of every per-job topic. */
export function topicArns(r: Resources): string {
  return Arn.format({ service: 'sns', resource: `${r.topicPrefix}*` }, r.stack);
}

/** IAM statements for one access entry. */
export function statements(a: Access, r: Resources): iam.PolicyStatement[] {
  switch (a.kind) {
    case 's3': {
      const bucket = r.buckets[a.bucket];
      return [
        new iam.PolicyStatement({ actions: a.actions, resources: [bucket.arnForObjects(a.prefix)] }),
        // Without ListBucket, S3 answers 403 instead of 404 for a missing key.
        new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }),
      ];
    }
    case 'table':
      return [
        new iam.PolicyStatement({
          actions: a.write ? TABLE_WRITE : TABLE_READ,
          resources: [r.table.tableArn, `${r.table.tableArn}/index/*`],
        }),
      ];
    case 'sns':
      return [new iam.PolicyStatement({ actions: a.actions, resources: [topicArns(r)] })];
    case 'presign-secret':
      return [
        new iam.PolicyStatement({
          actions: ['secretsmanager:GetSecretValue'],
          resources: [r.presignSecret.secretArn],
        }),
      ];
    case 'rekognition':
      return [new iam.PolicyStatement({ actions: ['rekognition:DetectLabels'], resources: ['*'] })];
    case 'states':
      return [
        new iam.PolicyStatement({ actions: a.actions, resources: [machineArn(r, a.machine)] }),
        new iam.PolicyStatement({ actions: a.executionActions, resources: [executionArns(r, a.machine)] }),
      ];
  }
}

/** Environment variables an access entry brings (the resource it names). */
export function environment(a: Access, r: Resources): Record<string, string> {
  switch (a.kind) {
    case 'presign-secret':
      return { PAM_PRESIGN_SECRET_ARN: r.presignSecret.secretArn };
    case 'states':
      return a.machine === 'download'
        ? { PAM_DOWNLOAD_STATE_MACHINE_ARN: machineArn(r, 'download') }
        : { PAM_LABELLING_STATE_MACHINE_ARN: machineArn(r, 'labelling') };
    default:
      return {};
  }
}
