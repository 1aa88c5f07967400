/**
 * Creates one Lambda per binary from the spec table: provided.al2023, the chosen
 * architecture, its own log group with retention, X-Ray tracing, the shared
 * environment plus what its grants name, and a role holding only its own statements.
 */
import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { PamConfig } from './config';
import { FunctionSpec } from './functions';
import { CodeSource } from './lambda-code';
import { environment, Resources, statements } from './policies';

export interface LambdasProps {
  readonly config: PamConfig;
  readonly specs: readonly FunctionSpec[];
  readonly code: CodeSource;
  readonly resources: Resources;
  /** Extra environment per group (e.g. the allowed browser origin for the API). */
  readonly groupEnv?: Partial<Record<FunctionSpec['group'], Record<string, string>>>;
}

export class Lambdas extends Construct {
  private readonly byBinary = new Map<string, lambda.Function>();

  constructor(scope: Construct, id: string, props: LambdasProps) {
    super(scope, id);
    const { config, resources: r } = props;
    const missing = props.code.missing(props.specs.map((s) => s.binary));
    if (missing.length > 0) {
      throw new Error(
        `missing Lambda binaries in ${props.code.describe}: ${missing.join(', ')} ` +
          `(expected <dir>/<name>/bootstrap; build them with \`cargo lambda build --release ` +
          `${config.arch === lambda.Architecture.X86_64 ? '--x86-64' : '--arm64'}\`, ` +
          'or run scripts/ci/cdk.sh to assemble debug builds)',
      );
    }
    const shared: Record<string, string> = {
      PAM_PHOTOS_BUCKET: r.buckets.photos.bucketName,
      PAM_WORKING_BUCKET: r.buckets.working.bucketName,
      PAM_TABLE: r.table.tableName,
      PAM_TOPIC_PREFIX: r.topicPrefix,
      RUST_LOG: 'info',
    };
    for (const spec of props.specs) {
      const id = spec.binary;
      const logGroup = new logs.LogGroup(this, `${id}-logs`, {
        logGroupName: `/aws/lambda/${config.prefix}-${spec.binary}`,
        retention: config.logRetention,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      const role = new iam.Role(this, `${id}-role`, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `PAM ${spec.binary}: only what this step needs`,
      });
      // Logs go to the function's own group only (no AWSLambdaBasicExecutionRole '*').
      role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [`${logGroup.logGroupArn}`],
        }),
      );
      const env: Record<string, string> = { ...shared, ...(props.groupEnv?.[spec.group] ?? {}) };
      for (const a of spec.access) {
        for (const s of statements(a, r)) role.addToPolicy(s);
        Object.assign(env, environment(a, r));
      }
      if (spec.binary === 'detect-labels' && config.minConfidence !== undefined) {
        env.PAM_MIN_CONFIDENCE = config.minConfidence;
      }
      if (spec.binary === 'archive' && config.coldTarget !== undefined) {
        env.PAM_COLD_TARGET = config.coldTarget;
      }
      if (spec.group === 'api' && config.linkTtlSeconds !== undefined) {
        env.PAM_LINK_TTL_SECONDS = config.linkTtlSeconds;
      }
      const fn = new lambda.Function(this, id, {
        functionName: `${config.prefix}-${spec.binary}`,
        description: spec.description,
        runtime: lambda.Runtime.PROVIDED_AL2023,
        architecture: config.arch,
        handler: 'bootstrap',
        code: props.code.code(this, spec.binary),
        memorySize: spec.memoryMb,
        timeout: Duration.seconds(spec.timeoutSeconds),
        ephemeralStorageSize: spec.ephemeralMb ? Size.mebibytes(spec.ephemeralMb) : undefined,
        role,
        logGroup,
        tracing: lambda.Tracing.ACTIVE,
        environment: env,
      });
      this.byBinary.set(spec.binary, fn);
    }
  }

  /** The function of a binary, if deployed. */
  get(binary: string): lambda.Function | undefined {
    return this.byBinary.get(binary);
  }

  /** The function of a binary; throws naming it when absent. */
  require(binary: string): lambda.Function {
    const fn = this.byBinary.get(binary);
    if (!fn) throw new Error(`no Lambda function for binary ${binary}`);
    return fn;
  }

  all(): lambda.Function[] {
    return [...this.byBinary.values()];
  }
}
