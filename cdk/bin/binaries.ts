#!/usr/bin/env node
/**
 * Prints the Lambda binaries the app deploys, one per line: every step the ASL files
 * name, plus the API handlers. scripts/ci/cdk.sh assembles exactly these.
 */
import { aslFile } from '../lib/paths';
import { requiredFunctions } from '../lib/pam-stack';
import { loadDefinition } from '../lib/workflows';

try {
  const specs = requiredFunctions([loadDefinition(aslFile('labelling')), loadDefinition(aslFile('download'))]);
  process.stdout.write(specs.map((s) => `${s.binary}\n`).join(''));
} catch (e) {
  console.error(`binaries: ${(e as Error).message}`);
  process.exitCode = 1;
}
