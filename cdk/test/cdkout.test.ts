/**
 * The template the CDK CLI wrote to cdk.out (npm run synth) is the one the other tests
 * assert on: same resources, same logical ids and types. CI (scripts/ci/cdk.sh) synthesizes
 * first and sets PAM_REQUIRE_CDK_OUT=1, so a missing cdk.out fails there; elsewhere the
 * test is skipped with a note.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { synth } from './harness';

const file = path.join(__dirname, '..', '..', 'cdk.out', 'Pam.template.json');
const present = fs.existsSync(file);
const required = process.env.PAM_REQUIRE_CDK_OUT === '1';

test(
  'cdk.out/Pam.template.json has exactly the asserted resources',
  { skip: !present && !required ? `no ${file}: run \`npm run synth\` first` : false },
  () => {
    assert.ok(present, `${file} is missing although PAM_REQUIRE_CDK_OUT=1`);
    const written = JSON.parse(fs.readFileSync(file, 'utf8'));
    const { template } = synth({ arch: 'x86_64' }, { realCode: false });
    // The CLI adds CDKMetadata; the API deployment's id hashes its methods, whose
    // integration URIs name the region the CLI resolved.
    const kinds = (resources: Record<string, any>) =>
      Object.entries(resources)
        .filter(([, r]) => r.Type !== 'AWS::CDK::Metadata')
        .map(([id, r]) => `${r.Type === 'AWS::ApiGateway::Deployment' ? id.slice(0, -32) : id} ${r.Type}`)
        .sort();
    assert.deepEqual(kinds(written.Resources), kinds(template.toJSON().Resources));
    assert.deepEqual(Object.keys(written.Outputs).sort(), Object.keys(template.toJSON().Outputs).sort());
    const fns = Object.values<any>(written.Resources).filter((r) => r.Type === 'AWS::Lambda::Function' && /^pam-/.test(r.Properties.FunctionName ?? ''));
    for (const f of fns) assert.deepEqual(f.Properties.Architectures, ['x86_64'], f.Properties.FunctionName);
  },
);
