/**
 * The CDK app: `npx cdk synth` / `npm run deploy`. Settings come from CDK context (cdk.json or -c key=value),
 * validated by lib/context.ts; cdk-nag's AwsSolutions pack runs on every synthesis (cdk-nag 3 is a CDK
 * validation plugin, the successor of the v2 Aspect) and fails it on any finding not acknowledged with a reason.
 */
import { App, Validations } from 'aws-cdk-lib';
import cdkNag from 'cdk-nag';
import { ConfigError } from '../lib/config-error.ts';
import { parseContext } from '../lib/context.ts';
import { MediaOriginStack } from '../lib/media-origin-stack.ts';

try {
  const app = new App();
  const { stackName, ...settings } = parseContext(app.node.getAllContext());
  new MediaOriginStack(app, stackName, {
    settings,
    description: 'media-origin: S3 media streamed by Lambda (RESPONSE_STREAM Function URL) behind CloudFront',
    // Environment-agnostic on purpose: no lookups, so `cdk synth` works offline; `cdk deploy` takes the account
    // and region from the AWS profile.
  });
  Validations.of(app).addPlugins(new cdkNag.AwsSolutionsChecks(app));
  app.synth();
} catch (error) {
  // A bad setting is the operator's to fix: say which and why, without a stack trace to scroll through.
  if (!(error instanceof ConfigError)) throw error;
  console.error(`media-origin: ${error.message}`);
  process.exitCode = 1;
}
