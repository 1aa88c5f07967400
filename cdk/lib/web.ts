/**
 * The React app: its build on a private bucket that only CloudFront may read (origin
 * access control), and its `config.json` written at deploy time from the values that
 * exist only then (API URL, Cognito domain and client).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';

/** What the app reads from `./config.json` (frontend/README.md). */
export interface RuntimeConfig {
  readonly apiBase: string;
  readonly auth: {
    readonly mode: 'cognito';
    readonly domain: string;
    readonly clientId: string;
    readonly redirectUri: string;
    readonly flow: 'code';
  };
}

export class Web extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Site', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
    this.distribution = new cloudfront.Distribution(this, 'Cdn', {
      comment: 'PAM web app',
      defaultRootObject: 'index.html',
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        compress: true,
      },
    });
  }

  /** `https://<distribution domain>` */
  get origin(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }

  /** The app's URL, used as the Cognito callback (`https://<domain>/`). */
  get appUrl(): string {
    return `${this.origin}/`;
  }

  /** Uploads the build (its local config.json left out) and the deploy-time config. */
  deploy(frontendDir: string, config: RuntimeConfig): s3deploy.BucketDeployment {
    if (!fs.existsSync(path.join(frontendDir, 'index.html'))) {
      throw new Error(
        `no front-end build at ${frontendDir} (index.html missing): run \`npm ci && npm run build\` in frontend/, ` +
          'or `npm run synth` in cdk/ which does it',
      );
    }
    return new s3deploy.BucketDeployment(this, 'Deploy', {
      sources: [
        s3deploy.Source.asset(frontendDir, { exclude: ['config.json'] }),
        s3deploy.Source.jsonData('config.json', config),
      ],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json'],
      memoryLimit: 512,
    });
  }
}
