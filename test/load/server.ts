/**
 * The function side of `npm run test:load`, in its own process so its memory is measured alone: the local stack
 * (local Function URL + the real handler in its execution environment) on loopback with an ephemeral port, in
 * front of an S3-compatible endpoint that runs in yet another process (local/s3/server.ts), so the store's CPU
 * and memory are not counted as the function's. Prints one JSON line `{ "url", "bucket" }` when ready; stops
 * on SIGTERM/SIGINT.
 *
 * Usage: node test/load/server.ts <s3Endpoint> [FUNCTION_ENV_JSON]
 */
import { startLocalStack } from '../../local/stack.ts';

const BUCKET = 'load';
const s3Endpoint = process.argv[2];
if (s3Endpoint === undefined) throw new Error('usage: server.ts <s3Endpoint> [FUNCTION_ENV_JSON]');
const functionEnv = JSON.parse(process.argv[3] ?? '{}') as Record<string, string>;

const stack = await startLocalStack({ port: 0, s3Endpoint, bucket: BUCKET, functionEnv });
process.stdout.write(`${JSON.stringify({ url: stack.url, bucket: BUCKET })}\n`);

const stop = (): void => {
  stack.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
