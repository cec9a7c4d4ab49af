/**
 * `npm run test:summary`: prints the summary of the latest `npm test` again (the last step of `npm test`,
 * test/run-suites.ts, prints it first): the counts of the jest runs, the suites skipped for lack of a tool with
 * how to install it, and the closing `summary: N passed, N failed, N skipped` line. Reads test-output/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_RECORDS_DIR, readRecords, repoRoot } from './support/tools/records.ts';
import { countsOf, type JestJson, type RunOutcome, summaryLines } from './support/tools/summary.ts';

export const RESULTS_DIR = join(repoRoot, 'test-output', 'results');

/** The jest runs of `npm test`, in order, and where each writes its --json results. */
export const RUNS = [
  { name: 'jest (npm run test:jest)', results: join(RESULTS_DIR, 'jest.json') },
  { name: 'runtime client (npm run test:ric)', results: join(RESULTS_DIR, 'ric.json') },
] as const;

export function readJestJson(file: string): JestJson | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as JestJson;
  } catch {
    return undefined;
  }
}

/** Prints the summary; returns how many tests (or runs without results) failed. */
export function printSummary(exitCodes: readonly number[]): number {
  const runs: RunOutcome[] = RUNS.map((run, index) => ({
    name: run.name,
    results: readJestJson(run.results),
    exitCode: exitCodes[index] ?? 0,
  }));
  process.stdout.write(`${summaryLines(runs, readRecords(DEFAULT_RECORDS_DIR)).join('\n')}\n`);
  return runs.map(countsOf).reduce((sum, counts) => sum + counts.failed, 0);
}

if (import.meta.main) printSummary([]);
