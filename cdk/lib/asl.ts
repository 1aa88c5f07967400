/**
 * The state machine definitions are the single source of truth: this module reads
 * `statemachines/*.asl.json` at synth time, finds every `${…}` placeholder and maps
 * `${<StepName>FunctionArn}` to the step's Lambda binary (`DetectLabels` →
 * `detect-labels`), so a step added to an ASL file cannot deploy without its Lambda.
 */
import * as fs from 'node:fs';

/** One `${<Step>FunctionArn}` placeholder found in a definition. */
export interface StepPlaceholder {
  /** The substitution key, e.g. `DetectLabelsFunctionArn`. */
  readonly key: string;
  /** The ASL step name, e.g. `DetectLabels`. */
  readonly step: string;
  /** The Lambda binary, e.g. `detect-labels`. */
  readonly binary: string;
}

const PLACEHOLDER = /\$\{([^}]*)\}/g;
const FUNCTION_ARN = /^([A-Z][A-Za-z0-9]*)FunctionArn$/;

/** `DetectLabels` → `detect-labels`. */
export function kebab(step: string): string {
  return step.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** Every placeholder of a definition, in order of first appearance, without repeats. */
export function placeholders(definition: string, source = 'definition'): StepPlaceholder[] {
  JSON.parse(definition); // a syntax error names the file below, not a later synth failure
  const seen = new Map<string, StepPlaceholder>();
  for (const match of definition.matchAll(PLACEHOLDER)) {
    const key = match[1];
    const step = FUNCTION_ARN.exec(key);
    if (!step) {
      throw new Error(
        `${source}: placeholder \${${key}} is not of the form \${<StepName>FunctionArn}; ` +
          'the CDK app only knows how to substitute Lambda ARNs',
      );
    }
    if (!seen.has(key)) {
      seen.set(key, { key, step: step[1], binary: kebab(step[1]) });
    }
  }
  return [...seen.values()];
}

/** Reads an ASL file and returns its text and placeholders. */
export function readDefinition(file: string): { text: string; steps: StepPlaceholder[] } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read state machine definition ${file}: ${(e as Error).message}`);
  }
  try {
    return { text, steps: placeholders(text, file) };
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
}

/**
 * DefinitionSubstitutions for a definition: every placeholder mapped to the ARN of its
 * binary's function. A placeholder whose binary has no function is an error.
 */
export function substitutions(
  steps: readonly StepPlaceholder[],
  arnOf: (binary: string) => string | undefined,
  source: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  const unknown: string[] = [];
  for (const s of steps) {
    const arn = arnOf(s.binary);
    if (arn === undefined) unknown.push(`\${${s.key}} (binary ${s.binary})`);
    else out[s.key] = arn;
  }
  if (unknown.length > 0) {
    throw new Error(`${source}: no Lambda function is defined for ${unknown.join(', ')}`);
  }
  return out;
}
