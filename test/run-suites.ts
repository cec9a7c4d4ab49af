/**
 * The test runs of `npm test` after typecheck and lint: jest over every suite, then the runtime-client run
 * (test/real-client/run.ts), then the summary, always last so it closes the log. Both runs happen even when the
 * first fails, and the exit code is non-zero when either failed (a shell `a && b && c` chain would stop at the
 * first failure and never print the summary). Arguments are passed to the first jest run.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printSummary, RESULTS_DIR, RUNS } from './summary.ts';
import { clearRecords, DEFAULT_RECORDS_DIR, repoRoot } from './support/tools/records.ts';

const JEST = fileURLToPath(new URL('../node_modules/jest/bin/jest.js', import.meta.url));
const RIC_RUN = fileURLToPath(new URL('./real-client/run.ts', import.meta.url));

function runNode(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...args], { cwd: repoRoot, env, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  });
}

async function main(): Promise<number> {
  clearRecords(DEFAULT_RECORDS_DIR);
  rmSync(RESULTS_DIR, { recursive: true, force: true });
  mkdirSync(RESULTS_DIR, { recursive: true });
  const [jestRun, ricRun] = RUNS;
  const jestEnv = { ...process.env, NODE_OPTIONS: '--experimental-vm-modules' };
  const jestCode = await runNode(
    [JEST, '--json', `--outputFile=${jestRun.results}`, ...process.argv.slice(2)],
    jestEnv,
  );
  const ricCode = await runNode([RIC_RUN, '--json', `--outputFile=${ricRun.results}`], process.env);
  const failed = printSummary([jestCode, ricCode]);
  return jestCode !== 0 || ricCode !== 0 || failed > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`npm test: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
