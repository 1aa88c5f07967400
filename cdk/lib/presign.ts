/**
 * The signer of long-lived links. A URL presigned with a Lambda role's session
 * credentials dies with the session (hours at most), so links are signed with the
 * long-term key of a dedicated IAM user that can do nothing else: GET bundles, PUT
 * photos. Its key pair lives in Secrets Manager as {"AccessKeyId","SecretAccessKey"}
 * (crates/aws/src/presign.rs reads that shape); only Presign and api-uploads may read it.
 */
import { SecretValue } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { PHOTO_PREFIX } from './storage';

export interface PresignKeyProps {
  readonly photos: s3.IBucket;
  readonly working: s3.IBucket;
}

export class PresignKey extends Construct {
  readonly user: iam.User;
  readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: PresignKeyProps) {
    super(scope, id);
    // No login profile: the user has no console password, only this one key.
    this.user = new iam.User(this, 'User');
    this.user.addToPolicy(
      new iam.PolicyStatement({
        sid: 'GetBundles',
        actions: ['s3:GetObject'],
        resources: [props.working.arnForObjects('bundles/*')],
      }),
    );
    this.user.addToPolicy(
      new iam.PolicyStatement({
        sid: 'PutPhotos',
        actions: ['s3:PutObject'],
        resources: [props.photos.arnForObjects(`${PHOTO_PREFIX}*`)],
      }),
    );
    const key = new iam.AccessKey(this, 'Key', { user: this.user });
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description: 'PAM presign key: signs download links and upload URLs only (see docs/deploy.md, rotation)',
      secretObjectValue: {
        AccessKeyId: SecretValue.unsafePlainText(key.accessKeyId),
        SecretAccessKey: key.secretAccessKey,
      },
    });
  }
}
