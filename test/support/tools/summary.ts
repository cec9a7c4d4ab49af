/**
 * The closing summary of `npm test`: the counts of each jest run (from its --json output), every suite that did
 * not run for lack of a tool with what to install, and one last line `summary: N passed, N failed, N skipped`
 * over all runs (a suite that failed to load counts as one failure: jest counts no test in it).
 */
import { debianInstall, macosInstall, missingLines } from './install-hints.ts';
import type { MissingToolsRecord } from './records.ts';

/** The fields of jest's --json output (its AggregatedResult) the summary reads. */
export interface JestJson {
  readonly numPassedTests: number;
  readonly numFailedTests: number;
  readonly numPendingTests: number;
  readonly numTodoTests: number;
  readonly numRuntimeErrorTestSuites: number;
  readonly numPendingTestSuites: number;
  readonly numTotalTestSuites: number;
}

export interface RunOutcome {
  readonly name: string;
  /** undefined: the run did not happen or wrote no results. */
  readonly results: JestJson | undefined;
  readonly exitCode: number;
}

export interface Counts {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

export function countsOf(run: RunOutcome): Counts {
  const { results } = run;
  if (results === undefined) return { passed: 0, failed: run.exitCode === 0 ? 0 : 1, skipped: 0 };
  return {
    passed: results.numPassedTests,
    failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
    skipped: results.numPendingTests + results.numTodoTests,
  };
}

function runLine(run: RunOutcome): string {
  if (run.results === undefined) {
    return run.exitCode === 0
      ? `${run.name}: no test results (did not run)`
      : `${run.name}: exited ${run.exitCode} without test results`;
  }
  const { passed, failed, skipped } = countsOf(run);
  const suites = `${run.results.numPendingTestSuites} of ${run.results.numTotalTestSuites} suites skipped`;
  // Worded unlike the closing line on purpose: only that line has the "N passed, N failed" shape.
  return `${run.name}: passed ${passed}, failed ${failed}, skipped ${skipped} (${suites}), exit code ${run.exitCode}`;
}

export function summaryLines(runs: readonly RunOutcome[], records: readonly MissingToolsRecord[]): string[] {
  const lines = ['', '==== npm test summary ====', ...runs.map(runLine)];
  if (records.length === 0) {
    lines.push('Nothing was skipped for lack of a tool.');
  } else {
    lines.push('Suites that did not run for lack of a tool (with CI=true each of these is a failure):');
    for (const record of records) {
      lines.push(`  ${record.outcome.toUpperCase()} ${record.suite}`);
      lines.push(...missingLines(record.missing, '    '));
    }
    const missing = records.flatMap((record) => record.missing);
    lines.push('Install what they need:');
    lines.push(`  Debian/Ubuntu: ${debianInstall(missing)}`);
    lines.push(`  macOS: ${macosInstall(missing)}`);
  }
  const total = runs.map(countsOf).reduce(
    (sum, counts) => ({
      passed: sum.passed + counts.passed,
      failed: sum.failed + counts.failed,
      skipped: sum.skipped + counts.skipped,
    }),
    { passed: 0, failed: 0, skipped: 0 },
  );
  lines.push(`summary: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  return lines;
}
