/**
 * The targets block of `npm run bench` (bench/report.ts `verdicts`): each target is judged on the deployed bundle
 * against the seed pattern of the same run, and the lines name the floors measured beside them, so a missed
 * target reads with what blocks it.
 */
import { COLD_START_ROWS, type ColdStartSection, SEED_ALONE } from '../../../bench/cold-start/section.ts';
import { loadBenchConfig } from '../../../bench/config.ts';
import type { CpuCostResult } from '../../../bench/measure/cpu-cost.ts';
import { type BenchResults, CPU_ROWS, verdicts } from '../../../bench/report.ts';

const MIB = 1024 * 1024;

const cpuRow = (label: string, msPerRequest: number, sPerGiB: number, idleMiB: number, growthMiB: number) =>
  ({
    label,
    requests: 800,
    cpuMsPerRequest: msPerRequest,
    bytes: 768 * MIB,
    memoryBytes: 256 * MIB,
    cpuSecondsPerGiB: sPerGiB,
    idleRss: idleMiB * MIB,
    peakRss: (idleMiB + growthMiB) * MIB,
    rssGrowth: growthMiB * MIB,
    processes: 1,
  }) satisfies CpuCostResult;

const coldStart = {
  ric: [
    { label: COLD_START_ROWS.floor, median: { firstResponseCpuMs: 120 } },
    { label: COLD_START_ROWS.seed, median: { firstResponseCpuMs: 250 } },
    { label: COLD_START_ROWS.product, median: { firstResponseCpuMs: 270 } },
  ],
  variants: [{ label: SEED_ALONE, medianCpuMs: 140 }],
  bundleAlone: { medianCpuMs: 150 },
} as unknown as ColdStartSection;

function resultsWith(cpuCost: readonly CpuCostResult[]): BenchResults {
  return { coldStart, cpuCost } as unknown as BenchResults;
}

const seedAndProduct = [
  cpuRow(CPU_ROWS.ric, 2.8, 3.2, 100, 36),
  cpuRow(CPU_ROWS.ricPeer, 2.5, 2.6, 95, 50),
  cpuRow(CPU_ROWS.ricFixedParts, 2.75, 2.8, 100, 45),
  cpuRow(CPU_ROWS.ricDefaultMalloc, 2.9, 6.4, 100, 40),
  cpuRow(CPU_ROWS.ricFloor, 0.9, 0.9, 80, 12),
];

describe('verdicts', () => {
  test('judge each target on the ratio to the seed pattern and name the floors beside it', () => {
    // Prepare
    const results = resultsWith(seedAndProduct);

    // Act
    const list = verdicts(results, loadBenchConfig());

    // Assess
    const line = (start: string) => {
      const found = list.find((v) => v.target.startsWith(start));
      if (found === undefined) throw new Error(`no verdict starting "${start}"`);
      return found;
    };
    expect(line('cold start CPU')).toMatchObject({ pass: false, measured: expect.stringContaining('(1.08×)') });
    expect(line('cold start CPU').measured).toContain("the handler's share 150.00 ms vs 130.00 ms");
    expect(line('the bundle alone')).toMatchObject({ pass: false });
    expect(line('the bundle alone').measured).toContain('the seed pattern alone 140.00 ms');
    const perRequest = line('CPU per small request');
    expect(perRequest.pass).toBe(false);
    expect(perRequest.measured).toContain('2.80 ms vs 2.50 ms (1.12×)');
    expect(perRequest.measured).toContain('the seed pattern inside middy with the same log line 2.75 ms (1.10×)');
    expect(perRequest.measured).toContain('the deployed bundle 1.02× of that');
    const perGib = line('CPU per GiB');
    expect(perGib.pass).toBe(false);
    expect(perGib.measured).toContain('3.20 s vs 2.60 s (1.23×)');
    expect(perGib.measured).toContain("with glibc's default trimming 6.40 s (2.46×)");
    const rss = line('RSS growth');
    expect(rss).toMatchObject({ pass: true, measured: expect.stringContaining('36.0 MiB vs 50.0 MiB (0.72×)') });
    expect(rss.measured).toContain("peak RSS 136.0 MiB, with glibc's default trimming 140.0 MiB");
  });

  test('a target met by the ratio but not by the absolute bound is missed', () => {
    // Prepare: 0.70x the seed pattern's growth, but 42 MiB
    const results = resultsWith([cpuRow(CPU_ROWS.ric, 2, 2, 100, 42), cpuRow(CPU_ROWS.ricPeer, 2, 2, 100, 60)]);

    // Act
    const rss = verdicts(results, loadBenchConfig()).find((v) => v.target.startsWith('RSS growth'));

    // Assess
    expect(rss).toMatchObject({ pass: false, measured: expect.stringContaining('(0.70×)') });
  });
});
