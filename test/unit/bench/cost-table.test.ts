/**
 * The memory-size cost table of docs/performance.md is computed by bench/cost-table.ts from a bench run. Checked
 * against the model by hand: 5.78 ms per request, 7.92 s per GiB gave the request columns when they were still
 * worked out on paper; the cold start is init (250 ms CPU, unthrottled) + the first request (72 ms CPU / share)
 * + 20 ms for S3, e.g. at 256 MB: 0.25 + 0.072 / (256 / 1769) + 0.02 = 0.77 s.
 */
import { costTable } from '../../../bench/cost-table.ts';

describe('costTable', () => {
  test('reproduces the hand-computed table for the same inputs', () => {
    // Prepare
    const inputs = { cpuMsPerRequest: 5.78, cpuSecondsPerGiB: 7.92, initCpuMs: 250, firstRequestCpuMs: 72 };

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
      [256, 39.9, 0.77, 0.026, 0.27, 1.75],
      [512, 20.0, 0.52, 0.028, 0.28, 3.5],
      [1024, 10.0, 0.39, 0.03, 0.31, 7.01],
      [1769, 5.8, 0.34, 0.034, 0.35, 12.1],
    ]);
  });

  test('large ranges are priced by the 2 MB/s transfer after 6 MB, not by CPU', () => {
    // Prepare: twice the CPU per GiB
    const base = { cpuMsPerRequest: 5, cpuSecondsPerGiB: 4, initCpuMs: 200, firstRequestCpuMs: 50 };

    // Act
    const [cheap] = costTable(base);
    const [dear] = costTable({ ...base, cpuSecondsPerGiB: 8 });

    // Assess: capped 206s cost more with more CPU; 128 MiB ranges wait on the transfer either way
    expect(dear?.perTibCapped).toBeGreaterThan(cheap?.perTibCapped ?? Number.POSITIVE_INFINITY);
    expect(dear?.perTibLargeRanges).toBeCloseTo(cheap?.perTibLargeRanges ?? 0, 6);
  });

  test('init is not throttled by memory size: only the first request is', () => {
    // Prepare: the same cold start with all its CPU in init, then all of it in the first request
    const inInit = { cpuMsPerRequest: 5, cpuSecondsPerGiB: 4, initCpuMs: 300, firstRequestCpuMs: 0 };
    const inFirstRequest = { ...inInit, initCpuMs: 0, firstRequestCpuMs: 300 };

    // Act
    const initRows = costTable(inInit);
    const requestRows = costTable(inFirstRequest);

    // Assess: moved into init, the cold start is as fast at 256 MB as at 1769 MB; in the first request it is not
    expect(initRows[0]?.coldStartSeconds).toBeCloseTo(initRows[3]?.coldStartSeconds ?? 0, 6);
    expect(requestRows[0]?.coldStartSeconds).toBeGreaterThan(5 * (requestRows[3]?.coldStartSeconds ?? 0));
  });
});
