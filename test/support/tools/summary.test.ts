/**
 * The closing summary: per-run counts, the skipped suites with their install lines, and the one line the CI
 * harness reads, `summary: N passed, N failed, N skipped`, summed over the runs.
 */
import { describe, expect, test } from '@jest/globals';
import { missingTool } from './install-hints.ts';
import { ARIA2C, CURL } from './requirements.ts';
import { countsOf, type JestJson, summaryLines } from './summary.ts';

const results = (overrides: Partial<JestJson>): JestJson => ({
  numPassedTests: 0,
  numFailedTests: 0,
  numPendingTests: 0,
  numTodoTests: 0,
  numRuntimeErrorTestSuites: 0,
  numPendingTestSuites: 0,
  numTotalTestSuites: 0,
  ...overrides,
});

describe('countsOf', () => {
  test('a suite that failed to load counts as a failure; todo tests count as skipped', () => {
    // Act
    const counts = countsOf({
      name: 'jest',
      exitCode: 1,
      results: results({ numPassedTests: 5, numFailedTests: 1, numRuntimeErrorTestSuites: 2, numTodoTests: 1 }),
    });

    // Assess
    expect(counts).toEqual({ passed: 5, failed: 3, skipped: 1 });
  });

  test('a run that failed without writing results is one failure; one that did not run is nothing', () => {
    // Act / Assess
    expect(countsOf({ name: 'jest', exitCode: 2, results: undefined })).toEqual({ passed: 0, failed: 1, skipped: 0 });
    expect(countsOf({ name: 'ric', exitCode: 0, results: undefined })).toEqual({ passed: 0, failed: 0, skipped: 0 });
  });
});

describe('summaryLines', () => {
  test('lists each skipped suite with what is missing, one install line per system, and ends with the totals', () => {
    // Prepare
    const runs = [
      {
        name: 'jest',
        exitCode: 0,
        results: results({ numPassedTests: 40, numPendingTests: 9, numPendingTestSuites: 1, numTotalTestSuites: 12 }),
      },
      { name: 'ric', exitCode: 0, results: results({ numPassedTests: 7, numPendingTests: 2 }) },
    ];
    const records = [
      { suite: 'test/e2e/curl.test.ts', outcome: 'skipped' as const, missing: [missingTool(CURL, 'not on PATH')] },
      {
        suite: 'test/e2e/downloads.test.ts',
        outcome: 'skipped' as const,
        missing: [missingTool(CURL, 'not on PATH'), missingTool(ARIA2C, 'aria2c not found on PATH')],
      },
    ];

    // Act
    const lines = summaryLines(runs, records);

    // Assess
    expect(lines).toContain('jest: passed 40, failed 0, skipped 9 (1 of 12 suites skipped), exit code 0');
    expect(lines).toContain('  SKIPPED test/e2e/downloads.test.ts');
    expect(lines).toContain('    missing curl: not on PATH');
    expect(lines).toContain('    missing aria2c: aria2c not found on PATH');
    expect(lines).toContain('  Debian/Ubuntu: sudo apt-get install --no-install-recommends curl aria2');
    expect(lines).toContain('  macOS: brew install curl aria2');
    expect(lines.at(-1)).toBe('summary: 47 passed, 0 failed, 11 skipped');
  });

  test('says so when nothing was skipped; only the last line has the "N passed, N failed" shape', () => {
    // Act
    const lines = summaryLines([{ name: 'jest', exitCode: 1, results: results({ numFailedTests: 2 }) }], []);

    // Assess
    expect(lines).toContain('Nothing was skipped for lack of a tool.');
    expect(lines.filter((line) => /^(\w+: )?\d+ passed, \d+ failed/.test(line))).toEqual([
      'summary: 0 passed, 2 failed, 0 skipped',
    ]);
    expect(lines.at(-1)).toBe('summary: 0 passed, 2 failed, 0 skipped');
  });
});
