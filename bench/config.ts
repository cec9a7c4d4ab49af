/**
 * What the benchmark does, in one place. Environment switches (anything else starting with BENCH_ is a typo
 * and fails loudly):
 * - BENCH_QUICK=1     small objects and few samples: checks the harness end to end in ~30 s; numbers are
 *                     not comparable with a full run (written to bench/results/quick.{md,json}).
 * - BENCH_CPU_PROF=1  start the function process with --cpu-prof (profiles land in bench/results/profiles/).
 * Command line: `npm run bench -- --only cold-start` runs the cold-start part alone (a few minutes; results in
 * bench/results/cold-start.{md,json}), for a quieter measurement on a shared machine.
 */
const MIB = 1024 * 1024;

const KNOWN = new Set(['BENCH_QUICK', 'BENCH_CPU_PROF']);

function flag(name: string): boolean {
  const value = process.env[name];
  if (value === undefined || value === '' || value === '0') return false;
  if (value === '1') return true;
  throw new Error(`${name} must be 0 or 1, got "${value}"`);
}

export function loadBenchConfig() {
  for (const name of Object.keys(process.env)) {
    if (name.startsWith('BENCH_') && !KNOWN.has(name)) {
      throw new Error(`unknown benchmark setting ${name} (known: ${[...KNOWN].join(', ')})`);
    }
  }
  const quick = flag('BENCH_QUICK');
  return {
    quick,
    cpuProfile: flag('BENCH_CPU_PROF'),
    bucket: 'bench-media',
    objects: {
      /** Probes (`bytes=0-1`) and the cold-start request. */
      small: { key: 'bench/small-1MiB.mp4', size: 1 * MIB },
      /** Mid-file 64 KiB ranges and the throughput reads. */
      medium: { key: 'bench/medium-256MiB.mp4', size: (quick ? 32 : 256) * MIB },
      /** Memory while streaming. */
      large: { key: 'bench/large-1GiB.mp4', size: (quick ? 128 : 1024) * MIB },
    },
    ttfb: {
      warmUp: quick ? 20 : 100,
      sequential: quick ? 40 : 200,
      concurrency: 32,
      /** Requests per concurrent client: 32 x 24 = 768 samples per path. */
      perClient: quick ? 4 : 24,
      rounds: 4,
      rangeLength: 64 * 1024,
    },
    throughput: {
      reps: quick ? 1 : 3,
      /** The explicit large range: bytes=0-(128 MiB - 1). */
      explicitLength: (quick ? 16 : 128) * MIB,
    },
    memory: {
      /** 1 GiB as 8 consecutive explicit ranges (a single 1 GiB answer exceeds the 190 MiB response budget). */
      rangeLength: (quick ? 32 : 128) * MIB,
    },
    /** Sequential warm requests per playlist (generated and stored), after `warmUp` unmeasured ones. */
    playlists: { requests: quick ? 50 : 300, warmUp: quick ? 10 : 50 },
    /** Fresh processes per subject (round-robin) under the runtime interface client, and for the bundle alone. */
    coldStart: { runs: quick ? 3 : 9 },
    /**
     * Process CPU per small request (`requests` per target, in `rounds` rounds taking the targets in turn) and per
     * GiB (two explicit ranges of the medium object).
     */
    cpuCost: {
      requests: quick ? 50 : 800,
      rounds: quick ? 2 : 8,
      rangeLength: (quick ? 16 : 128) * MIB,
      ranges: quick ? 2 : 6,
      memoryRanges: 2,
    },
    /**
     * The deployed bundle against the seed pattern (bench/peer-function/handler.ts: GetObject with the viewer's
     * Range piped to the response stream), both as Lambda handlers under aws-lambda-ric with the template's
     * NODE_OPTIONS, in the same run. The local emulator is not scored: its URL must be faithful, not fast.
     */
    targets: {
      /** Cold start CPU (spawn to first response complete), deployed bundle / seed pattern. */
      coldStartCpuRatio: 0.75,
      /** Import + first response of the bundle alone (in-process probe), CPU. */
      bundleAloneCpuMs: 100,
      cpuPerRequestRatio: 1,
      cpuPerGibRatio: 0.8,
      /** RSS growth streaming 256 MiB: ratio to the seed pattern's, and an absolute bound (MiB = 2^20 bytes). */
      rssGrowthRatio: 0.75,
      rssGrowthBytes: 40 * MIB,
    },
  } as const;
}

export type BenchConfig = ReturnType<typeof loadBenchConfig>;
