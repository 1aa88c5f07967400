/**
 * One row per Lambda binary: how much memory and time it gets and exactly what it may
 * touch. The table is data so tests can read it next to the synthesized policies, and
 * so sizing is reviewed in one place instead of hiding in construct code.
 *
 * Sizing: Lambda gives CPU in proportion to memory (1 769 MB = one vCPU). Steps that
 * hash or stream whole photos get more; BuildBundle gets the longest timeout Lambda
 * allows, two vCPU-ish of memory and local disk for the manifest spool.
 */

/** Where a function may read or write objects. */
export type BucketName = 'photos' | 'working';

/** One grant, turned into IAM statements (and environment variables) by `policies.ts`. */
export type Access =
  /** Object actions on `prefix` (e.g. `photos/*`) of a bucket, plus s3:ListBucket on the
   *  bucket so a missing object reads as 404, not 403. */
  | { kind: 's3'; bucket: BucketName; prefix: string; actions: string[] }
  /** The one DynamoDB table (and its indexes): read-only or read-write. */
  | { kind: 'table'; write: boolean }
  /** SNS actions on topics named `<topic prefix>*` only. */
  | { kind: 'sns'; actions: string[] }
  /** GetSecretValue on the presign key's secret; sets PAM_PRESIGN_SECRET_ARN. */
  | { kind: 'presign-secret' }
  /** Rekognition DetectLabels (no resource-level scoping exists for it). */
  | { kind: 'rekognition' }
  /** Step Functions actions on one state machine (and its executions); sets its ARN env. */
  | { kind: 'states'; machine: 'labelling' | 'download'; actions: string[]; executionActions: string[] };

/** A Lambda binary's deployment settings. */
export interface FunctionSpec {
  /** cargo-lambda binary name (kebab-case of the ASL step, or `api-…`). */
  readonly binary: string;
  /** Which part of the system calls it. */
  readonly group: 'labelling' | 'download' | 'api';
  /** What it does (the function's description). */
  readonly description: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** /tmp size when above Lambda's 512 MB default. */
  readonly ephemeralMb?: number;
  /** Deployed only when an ASL file refers to it (ReadEvent may stay a Pass state). */
  readonly optional?: boolean;
  /** Routes (API binaries only): `METHOD /path`. */
  readonly routes?: readonly string[];
  readonly access: readonly Access[];
}

const HEAD = 's3:GetObject'; // HeadObject is authorised as GetObject
const TABLE_READ: Access = { kind: 'table', write: false };
const TABLE_WRITE: Access = { kind: 'table', write: true };

/** Every Lambda the app can deploy. */
export const FUNCTIONS: readonly FunctionSpec[] = [
  // Labelling (one execution per uploaded photo).
  {
    binary: 'read-event',
    group: 'labelling',
    description: 'ReadEvent: S3 Object Created event -> photo reference (key URL-decoded)',
    memoryMb: 128,
    timeoutSeconds: 10,
    optional: true,
    access: [{ kind: 's3', bucket: 'photos', prefix: 'photos/*', actions: [HEAD] }],
  },
  {
    binary: 'detect-labels',
    group: 'labelling',
    description: 'DetectLabels: checks the JPEG and asks Rekognition for its labels',
    memoryMb: 512,
    timeoutSeconds: 30,
    access: [
      { kind: 's3', bucket: 'photos', prefix: 'photos/*', actions: [HEAD, 's3:GetObjectTagging'] },
      { kind: 'rekognition' },
    ],
  },
  {
    binary: 'index-labels',
    group: 'labelling',
    description: "IndexLabels: counts a photo's labels once (fingerprint + conditional writes)",
    memoryMb: 512,
    timeoutSeconds: 60,
    access: [
      { kind: 's3', bucket: 'photos', prefix: 'photos/*', actions: [HEAD, 's3:GetObjectTagging'] },
      TABLE_WRITE,
    ],
  },
  {
    binary: 'archive',
    group: 'labelling',
    description: 'Archive: tags the photo indexed and moves it to its cold storage class',
    memoryMb: 256,
    timeoutSeconds: 60,
    access: [
      {
        kind: 's3',
        bucket: 'photos',
        prefix: 'photos/*',
        actions: [HEAD, 's3:PutObject', 's3:GetObjectTagging', 's3:PutObjectTagging'],
      },
    ],
  },
  {
    binary: 'quarantine',
    group: 'labelling',
    description: 'Quarantine: records why a photo failed and tags it; nothing half-counted',
    memoryMb: 256,
    timeoutSeconds: 30,
    access: [
      {
        kind: 's3',
        bucket: 'photos',
        prefix: 'photos/*',
        actions: [HEAD, 's3:GetObjectTagging', 's3:PutObjectTagging'],
      },
      TABLE_WRITE,
    ],
  },
  // Download (one execution per request).
  {
    binary: 'open-channel',
    group: 'download',
    description: "OpenChannel: creates the job's SNS topic and subscribes the sealed address",
    memoryMb: 256,
    timeoutSeconds: 30,
    access: [
      {
        kind: 'sns',
        actions: [
          'sns:CreateTopic',
          'sns:Subscribe',
          'sns:GetTopicAttributes',
          'sns:ListSubscriptionsByTopic',
          'sns:GetSubscriptionAttributes',
        ],
      },
      TABLE_WRITE,
    ],
  },
  {
    binary: 'resolve-manifest',
    group: 'download',
    description: 'ResolveManifest: photos matching the labels -> manifests/<job>.jsonl',
    memoryMb: 1024,
    timeoutSeconds: 300,
    access: [
      { kind: 's3', bucket: 'photos', prefix: 'photos/*', actions: [HEAD] },
      {
        kind: 's3',
        bucket: 'working',
        prefix: 'manifests/*',
        actions: [HEAD, 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      },
      TABLE_WRITE,
    ],
  },
  {
    binary: 'start-restores',
    group: 'download',
    description: 'StartRestores: RestoreObject for archived photos, one page per call',
    memoryMb: 512,
    timeoutSeconds: 300,
    access: [
      { kind: 's3', bucket: 'photos', prefix: 'photos/*', actions: [HEAD, 's3:RestoreObject'] },
      { kind: 's3', bucket: 'working', prefix: 'manifests/*', actions: [HEAD] },
      TABLE_WRITE,
    ],
  },
  {
    binary: 'check-restores',
    group: 'download',
    description: 'CheckRestores: one poll round over the manifest (asks again where a restore lapsed)',
    memoryMb: 512,
    timeoutSeconds: 300,
    access: [
      { kind: 's3', bucket: 'photos', prefix: 'photos/*', actions: [HEAD, 's3:RestoreObject'] },
      { kind: 's3', bucket: 'working', prefix: 'manifests/*', actions: [HEAD] },
      TABLE_WRITE,
    ],
  },
  {
    binary: 'build-bundle',
    group: 'download',
    description: 'BuildBundle: streams the photos into a zip64 multipart upload',
    memoryMb: 2048,
    timeoutSeconds: 900,
    ephemeralMb: 4096,
    access: [
      { kind: 's3', bucket: 'photos', prefix: 'photos/*', actions: [HEAD] },
      { kind: 's3', bucket: 'working', prefix: 'manifests/*', actions: [HEAD] },
      {
        kind: 's3',
        bucket: 'working',
        prefix: 'bundles/*',
        actions: [
          HEAD,
          's3:PutObject',
          's3:AbortMultipartUpload',
          's3:ListMultipartUploadParts',
        ],
      },
      TABLE_WRITE,
    ],
  },
  {
    binary: 'presign',
    group: 'download',
    description: "Presign: a link to the bundle signed with the presign user's long-term key",
    memoryMb: 256,
    timeoutSeconds: 30,
    // Signing is local (no S3 call): the secret and the job record only.
    access: [{ kind: 'presign-secret' }, TABLE_WRITE],
  },
  {
    binary: 'notify',
    group: 'download',
    description: "Notify: publishes the link (or the failure) to the job's topic",
    memoryMb: 256,
    timeoutSeconds: 30,
    access: [
      {
        kind: 'sns',
        actions: [
          'sns:Publish',
          'sns:GetTopicAttributes',
          'sns:ListSubscriptionsByTopic',
          'sns:GetSubscriptionAttributes',
        ],
      },
      TABLE_WRITE,
    ],
  },
  {
    binary: 'close-channel',
    group: 'download',
    description: "CloseChannel: deletes the job's topic and erases its address key",
    memoryMb: 256,
    timeoutSeconds: 60,
    access: [
      {
        kind: 'sns',
        actions: ['sns:DeleteTopic', 'sns:ListSubscriptionsByTopic', 'sns:Unsubscribe'],
      },
      TABLE_WRITE,
    ],
  },
  // API (API Gateway REST proxy, Cognito-authorised).
  {
    binary: 'api-labels',
    group: 'api',
    description: 'GET /labels',
    memoryMb: 256,
    timeoutSeconds: 15,
    routes: ['GET /labels'],
    access: [TABLE_READ],
  },
  {
    binary: 'api-uploads',
    group: 'api',
    description: 'POST /uploads: a presigned PUT under photos/ (signed with the presign key)',
    memoryMb: 256,
    timeoutSeconds: 15,
    routes: ['POST /uploads'],
    // The browser PUTs with the presign user's signature; this role touches no bucket.
    access: [{ kind: 'presign-secret' }],
  },
  {
    binary: 'api-downloads',
    group: 'api',
    description: 'POST /downloads (starts the download execution), GET /downloads/{id}',
    memoryMb: 256,
    timeoutSeconds: 15,
    routes: ['POST /downloads', 'GET /downloads/{id}'],
    access: [
      TABLE_WRITE,
      {
        kind: 'states',
        machine: 'download',
        actions: ['states:StartExecution'],
        executionActions: ['states:DescribeExecution'],
      },
    ],
  },
  {
    binary: 'api-executions',
    group: 'api',
    description: 'GET /executions, GET /executions/{arn}/history (operator view)',
    memoryMb: 256,
    timeoutSeconds: 15,
    routes: ['GET /executions', 'GET /executions/{arn}/history'],
    access: [
      {
        kind: 'states',
        machine: 'labelling',
        actions: ['states:ListExecutions'],
        executionActions: ['states:DescribeExecution', 'states:GetExecutionHistory'],
      },
      {
        kind: 'states',
        machine: 'download',
        actions: ['states:ListExecutions'],
        executionActions: ['states:DescribeExecution', 'states:GetExecutionHistory'],
      },
    ],
  },
];

/** The spec of a binary, or undefined. */
export function specOf(binary: string): FunctionSpec | undefined {
  return FUNCTIONS.find((f) => f.binary === binary);
}
