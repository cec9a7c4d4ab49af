/**
 * `npm start`: the local stack on this machine (see start-env.ts for the environment interface).
 * Prints ONE ready line containing the Function URL and the demo page URL; stops cleanly on SIGINT/SIGTERM.
 */

import { redactText } from '../lambda/observability/redact.ts';
import { SAMPLE_MEDIA_DIR, startLocalStack } from './stack.ts';
import { startOptionsFromEnv } from './start-env.ts';

async function main(): Promise<void> {
  const options = startOptionsFromEnv(process.env, SAMPLE_MEDIA_DIR);
  // The local Function URL is public (no auth), like a deployed URL with AuthType NONE, for which the stack sends
  // plain GETs to S3; the presigned URLs point at the embedded store. PLAIN_GET_REDIRECT=off turns it off.
  const plainGetRedirect = process.env.PLAIN_GET_REDIRECT?.trim() || 'presigned-s3';
  const stack = await startLocalStack({
    ...options,
    functionEnv: { PLAIN_GET_REDIRECT: plainGetRedirect, ...options.functionEnv },
  });
  process.stdout.write(`media-origin local stack ready: ${stack.url} (demo page: ${stack.demoUrl})\n`);
  if (stack.signing !== undefined) {
    process.stderr.write(
      `private media: every GET/HEAD needs a CloudFront signed URL or signed cookies (key id ${stack.signing.keyPairId});\n` +
        `  sign: npm run sign -- ${stack.url}sample.mp4 --expires 1h --key-pair-id ${stack.signing.keyPairId} ` +
        `--private-key ${stack.signing.privateKeyFile}\n  demo: ${stack.demoUrl}private.html\n`,
    );
  }
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`received ${signal}, stopping\n`);
    stack.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(
          redactText(`stopping failed: ${error instanceof Error ? error.message : String(error)}\n`),
        );
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const cause =
    error instanceof Error && error.cause !== undefined
      ? `\n  cause: ${String(error.cause instanceof Error ? error.cause.message : JSON.stringify(error.cause))}`
      : '';
  process.stderr.write(redactText(`npm start: ${error instanceof Error ? error.message : String(error)}${cause}\n`));
  process.exit(1);
});
