/**
 * The README's memory-size cost table is computed by bench/cost-table.ts from a bench run (issue 11). Checked
 * against the model by hand: inputs from the 2026-12-01 17:31 run (5.78 ms per request, 7.92 s per GiB, 322 ms
 * init CPU) gave this table when it was still worked out on paper.
 */
import { costTable } from '../../../bench/cost-table.ts';

describe('costTable', () => {
  test('reproduces the hand-computed table for the same inputs', () => {
    // Prepare
    const inputs = { cpuMsPerRequest: 5.78, cpuSecondsPerGiB: 7.92, initCpuMs: 322 };

    // Act
    const rows = costTable(inputs);

    // Assess
    const rounded = rows.map((row) => [
      row.memoryMb,
      Number(row.ttfbOverheadMs.toFixed(1)),
      Number(row.coldStartSeconds.toFixed(2)),
      Number(row.per1000Plays.toFixed(3)),
      Number(row.perTibCapped.toFixed(2)),
      Number(row.perTibLargeRanges.toFixed(2)),
    ]);
    expect(rounded).toEqual([
      [256, 39.9, 2.23, 0.026, 0.27, 1.75],
      [512, 20.0, 1.11, 0.028, 0.28, 3.5],
      [1024, 10.0, 0.56, 0.03, 0.31, 7.01],
      [1769, 5.8, 0.32, 0.034, 0.35, 12.1],
    ]);
  });

  test('large ranges are priced by the 2 MB/s transfer after 6 MB, not by CPU', () => {
    // Prepare: twice the CPU per GiB
    const base = { cpuMsPerRequest: 5, cpuSecondsPerGiB: 4, initCpuMs: 200 };

    // Act
    const [cheap] = costTable(base);
    const [dear] = costTable({ ...base, cpuSecondsPerGiB: 8 });

    // Assess: capped 206s cost more with more CPU; 128 MiB ranges wait on the transfer either way
    expect(dear?.perTibCapped).toBeGreaterThan(cheap?.perTibCapped ?? Number.POSITIVE_INFINITY);
    expect(dear?.perTibLargeRanges).toBeCloseTo(cheap?.perTibLargeRanges ?? 0, 6);
  });
});
