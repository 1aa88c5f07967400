/**
 * The two state machines, straight from `statemachines/*.asl.json` with every
 * `${<Step>FunctionArn}` substituted, logged and traced; and the EventBridge rule that
 * starts one labelling execution per photo written under `photos/`.
 *
 * Events that cannot start an execution, and labelling executions that end without
 * reaching Quarantine (timed out or aborted), land in one dead-letter queue, so no
 * photo silently stays unlabelled and unquarantined.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { readDefinition, StepPlaceholder, substitutions } from './asl';
import { PamConfig } from './config';
import { Lambdas } from './lambdas';
import { PHOTO_PREFIX } from './storage';

/** Object Created reasons that are new photos (Archive's in-place CopyObject is not). */
export const NEW_OBJECT_REASONS = ['PutObject', 'POST Object', 'CompleteMultipartUpload'];

/** A parsed definition: its file, text and placeholders. */
export interface Definition {
  readonly file: string;
  readonly text: string;
  readonly steps: StepPlaceholder[];
}

/** Reads a definition file once (also used to decide which functions to deploy). */
export function loadDefinition(file: string): Definition {
  return { file, ...readDefinition(file) };
}

export interface WorkflowsProps {
  readonly config: PamConfig;
  readonly labelling: Definition;
  readonly download: Definition;
  readonly lambdas: Lambdas;
  readonly photos: s3.IBucket;
  /** Names fixed up front so IAM can refer to them before the machines exist. */
  readonly names: Record<'labelling' | 'download', string>;
}

export class Workflows extends Construct {
  readonly labelling: sfn.StateMachine;
  readonly download: sfn.StateMachine;
  readonly deadLetters: sqs.Queue;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: WorkflowsProps) {
    super(scope, id);
    this.labelling = this.machine('Labelling', props.names.labelling, props.labelling, props);
    this.download = this.machine('Download', props.names.download, props.download, props);

    this.deadLetters = new sqs.Queue(this, 'DeadLetters', {
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });

    this.rule = new events.Rule(this, 'PhotoCreated', {
      description: 'S3 Object Created under photos/ (any extension, any letter case) -> labelling',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [props.photos.bucketName] },
          // No suffix filter: .jpg/.JPG/.Jpeg… all reach the machine, whose
          // DetectLabels checks the content and quarantines what is not a JPEG.
          object: { key: [{ prefix: PHOTO_PREFIX }] },
          reason: NEW_OBJECT_REASONS,
        },
      },
      targets: [
        new targets.SfnStateMachine(this.labelling, {
          deadLetterQueue: this.deadLetters,
          retryAttempts: 185,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });

    new events.Rule(this, 'LabellingLost', {
      description: 'Labelling executions that ended without reaching Quarantine -> dead letters',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          stateMachineArn: [this.labelling.stateMachineArn],
          status: ['TIMED_OUT', 'ABORTED'],
        },
      },
      targets: [new targets.SqsQueue(this.deadLetters)],
    });
  }

  private machine(id: string, name: string, def: Definition, props: WorkflowsProps): sfn.StateMachine {
    const subs = substitutions(def.steps, (b) => props.lambdas.get(b)?.functionArn, def.file);
    const logGroup = new logs.LogGroup(this, `${id}Logs`, {
      logGroupName: `/aws/vendedlogs/states/${name}`,
      retention: props.config.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const machine = new sfn.StateMachine(this, id, {
      stateMachineName: name,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(def.text),
      definitionSubstitutions: subs,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    for (const step of def.steps) props.lambdas.require(step.binary).grantInvoke(machine);
    return machine;
  }
}
