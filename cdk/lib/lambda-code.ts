/**
 * Where the Lambda binaries come from: cargo-lambda's output layout
 * (`<dir>/<binary>/bootstrap`). The app refuses to synthesize when any binary the
 * state machines or the API need is missing, and names every missing one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/** Supplies one Lambda's code by binary name. */
export interface CodeSource {
  /** Human description for errors (e.g. the folder). */
  readonly describe: string;
  /** The binaries this source cannot supply. */
  missing(binaries: readonly string[]): string[];
  /** The code of `binary`, for a function created under `scope`. */
  code(scope: Construct, binary: string): lambda.Code;
}

/** `<dir>/<binary>/bootstrap`, as `cargo lambda build` leaves it. */
export function bootstrapPath(dir: string, binary: string): string {
  return path.join(dir, binary, 'bootstrap');
}

/** A cargo-lambda-shaped folder of real binaries. */
export function assetCode(dir: string): CodeSource {
  const abs = path.resolve(dir);
  return {
    describe: abs,
    missing: (binaries) =>
      binaries.filter((b) => {
        try {
          return !fs.statSync(bootstrapPath(abs, b)).isFile();
        } catch {
          return true;
        }
      }),
    code: (_scope, binary) => lambda.Code.fromAsset(path.join(abs, binary)),
  };
}
