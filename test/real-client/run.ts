/**
 * `npm run test:ric` (the last test run of `npm test`, before its summary): the suites that go through the local
 * stack, run again with the handler under AWS's runtime interface client on the synthesized bundle
 * (LOCAL_RUNTIME=aws-lambda-ric).
 * Covers every status (200, 206, 304, 412, 416, 404, 400, 405, multipart 206, 307), the wire format (chunked,
 * Content-Length remapped), bodies past 6 MB, mid-body failures with and without resume, the init error from a
 * bad variable, the function timeout, `LOCAL_RUNTIME=aws-lambda-ric npm start`, no token in any log line of a
 * signed stack, and curl as a player.
 *
 * The client is an optional install (`npm run ric:install`), checked like every suite's tools
 * (test/support/tools/check-requirements.ts): without it this run FAILS when CI=true, and outside CI says loudly
 * that it did not run (exit 0) and is named in `npm test`'s closing summary, so a laptop without cmake (or a Mac,
 * where the client does not build) can still run `npm test`.
 * The bundle is synthesized once here (cached by input hash), before jest's workers start.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { synthesizedBundle } from '../../local/runtimes/aws-ric/bundle.ts';
import { checkRequirements } from '../support/tools/check-requirements.ts';
import { AWS_LAMBDA_RIC } from '../support/tools/requirements.ts';

export const REAL_CLIENT_SUITES = [
  'test/integration/local-stack.test.ts',
  'test/integration/function-lifecycle.test.ts',
  'test/reliability/mid-stream-failure.test.ts',
  'test/integration/start.test.ts',
  'test/integration/no-token-in-logs.test.ts',
  'test/e2e/curl.test.ts',
];

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const JEST = fileURLToPath(new URL('../../node_modules/jest/bin/jest.js', import.meta.url));

async function main(): Promise<number> {
  const started = performance.now();
  const check = checkRequirements('npm run test:ric', [AWS_LAMBDA_RIC]);
  if (!check.ready) {
    const notRun = `The suites ${REAL_CLIENT_SUITES.join(', ')} did NOT run under the real runtime client.`;
    process.stderr.write(`\n*** ${check.message}\n*** ${notRun}\n\n`);
    return check.outcome === 'failed' ? 1 : 0;
  }
  const bundle = await synthesizedBundle((line) => process.stdout.write(`${line}\n`));
  process.stdout.write(`test:ric: the synthesized bundle ${bundle.dir}\n`);
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(process.execPath, [JEST, ...REAL_CLIENT_SUITES, ...process.argv.slice(2)], {
      cwd: ROOT,
      env: { ...process.env, LOCAL_RUNTIME: 'aws-lambda-ric', NODE_OPTIONS: '--experimental-vm-modules' },
      stdio: 'inherit',
    });
    child.once('error', reject);
    child.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal === null ? 1 : 128)));
  });
  process.stdout.write(`test:ric: real-client run took ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return code;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`test:ric: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
