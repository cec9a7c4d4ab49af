/**
 * Results -> the Markdown table printed to stdout and written to bench/results/latest.md, plus the target
 * verdicts. Ratios are always against the limit (a direct read from the same S3 server in the same run).
 */
import type { BenchConfig } from './config.ts';
import type { ColdStartResult } from './measure/cold-start.ts';
import type { CpuCostResult } from './measure/cpu-cost.ts';
import type { MemoryResult } from './measure/memory.ts';
import type { ThroughputResult } from './measure/throughput.ts';
import type { TtfbResult } from './measure/ttfb.ts';
import type { MachineInfo } from './support/machine.ts';
import { PATH_DESCRIPTIONS, PATH_LABELS, type PathName } from './support/paths.ts';

export interface BenchResults {
  readonly startedAt: string;
  readonly durationSeconds: number;
  readonly quick: boolean;
  readonly machine: MachineInfo;
  /** Share of the machine's CPU used by other processes during the run (0..1). */
  readonly foreignCpuShare: number;
  readonly loadAverageAtEnd: readonly number[];
  readonly objects: Readonly<Record<string, { readonly key: string; readonly size: number }>>;
  readonly ttfb: {
    readonly probe: Record<PathName, TtfbResult>;
    readonly mid64k: Record<PathName, TtfbResult>;
  };
  readonly throughput: {
    readonly openEnded: Record<PathName, ThroughputResult>;
    readonly explicit: Record<PathName, ThroughputResult>;
    readonly explicitLength: number;
  };
  /** By row label: the product, the peer, and diagnostics. */
  readonly memory: Readonly<Record<string, MemoryResult>>;
  /** Process CPU per request and per GiB, RSS growth (issue 11); the runtime-client row needs aws-lambda-ric. */
  readonly cpuCost: readonly CpuCostResult[];
  /** Why the aws-lambda-ric rows are missing, when they are. */
  readonly ricMissing?: string;
  readonly coldStart: ColdStartResult;
  /** Informational: the cold start with other choices (no source maps; the other AWS SDK choice). */
  readonly coldStartVariants: readonly ColdStartResult[];
}

export interface Verdict {
  readonly target: string;
  readonly measured: string;
  readonly pass: boolean;
}

/** Row labels of the CPU table (bench/measure/cpu-cost.ts says which processes each one counts). */
export const CPU_ROWS = {
  ric: 'deployed bundle under aws-lambda-ric (its process)',
  ricPeer: 'diagnostic: the peer as a streaming Lambda handler under aws-lambda-ric (its process)',
  peer: 'peer (its process)',
  product: 'local Function URL + handler (whole process)',
} as const;

const MB = 1_000_000;
const MIB = 1024 * 1024;
const ms = (x: number): string => `${x.toFixed(2)} ms`;
const mb = (x: number): string => `${(x / MB).toFixed(1)} MB`;
const signedMs = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)} ms`;
const mibs = (t: ThroughputResult): string => `${t.mibPerSecond.toFixed(0)} MiB/s (${t.requests} req)`;
const sizeLabel = (bytes: number): string =>
  bytes >= 1024 ** 3 ? `${bytes / 1024 ** 3} GiB` : `${bytes / 1024 ** 2} MiB`;

export function verdicts(results: BenchResults, config: BenchConfig): Verdict[] {
  const t = config.targets;
  const list: Verdict[] = [];
  const ttfbRows: Array<[string, Record<PathName, TtfbResult>, 'sequential' | 'concurrent']> = [
    ['bytes=0-1 sequential', results.ttfb.probe, 'sequential'],
    [`bytes=0-1 ×${config.ttfb.concurrency}`, results.ttfb.probe, 'concurrent'],
    ['64 KiB mid-file sequential', results.ttfb.mid64k, 'sequential'],
    [`64 KiB mid-file ×${config.ttfb.concurrency}`, results.ttfb.mid64k, 'concurrent'],
  ];
  for (const [label, rows, mode] of ttfbRows) {
    const overhead = rows.product[mode].p50 - rows.limit[mode].p50;
    list.push({
      target: `TTFB p50 overhead, ${label} < ${t.ttfbOverheadMs} ms`,
      measured: signedMs(overhead),
      pass: overhead < t.ttfbOverheadMs,
    });
  }
  for (const [label, rows] of [
    [`${sizeLabel(results.objects.medium?.size ?? 0)} open-ended`, results.throughput.openEnded],
    ['explicit large range', results.throughput.explicit],
  ] as const) {
    const ratio = rows.product.mibPerSecond / rows.limit.mibPerSecond;
    list.push({
      target: `throughput ${label} ≥ ${t.throughputRatio}× direct`,
      measured: `${ratio.toFixed(2)}×`,
      pass: ratio >= t.throughputRatio,
    });
  }
  const product = results.memory[PATH_DESCRIPTIONS.product];
  if (product) {
    list.push({
      target: `RSS growth streaming ${sizeLabel(results.objects.large?.size ?? 0)} < ${mb(t.rssGrowthBytes)}`,
      measured: mb(product.growth),
      pass: product.growth < t.rssGrowthBytes,
    });
  }
  list.push(...versusPeer(results, config));
  list.push({
    target: `cold start (import + first response) < ${t.coldStartMs} ms`,
    measured: ms(results.coldStart.medianTotalMs),
    pass: results.coldStart.medianTotalMs < t.coldStartMs,
  });
  list.push({
    target: `bundle < ${mb(t.bundleBytes)}`,
    measured: mb(results.coldStart.bundle.bytes),
    pass: results.coldStart.bundle.bytes < t.bundleBytes,
  });
  return list;
}

/** Issue 11's targets: this origin against the hand-written peer, in the same run. */
function versusPeer(results: BenchResults, config: BenchConfig): Verdict[] {
  const t = config.targets.vsPeer;
  const list: Verdict[] = [];
  const row = (label: string): CpuCostResult | undefined => results.cpuCost.find((c) => c.label === label);
  const peer = row(CPU_ROWS.peer);
  const ric = row(CPU_ROWS.ric);
  const local = row(CPU_ROWS.product);
  // The peer's code as a streaming Lambda handler under the same client: what the runtime itself costs, shown
  // beside each deployed-bundle target so a miss says whether the handler or the runtime is over (issue 11).
  const floor = row(CPU_ROWS.ricPeer);
  const ratio = (x: number): string => `${x.toFixed(2)}×`;
  if (peer !== undefined && ric !== undefined) {
    const perRequest = ric.cpuMsPerRequest / peer.cpuMsPerRequest;
    const perRequestFloor =
      floor === undefined
        ? ''
        : `; the peer as a Lambda handler under the same client: ${ms(floor.cpuMsPerRequest)} (${ratio(floor.cpuMsPerRequest / peer.cpuMsPerRequest)} the peer; this bundle ${ratio(ric.cpuMsPerRequest / floor.cpuMsPerRequest)} it)`;
    list.push({
      target: `deployed bundle (aws-lambda-ric): CPU per small request ≤ ${t.cpuPerRequestRatio}× the peer's`,
      measured: `${ms(ric.cpuMsPerRequest)} vs ${ms(peer.cpuMsPerRequest)} (${ratio(perRequest)})${perRequestFloor}`,
      pass: perRequest <= t.cpuPerRequestRatio,
    });
    const perGib = ric.cpuSecondsPerGiB / peer.cpuSecondsPerGiB;
    const perGibFloor =
      floor === undefined
        ? ''
        : `; the peer as a Lambda handler: ${floor.cpuSecondsPerGiB.toFixed(2)} s (${ratio(floor.cpuSecondsPerGiB / peer.cpuSecondsPerGiB)} the peer; this bundle ${ratio(ric.cpuSecondsPerGiB / floor.cpuSecondsPerGiB)} it)`;
    list.push({
      target: `deployed bundle (aws-lambda-ric): CPU per GiB ≤ ${t.cpuPerGibRatio}× the peer's`,
      measured: `${ric.cpuSecondsPerGiB.toFixed(2)} s vs ${peer.cpuSecondsPerGiB.toFixed(2)} s (${ratio(perGib)})${perGibFloor}`,
      pass: perGib <= t.cpuPerGibRatio,
    });
    list.push({
      target: `deployed bundle (aws-lambda-ric): RSS growth streaming ${sizeLabel(ric.bytes)} < ${t.rssGrowthBytes / MIB} MiB`,
      measured: `${(ric.rssGrowth / MIB).toFixed(1)} MiB`,
      pass: ric.rssGrowth < t.rssGrowthBytes,
    });
  }
  list.push({
    target: `deployed bundle: import + first response ≤ ${t.initCpuMs} ms CPU`,
    measured: ms(results.coldStart.medianCpuMs),
    pass: results.coldStart.medianCpuMs <= t.initCpuMs,
  });
  const { openEnded, explicit } = results.throughput;
  const exact = explicit.product.mibPerSecond / explicit.peer.mibPerSecond;
  list.push({
    target: `local Function URL: exact range throughput ≥ ${t.exactThroughputRatio}× the peer's`,
    measured: ratio(exact),
    pass: exact >= t.exactThroughputRatio,
  });
  const browser = openEnded.product.mibPerSecond / explicit.product.mibPerSecond;
  list.push({
    target: `local Function URL: browser path (capped 206s) ≥ ${t.browserVsExactRatio}× its exact-range path`,
    measured: ratio(browser),
    pass: browser >= t.browserVsExactRatio,
  });
  if (peer !== undefined && local !== undefined) {
    const perGib = local.cpuSecondsPerGiB / peer.cpuSecondsPerGiB;
    list.push({
      target: `local Function URL: CPU per GiB ≤ ${t.localCpuPerGibRatio}× the peer's`,
      measured: `${local.cpuSecondsPerGiB.toFixed(2)} s vs ${peer.cpuSecondsPerGiB.toFixed(2)} s (${ratio(perGib)})`,
      pass: perGib <= t.localCpuPerGibRatio,
    });
  }
  const product = results.memory[PATH_DESCRIPTIONS.product];
  if (product) {
    list.push({
      target: `local Function URL: RSS growth streaming ${sizeLabel(results.objects.large?.size ?? 0)} < ${t.rssGrowthBytes / MIB} MiB`,
      measured: `${(product.growth / MIB).toFixed(1)} MiB`,
      pass: product.growth < t.rssGrowthBytes,
    });
  }
  for (const [label, rows] of [
    ['bytes=0-1', results.ttfb.probe],
    ['64 KiB mid-file', results.ttfb.mid64k],
  ] as const) {
    const ours = rows.product.concurrent.p50 - rows.limit.concurrent.p50;
    const theirs = rows.peer.concurrent.p50 - rows.limit.concurrent.p50;
    list.push({
      target: `TTFB p50 overhead, ${label} ×${config.ttfb.concurrency} ≤ the peer's`,
      measured: `${signedMs(ours)} vs ${signedMs(theirs)}`,
      pass: ours <= theirs,
    });
  }
  return list;
}

function cpuTable(results: BenchResults): string[] {
  const lines = [
    '| process | CPU per `bytes=0-1` request | CPU per GiB streamed | idle RSS | RSS growth while streaming | how |',
    '|---|---|---|---|---|---|',
  ];
  for (const c of results.cpuCost) {
    lines.push(
      `| ${c.label} | ${ms(c.cpuMsPerRequest)} | ${c.cpuSecondsPerGiB.toFixed(2)} s | ${(c.idleRss / MIB).toFixed(1)} MiB | ` +
        `${(c.rssGrowth / MIB).toFixed(1)} MiB | ${c.requests} sequential requests; ${sizeLabel(c.bytes)} as explicit ranges, every byte checked |`,
    );
  }
  if (results.ricMissing !== undefined) {
    lines.push('', `Deployed bundle under aws-lambda-ric: not measured (${results.ricMissing}).`);
  }
  return lines;
}

const ORDER: readonly PathName[] = ['limit', 'product', 'peer', 'handler'];

function ttfbTable(results: BenchResults, config: BenchConfig): string[] {
  const names = ORDER.filter((n) => n in results.ttfb.probe);
  const others = names.filter((n) => n !== 'limit');
  const lines = [
    `| request | clients | ${names.map((n) => `${PATH_LABELS[n]} p50 / p99`).join(' | ')} | ${others.map((n) => `${n} − limit (p50)`).join(' | ')} |`,
    `|---|---|${names.map(() => '---|').join('')}${others.map(() => '---|').join('')}`,
  ];
  const rows: Array<[string, Record<PathName, TtfbResult>]> = [
    ['`bytes=0-1` (1 MiB object)', results.ttfb.probe],
    ['64 KiB mid-file (`bytes=a-b`)', results.ttfb.mid64k],
  ];
  for (const [label, r] of rows) {
    for (const mode of ['sequential', 'concurrent'] as const) {
      const clients = mode === 'sequential' ? '1' : String(config.ttfb.concurrency);
      const cell = (name: PathName): string => `${ms(r[name][mode].p50)} / ${ms(r[name][mode].p99)}`;
      const overhead = (name: PathName): string => signedMs(r[name][mode].p50 - r.limit[mode].p50);
      lines.push(
        `| ${label} | ${clients} (n=${r.limit[mode].n}) | ${names.map(cell).join(' | ')} | ${others.map(overhead).join(' | ')} |`,
      );
    }
  }
  return lines;
}

function throughputTable(results: BenchResults): string[] {
  const { openEnded, explicit } = results.throughput;
  const names = ORDER.filter((n) => n in openEnded);
  const others = names.filter((n) => n !== 'limit');
  const medium = sizeLabel(results.objects.medium?.size ?? 0);
  const lines = [
    `| read | ${names.map((n) => PATH_LABELS[n]).join(' | ')} | ${others.map((n) => `${n} / limit`).join(' | ')} |`,
    `|---|${names.map(() => '---|').join('')}${others.map(() => '---|').join('')}`,
  ];
  const explicitLength = sizeLabel(results.throughput.explicitLength);
  for (const [label, r] of [
    [`${medium} open-ended, \`bytes=N-\` until done`, openEnded],
    [`one explicit range, ${explicitLength} (\`bytes=0-…\`)`, explicit],
  ] as const) {
    const ratio = (name: PathName): string => `${(r[name].mibPerSecond / r.limit.mibPerSecond).toFixed(2)}×`;
    lines.push(`| ${label} | ${names.map((n) => mibs(r[n])).join(' | ')} | ${others.map(ratio).join(' | ')} |`);
  }
  return lines;
}

function memoryTable(results: BenchResults): string[] {
  const large = sizeLabel(results.objects.large?.size ?? 0);
  const row = (label: string, m: MemoryResult): string =>
    `| ${label} | ${mb(m.idleRss)} | ${mb(m.peakRss)} | ${mb(m.growth)} | ${m.growthByRange.map((g) => (g / MB).toFixed(0)).join(' → ')} | ` +
    `${m.requests} × ${sizeLabel(m.streamed / m.requests)} in ${(m.ms / 1000).toFixed(1)} s, every byte checked |`;
  return [
    `| process (streams ${large}) | idle RSS | peak RSS | growth | growth after each range (MB) | how |`,
    '|---|---|---|---|---|---|',
    ...Object.entries(results.memory).map(([label, m]) => row(label, m)),
  ];
}

function coldStartTable(results: BenchResults): string[] {
  const rows = [results.coldStart, ...results.coldStartVariants];
  const lines = [
    '| variant | NODE_OPTIONS | size | gzip | source map | import | first response | import + first response | same, CPU | whole process |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const c of rows) {
    const label = c === results.coldStart ? `**${c.label}**` : c.label;
    lines.push(
      `| ${label} | ${c.nodeOptions === '' ? '—' : `\`${c.nodeOptions}\``} | ${mb(c.bundle.bytes)} | ${mb(c.bundle.gzipBytes)} | ${mb(c.bundle.sourceMapBytes)} | ` +
        `${ms(c.medianImportMs)} | ${ms(c.medianFirstResponseMs)} | ${ms(c.medianTotalMs)} | ${ms(c.medianCpuMs)} | ${ms(c.medianProcessMs)} |`,
    );
  }
  return lines;
}

export function renderMarkdown(results: BenchResults, config: BenchConfig): string {
  const m = results.machine;
  const v = verdicts(results, config);
  const lines = [
    `### Benchmark results${results.quick ? ' (QUICK mode: small objects, not comparable)' : ''}`,
    '',
    `Run ${results.startedAt}, ${results.durationSeconds.toFixed(0)} s. Machine: ${m.cpuModel}, ${m.cores} cores, ` +
      `${(m.memoryBytes / 1024 ** 3).toFixed(1)} GiB RAM, Node ${m.node}, ${m.kernel}, load average at start ` +
      `${m.loadAverage.join(' / ')} (at end ${results.loadAverageAtEnd.join(' / ')}). Other processes used ` +
      `${(results.foreignCpuShare * 100).toFixed(0)}% of the machine's CPU during the run.`,
    '',
    ...(results.foreignCpuShare > 0.1
      ? [
          `> **Warning:** other work used ${(results.foreignCpuShare * 100).toFixed(0)}% of the CPU during this run; ` +
            'on a 2-core machine that skews every number (latency tails and throughput most). Re-run on a quiet machine.',
          '',
        ]
      : []),
    '**Targets** (product vs the direct read, and issue 11: this origin vs the peer, same run)',
    '',
    '| target | measured | result |',
    '|---|---|---|',
    ...v.map((x) => `| ${x.target} | ${x.measured} | ${x.pass ? 'PASS' : 'MISS'} |`),
    '',
    '**Time to first body byte** (client-side, ms; limit = direct GET to the S3 server)',
    '',
    ...ttfbTable(results, config),
    '',
    '**Throughput** (median of runs; open-ended reads follow the capped 206s like a browser)',
    '',
    ...throughputTable(results),
    '',
    '**CPU and memory per request and per GiB** (kernel accounting from /proc: user + system CPU of the named process(es); MiB = 2^20 bytes)',
    '',
    ...cpuTable(results),
    '',
    '**Memory of the serving process** (RSS from /proc; MB = 10^6 bytes)',
    '',
    ...memoryTable(results),
    '',
    `**Cold start** (fresh Node process each run, median of ${results.coldStart.runs.length}; the deployed bundle is the target row)`,
    '',
    ...coldStartTable(results),
    '',
    `Largest parts of the deployed bundle: ${results.coldStart.bundle.topPackages.map((p) => `${p.name} ${(p.bytes / 1000).toFixed(0)} kB`).join(', ')}.`,
    '',
  ];
  return lines.join('\n');
}
