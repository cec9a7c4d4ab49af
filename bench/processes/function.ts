/**
 * The product under test in its own process: the local Function URL and the handler (local/stack.ts), pointed
 * at the bench's external S3 server. bench/run.ts samples this process's RSS and may start it with --cpu-prof.
 *
 * `node bench/processes/function.ts --s3-endpoint URL --bucket NAME [--function-env JSON] [--runtime emulation|aws-lambda-ric]
 *   [--bundle-dir DIR]` (aws-lambda-ric only: run that bundle's index.mjs `handler` instead of the synthesized app's)
 */
import { parseArgs } from 'node:util';
import { startLocalStack } from '../../local/stack.ts';
import { serveUntilClosed } from '../support/child.ts';

const { values } = parseArgs({
  options: {
    's3-endpoint': { type: 'string' },
    bucket: { type: 'string' },
    'function-env': { type: 'string', default: '{}' },
    /** emulation (the in-house runtime, default) or aws-lambda-ric (the synthesized bundle under AWS's client). */
    runtime: { type: 'string', default: 'emulation' },
    /** aws-lambda-ric only: run this bundle folder (index.mjs, export `handler`) instead of the synthesized app's. */
    'bundle-dir': { type: 'string' },
  },
  strict: true,
});
const s3Endpoint = values['s3-endpoint'];
const bucket = values.bucket;
if (!s3Endpoint || !bucket) {
  throw new Error('usage: node bench/processes/function.ts --s3-endpoint URL --bucket NAME [--function-env JSON]');
}
const parsed: unknown = JSON.parse(values['function-env']);
if (typeof parsed !== 'object' || parsed === null || Object.values(parsed).some((v) => typeof v !== 'string')) {
  throw new TypeError('--function-env must be a JSON object of strings');
}
const functionEnv = parsed as Record<string, string>;

const runtime = values.runtime;
if (runtime !== 'emulation' && runtime !== 'aws-lambda-ric') {
  throw new TypeError(`--runtime must be emulation or aws-lambda-ric, got "${runtime}"`);
}
const bundleDir = values['bundle-dir'];
const bundle =
  bundleDir === undefined
    ? {}
    : {
        bundle: {
          dir: bundleDir,
          handler: 'index.handler',
          nodeOptions: functionEnv.NODE_OPTIONS,
          timeoutSeconds: undefined,
          memorySize: undefined,
          assemblyDir: bundleDir,
        },
      };
const stack = await startLocalStack({
  host: '127.0.0.1',
  port: 0,
  s3Endpoint,
  bucket,
  functionEnv,
  // One execution environment: the bench measures the function's own process, one request at a time.
  runtime: runtime === 'emulation' ? { mode: 'emulation' } : { mode: 'aws-lambda-ric', maxEnvironments: 1, ...bundle },
});
serveUntilClosed(stack.url, () => stack.close());
