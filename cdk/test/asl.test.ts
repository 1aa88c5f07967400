/**
 * Reading the ASL files: placeholders found, mapped to binaries, substituted; unknown
 * or unreferenced steps fail the synth by name; both files pass asl-validator.
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { kebab, placeholders, substitutions } from '../lib/asl';
import { requiredFunctions } from '../lib/pam-stack';
import { aslFile } from '../lib/paths';
import { Definition, loadDefinition } from '../lib/workflows';

const labelling = loadDefinition(aslFile('labelling'));
const download = loadDefinition(aslFile('download'));

describe('placeholders', () => {
  test('step names map to kebab-case binaries', () => {
    assert.equal(kebab('DetectLabels'), 'detect-labels');
    assert.equal(kebab('Archive'), 'archive');
    assert.equal(kebab('CloseChannel'), 'close-channel');
  });

  test('every Task Resource of both files is a placeholder we find', () => {
    for (const d of [labelling, download]) {
      const def = JSON.parse(d.text);
      const resources = new Set(
        Object.values<any>(def.States).filter((s) => s.Type === 'Task').map((s) => s.Resource as string),
      );
      assert.deepEqual([...resources].sort(), d.steps.map((s) => `\${${s.key}}`).sort(), d.file);
    }
    assert.deepEqual(
      download.steps.map((s) => s.binary),
      ['open-channel', 'resolve-manifest', 'start-restores', 'check-restores', 'build-bundle', 'presign', 'notify', 'close-channel'],
    );
  });

  test('a placeholder that is not a FunctionArn is refused by name', () => {
    assert.throws(() => placeholders('{"Resource":"${BucketName}"}', 'x.json'), /x\.json: placeholder \$\{BucketName\}/);
  });

  test('an unknown binary is refused by name', () => {
    const steps = placeholders('{"a":"${DetectLabelsFunctionArn}","b":"${ResizeFunctionArn}"}');
    assert.throws(
      () => substitutions(steps, (b) => (b === 'detect-labels' ? 'arn:1' : undefined), 'f.json'),
      /f\.json: no Lambda function is defined for \$\{ResizeFunctionArn\} \(binary resize\)/,
    );
    assert.deepEqual(substitutions(steps.slice(0, 1), () => 'arn:1', 'f'), { DetectLabelsFunctionArn: 'arn:1' });
  });
});

describe('which functions deploy', () => {
  const withText = (d: Definition, text: string): Definition => ({ ...d, text, steps: placeholders(text) });

  test('both files need exactly the known step binaries plus the API', () => {
    const names = requiredFunctions([labelling, download]).map((f) => f.binary);
    for (const s of [...labelling.steps, ...download.steps]) assert.ok(names.includes(s.binary), s.binary);
    assert.equal(names.filter((n) => n.startsWith('api-')).length, 4);
  });

  test('a step without a spec fails the synth naming it', () => {
    const extra = withText(labelling, labelling.text.replace('${ArchiveFunctionArn}', '${ResizeFunctionArn}'));
    assert.throws(() => requiredFunctions([extra, download]), /no function spec .* for \$\{ResizeFunctionArn\}/);
  });

  test('a spec no machine refers to fails the synth naming it (a renamed step)', () => {
    const renamed = withText(download, download.text.replaceAll('${NotifyFunctionArn}', '${BuildBundleFunctionArn}'));
    assert.throws(() => requiredFunctions([labelling, renamed]), /step functions notify are not referenced/);
  });
});

describe('asl-validator', () => {
  const validator = path.join(__dirname, '..', '..', 'node_modules', '.bin', 'asl-validator');
  const validate = (file: string) => spawnSync(validator, ['--json-path', file], { encoding: 'utf8' });

  for (const name of ['labelling', 'download'] as const) {
    test(`${name}.asl.json is valid ASL`, () => {
      const r = validate(aslFile(name));
      assert.equal(r.status, 0, r.stdout + r.stderr);
    });
  }

  test('a broken definition is rejected (the check can fail)', () => {
    const def = JSON.parse(download.text);
    def.States.Presign.Next = 'NoSuchState';
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pam-asl-')), 'broken.asl.json');
    fs.writeFileSync(file, JSON.stringify(def));
    const r = validate(file);
    assert.notEqual(r.status, 0, r.stdout);
  });
});
