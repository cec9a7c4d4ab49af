/**
 * cdk-nag's AwsSolutions pack (cdk-nag 3: a CDK validation plugin; `validateScope` is its documented entry
 * point for tests) finds nothing unacknowledged in the default stack or any documented variant, and every
 * acknowledgment carries a reason. A control stack proves the pack does report findings here.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import cdkNag from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { removeAssemblies, synthesize } from './support/synth.ts';

/** A public key for the private-media variant (its `*.m3u8` behaviour and second cache policy). */
const keyDir = mkdtempSync(join(tmpdir(), 'media-origin-nag-keys-'));
const publicKeyPath = join(keyDir, 'current.pem');
writeFileSync(
  publicKeyPath,
  generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }),
);
afterAll(() => {
  removeAssemblies();
  rmSync(keyDir, { recursive: true, force: true });
});

const VARIANTS: ReadonlyArray<[string, Record<string, unknown>]> = [
  ['default', {}],
  ['public URL', { publicUrl: 'true', corsAllowedOrigins: '*' }],
  [
    'existing bucket with prefix and KMS key',
    {
      bucketName: 'existing-media',
      keyPrefix: 'media/',
      bucketKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    },
  ],
  [
    'custom domain, access logging, WAF, versioned bucket',
    {
      domainNames: 'media.example.com',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/1234abcd',
      accessLogging: 'true',
      webAclId: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/media/1234abcd',
      bucketVersioned: 'true',
    },
  ],
  ['alarm email topic, no reserved concurrency', { alarmEmail: 'ops@example.com', reservedConcurrency: 'none' }],
  ['existing alarm topic', { alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:ops-alerts' }],
  ['private media behind OAC (a *.m3u8 behaviour)', { signingPublicKeys: `current=${publicKeyPath}` }],
  ['private media on a public URL', { signingPublicKeys: `current=${publicKeyPath}`, publicUrl: 'true' }],
];

function acknowledgments(root: IConstruct): Array<[string, string, unknown]> {
  const found: Array<[string, string, unknown]> = [];
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, unknown>)) {
        found.push([construct.node.path, id, reason]);
      }
    }
  }
  return found;
}

describe.each(VARIANTS)('AwsSolutions checks: %s', (_name, context) => {
  const { stack } = synthesize(context);

  test('report no unacknowledged finding', () => {
    // Prepare
    const pack = new cdkNag.AwsSolutionsChecks();
    // Act
    const report = pack.validateScope(stack);
    // Assess
    expect(report.violations.map((violation) => `${violation.ruleName}: ${violation.description}`)).toEqual([]);
    expect(report.success).toBe(true);
  });

  test('every acknowledgment names its rule and gives a reason', () => {
    // Prepare: the synthesized stack
    // Act
    const acks = acknowledgments(stack);
    // Assess
    expect(acks.length).toBeGreaterThan(0);
    for (const [, id, reason] of acks) {
      expect(id).toMatch(/^(Annotation::)?AwsSolutions-[A-Z0-9]+(\[.+\])?$/);
      expect(typeof reason).toBe('string');
      expect((reason as string).length).toBeGreaterThan(30);
    }
  });
});

test('control: the pack does report an unacknowledged finding in this setup', () => {
  // Prepare: a bucket without TLS enforcement, logging or anything else
  const { app } = synthesize();
  const control = new Stack(app, 'Control');
  new s3.Bucket(control, 'Plain');
  // Act
  const report = new cdkNag.AwsSolutionsChecks().validateScope(control);
  // Assess
  expect(report.violations.map((violation) => violation.ruleName)).toEqual(
    expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']),
  );
});
