/**
 * Where the app takes its inputs from, shared by `bin/app.ts` (synth) and
 * `bin/prepare.ts` (the build step before it): the Lambda folder (`PAM_LAMBDA_DIR`, else
 * context `lambdaDir`, else `target/lambda`) and the front-end build
 * (`PAM_FRONTEND_DIR`, else context `frontendDir`, else `frontend/dist`).
 */
import * as path from 'node:path';
import { ContextSource } from './config';
import { defaultFrontendDir, defaultLambdaDir } from './paths';

export function lambdaDir(ctx: ContextSource, env: NodeJS.ProcessEnv = process.env): string {
  const v = env.PAM_LAMBDA_DIR || (ctx.tryGetContext('lambdaDir') as string | undefined);
  return path.resolve(v || defaultLambdaDir());
}

export function frontendDir(ctx: ContextSource, env: NodeJS.ProcessEnv = process.env): string {
  const v = env.PAM_FRONTEND_DIR || (ctx.tryGetContext('frontendDir') as string | undefined);
  return path.resolve(v || defaultFrontendDir());
}
