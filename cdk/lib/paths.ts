/**
 * Where the repository's inputs live, found from this file's own location so the
 * compiled copy under `cdk/dist/` resolves the same folders as the sources do.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root: the first folder upwards holding `statemachines/` and `Cargo.toml`. */
export function repoRoot(from: string = __dirname): string {
  let dir = path.resolve(from);
  for (;;) {
    if (
      fs.existsSync(path.join(dir, 'statemachines')) &&
      fs.existsSync(path.join(dir, 'Cargo.toml'))
    ) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`no repository root (a folder with statemachines/ and Cargo.toml) above ${from}`);
    }
    dir = parent;
  }
}

/** `statemachines/<name>.asl.json`. */
export function aslFile(name: 'labelling' | 'download', root: string = repoRoot()): string {
  return path.join(root, 'statemachines', `${name}.asl.json`);
}

/** cargo-lambda's output folder: `target/lambda/<binary>/bootstrap`. */
export function defaultLambdaDir(root: string = repoRoot()): string {
  return path.join(root, 'target', 'lambda');
}

/** The React build served by CloudFront. */
export function defaultFrontendDir(root: string = repoRoot()): string {
  return path.join(root, 'frontend', 'dist');
}
