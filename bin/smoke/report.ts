/** The PASS/FAIL table printed by `npm run smoke` (plain text, aligned, readable in a CI log). */
import type { CheckResult } from './checks.ts';

export function formatReport(url: string, results: readonly CheckResult[]): string {
  const rows = results.map((result) => [
    result.name,
    result.pass ? 'PASS' : 'FAIL',
    result.status === undefined ? '-' : String(result.status),
    result.elapsedMs === undefined ? '-' : `${Math.round(result.elapsedMs)} ms`,
    result.detail,
  ]);
  const header = ['CHECK', 'RESULT', 'STATUS', 'TIME', 'DETAIL'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  const failed = results.filter((result) => !result.pass).length;
  const verdict = failed === 0 ? `all ${results.length} checks passed` : `${failed} of ${results.length} checks FAILED`;
  return [`smoke test: ${url}`, line(header), ...rows.map(line), verdict, ''].join('\n');
}
