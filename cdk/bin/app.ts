#!/usr/bin/env node
/**
 * The CDK app: one stack, `Pam` (or `--context stackName=…`), built from the Lambda
 * binaries in cargo-lambda's layout and the React build. Run through `npm run synth`
 * or `npm run deploy`, which build what is missing first (bin/prepare.ts).
 */
import { App } from 'aws-cdk-lib';
import { frontendDir, lambdaDir } from '../lib/app-inputs';
import { readConfig } from '../lib/config';
import { assetCode } from '../lib/lambda-code';
import { PamStack } from '../lib/pam-stack';

const app = new App();
const config = readConfig(app.node);
const stackName = (app.node.tryGetContext('stackName') as string | undefined) ?? 'Pam';
new PamStack(app, stackName, {
  description: 'PAM: photo asset management (labelling and download workflows)',
  config,
  code: assetCode(lambdaDir(app.node)),
  frontendDir: frontendDir(app.node),
  env: {
    account: process.env.CDK_DEFAULT_ACCOUNT,
    region: process.env.CDK_DEFAULT_REGION,
  },
});
app.synth();
