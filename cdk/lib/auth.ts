/**
 * Who may use PAM: a Cognito user pool that only an administrator can add people to
 * (no self sign-up), a strong password policy, the hosted UI on a Cognito domain and
 * one public app client for the React app (authorization code + PKCE).
 */
import { Aws, Duration, Fn, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { PamConfig } from './config';

export interface AuthProps {
  readonly config: PamConfig;
  /** The app's URL (`https://<cloudfront domain>/`): callback and sign-out URL. */
  readonly appUrl: string;
  readonly extraUrls: readonly string[];
}

export class Auth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;

  constructor(scope: Construct, id: string, props: AuthProps) {
    super(scope, id);
    const { config } = props;
    this.userPool = new cognito.UserPool(this, 'Users', {
      userPoolName: `${config.prefix}-users`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      standardAttributes: { email: { required: true, mutable: true } },
      autoVerify: { email: true },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      deletionProtection: config.retainData,
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    this.domain = this.userPool.addDomain('HostedUi', {
      cognitoDomain: {
        domainPrefix: config.domainPrefix ?? Fn.join('-', [config.prefix, Aws.ACCOUNT_ID]),
      },
    });

    const urls = [props.appUrl, ...props.extraUrls];
    this.client = this.userPool.addClient('Web', {
      userPoolClientName: `${config.prefix}-web`,
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [
          cognito.OAuthScope.OPENID,
          cognito.OAuthScope.EMAIL,
          cognito.OAuthScope.PHONE,
          cognito.OAuthScope.PROFILE,
        ],
        callbackUrls: urls,
        logoutUrls: urls,
      },
    });
  }

  /** `https://<prefix>.auth.<region>.amazoncognito.com` */
  get hostedUiUrl(): string {
    return this.domain.baseUrl();
  }
}
