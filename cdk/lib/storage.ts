/**
 * Where PAM keeps things: the photos bucket (years, at archive prices), the working
 * bucket (manifests and bundles, gone after a day) and the one DynamoDB table that the
 * label index, the jobs and the per-job address keys share.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { PamConfig } from './config';

/** The key prefix the labelling rule listens on (pam-core's PHOTO_PREFIX). */
export const PHOTO_PREFIX = 'photos/';

export interface StorageProps {
  readonly config: PamConfig;
}

export class Storage extends Construct {
  readonly photos: s3.Bucket;
  readonly working: s3.Bucket;
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);
    const { config } = props;
    const keep = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.photos = new s3.Bucket(this, 'Photos', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      eventBridgeEnabled: true,
      // Only photos that were labelled (Archive tags them) go to the archive tiers;
      // Intelligent-Tiering's minimums are 90 and 180 days without access.
      intelligentTieringConfigurations: [
        {
          name: 'indexed-photos',
          prefix: PHOTO_PREFIX,
          tags: [{ key: 'pam:indexed', value: 'true' }],
          archiveAccessTierTime: Duration.days(90),
          deepArchiveAccessTierTime: Duration.days(180),
        },
      ],
      lifecycleRules: [
        {
          // Uploads arrive as STANDARD; Archive copies labelled photos into
          // INTELLIGENT_TIERING itself, this catches anything it did not reach.
          id: 'photos-to-intelligent-tiering',
          prefix: PHOTO_PREFIX,
          transitions: [{ storageClass: s3.StorageClass.INTELLIGENT_TIERING, transitionAfter: Duration.days(0) }],
          abortIncompleteMultipartUploadAfter: Duration.days(2),
        },
      ],
      // CORS origins are added by the stack once the front end's origin is known.
      removalPolicy: keep,
      autoDeleteObjects: !config.retainData,
    });

    this.working = new s3.Bucket(this, 'Working', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        {
          id: 'working-objects-expire',
          expiration: Duration.days(config.bundleDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: 'ttl',
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      removalPolicy: keep,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: 'gsi1',
      partitionKey: { name: 'gsi1pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'gsi1sk', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });
  }
}
