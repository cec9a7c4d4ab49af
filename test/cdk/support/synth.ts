/**
 * Synthesizes the app's stack the way `cdk synth` does: the feature flags from cdk.json, the given context
 * parsed by lib/context.ts, then MediaOriginStack. The bundle is built for real (local esbuild); within one
 * test file the CDK's asset cache reuses it, so every file synthesizes a few stacks cheaply.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnResource } from 'aws-cdk-lib';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { parseContext } from '../../../lib/context.ts';
import { MediaOriginStack } from '../../../lib/media-origin-stack.ts';

const CDK_JSON = JSON.parse(readFileSync(new URL('../../../cdk.json', import.meta.url), 'utf8')) as {
  readonly context: Readonly<Record<string, unknown>>;
};

export interface Synthesized {
  readonly app: App;
  readonly stack: MediaOriginStack;
  readonly template: Template;
}

/**
 * One cloud-assembly directory per test file (module): the CDK caches a staged asset per output directory,
 * so the stacks of one file share a single esbuild run instead of bundling the same handler again each time.
 */
const OUTDIR = mkdtempSync(join(tmpdir(), 'media-origin-cdk-test-'));

/** Call from `afterAll`: removes this file's cloud assemblies and bundles. */
export function removeAssemblies(): void {
  rmSync(OUTDIR, { recursive: true, force: true });
}

export function synthesize(context: Readonly<Record<string, unknown>> = {}): Synthesized {
  const app = new App({ context: { ...CDK_JSON.context, ...context }, analyticsReporting: false, outdir: OUTDIR });
  const { stackName, ...settings } = parseContext(app.node.getAllContext());
  const stack = new MediaOriginStack(app, stackName, { settings });
  return { app, stack, template: Template.fromStack(stack) };
}

/** The logical ID the template gives a construct, resolved (never hard-coded: it contains a hash). */
export function logicalId(construct: IConstruct): string {
  const stack = Stack.of(construct);
  const resource = (construct.node.defaultChild ?? construct) as CfnResource;
  return stack.resolve(resource.logicalId) as string;
}

/** The ARN CloudFront's OAC permissions are scoped to: this distribution. */
export function distributionArn(distributionLogicalId: string): unknown {
  return {
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':cloudfront::',
        { Ref: 'AWS::AccountId' },
        ':distribution/',
        { Ref: distributionLogicalId },
      ],
    ],
  };
}
