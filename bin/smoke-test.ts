/**
 * `npm run smoke -- <url> [--origin <origin>] [--timeout-ms <n>]`: after `cdk deploy`, probe a deployed media
 * URL the way players do and print a PASS/FAIL table. Exit code 0 = all passed, 1 = a check failed, 2 = usage.
 *   npm run smoke -- https://dxxxx.cloudfront.net/sample.mp4 --origin https://player.example
 * The URL must name an existing, non-empty object (upload one first: npm run upload).
 */
import { parseSmokeArgs, SMOKE_USAGE } from './smoke/args.ts';
import { runSmokeChecks } from './smoke/checks.ts';
import { createHttpRequest } from './smoke/http-request.ts';
import { formatReport } from './smoke/report.ts';

async function main(argv: readonly string[]): Promise<number> {
  const args = parseSmokeArgs(argv);
  if (args === 'help') {
    process.stdout.write(`${SMOKE_USAGE}\n`);
    return 0;
  }
  if ('error' in args) {
    process.stderr.write(`smoke: ${args.error}\n${SMOKE_USAGE}\n`);
    return 2;
  }
  const results = await runSmokeChecks(
    args.url,
    createHttpRequest(args.timeoutMs),
    args.origin === undefined ? {} : { origin: args.origin },
  );
  process.stdout.write(formatReport(args.url.href, results));
  return results.every((result) => result.pass) ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`smoke: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
