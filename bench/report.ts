/**
 * Results -> the Markdown tables printed to stdout and written to bench/results/latest.md, plus the target
 * verdicts. Targets compare the deployed bundle with the seed pattern (GetObject piped to the response stream)
 * under the same runtime interface client in the same run, and show the floor (a trivial streaming handler)
 * beside them; the local emulator's figures are information only (its URL must be faithful, not fast).
 */
import { COLD_START_ROWS, type ColdStartSection, SEED_ALONE } from './cold-start/section.ts';
import type { BenchConfig } from './config.ts';
import type { ColdStartResult } from './measure/cold-start.ts';
import type { CpuCostResult } from './measure/cpu-cost.ts';
import type { MemoryResult } from './measure/memory.ts';
import type { ThroughputResult } from './measure/throughput.ts';
import type { TtfbResult } from './measure/ttfb.ts';
import { playlistsTable } from './playlists/report.ts';
import { type PlaylistsSection, STORED_PLAYLIST_KEY } from './playlists/section.ts';
import type { MachineInfo } from './support/machine.ts';
import { PATH_LABELS, type PathName } from './support/paths.ts';

export interface BenchResults {
  readonly startedAt: string;
  readonly durationSeconds: number;
  readonly quick: boolean;
  readonly machine: MachineInfo;
  /** Share of the machine's CPU used by other processes during the run (0..1). */
  readonly foreignCpuShare: number;
  readonly loadAverageAtEnd: readonly number[];
  readonly objects: Readonly<Record<string, { readonly key: string; readonly size: number }>>;
  /** Absent from a `--only cold-start` run, as are throughput, memory and cpuCost. */
  readonly ttfb?: {
    readonly probe: Record<PathName, TtfbResult>;
    readonly mid64k: Record<PathName, TtfbResult>;
  };
  readonly throughput?: {
    readonly openEnded: Record<PathName, ThroughputResult>;
    readonly explicit: Record<PathName, ThroughputResult>;
    readonly explicitLength: number;
  };
  /** By row label: the local Function URL, the peer, and diagnostics. */
  readonly memory?: Readonly<Record<string, MemoryResult>>;
  /** Process CPU per request and per GiB, RSS growth; the runtime-client rows need aws-lambda-ric. */
  readonly cpuCost?: readonly CpuCostResult[];
  /** Why the aws-lambda-ric rows are missing, when they are. */
  readonly ricMissing?: string;
  /** Absent from a `--only playlists` run. */
  readonly coldStart?: ColdStartSection;
  /** Generated HLS playlists against a stored one (absent from a `--only cold-start` run). */
  readonly playlists?: PlaylistsSection;
}

export interface Verdict {
  readonly target: string;
  readonly measured: string;
  readonly pass: boolean;
}

/** Row labels of the CPU table (bench/measure/cpu-cost.ts says which processes each one counts). */
export const CPU_ROWS = {
  ric: 'deployed bundle under aws-lambda-ric (its process)',
  ricPeer: 'seed pattern as a streaming Lambda handler under aws-lambda-ric (its process)',
  ricFixedParts:
    "floor of the design's fixed parts: the seed pattern inside middy's streaming mode, with the product's request log line, under aws-lambda-ric (its process)",
  ricFloor: 'floor: the bytes generated in a streaming handler, no S3, no SDK, under aws-lambda-ric (its process)',
  ricNoRequestLine:
    'diagnostic: deployed bundle without its request log line (POWERTOOLS_LOG_LEVEL=WARN) under aws-lambda-ric (its process)',
  ricDefaultMalloc:
    "diagnostic: deployed bundle with glibc's default heap trimming (GLIBC_TUNABLES empty) under aws-lambda-ric (its process)",
  peer: 'information: the peer as a plain HTTP server (its process)',
  product: 'information: local Function URL + handler (whole process)',
} as const;

const MB = 1_000_000;
const MIB = 1024 * 1024;
const ms = (x: number): string => `${x.toFixed(2)} ms`;
const mb = (x: number): string => `${(x / MB).toFixed(1)} MB`;
const signedMs = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)} ms`;
const mibs = (t: ThroughputResult): string => `${t.mibPerSecond.toFixed(0)} MiB/s (${t.requests} req)`;
const sizeLabel = (bytes: number): string =>
  bytes >= 1024 ** 3 ? `${bytes / 1024 ** 3} GiB` : `${bytes / 1024 ** 2} MiB`;

const ratio = (x: number): string => `${x.toFixed(2)}×`;
const mib = (bytes: number): string => `${(bytes / MIB).toFixed(1)} MiB`;

/** The targets: the deployed bundle against the seed pattern under the same client, the floor shown beside. */
export function verdicts(results: BenchResults, config: BenchConfig): Verdict[] {
  const t = config.targets;
  const list: Verdict[] = [];
  const cold = results.coldStart;
  if (cold === undefined) return list;
  const coldRow = (label: string) => cold.ric.find((r) => r.label === label);
  const seedCold = coldRow(COLD_START_ROWS.seed);
  const productCold = coldRow(COLD_START_ROWS.product);
  const floorCold = coldRow(COLD_START_ROWS.floor);
  if (seedCold !== undefined && productCold !== undefined) {
    const r = productCold.median.firstResponseCpuMs / seedCold.median.firstResponseCpuMs;
    const floor =
      floorCold === undefined
        ? ''
        : `; floor ${ms(floorCold.median.firstResponseCpuMs)}, so the handler's share ${ms(productCold.median.firstResponseCpuMs - floorCold.median.firstResponseCpuMs)} vs ${ms(seedCold.median.firstResponseCpuMs - floorCold.median.firstResponseCpuMs)}`;
    list.push({
      target: `cold start CPU (spawn to first response, aws-lambda-ric) ≤ ${t.coldStartCpuRatio}× the seed pattern's`,
      measured: `${ms(productCold.median.firstResponseCpuMs)} vs ${ms(seedCold.median.firstResponseCpuMs)} (${ratio(r)})${floor}`,
      pass: r <= t.coldStartCpuRatio,
    });
  }
  const seedAlone = cold.variants.find((v) => v.label === SEED_ALONE);
  list.push({
    target: `the bundle alone: import + first response ≤ ${t.bundleAloneCpuMs} ms CPU`,
    measured: `${ms(cold.bundleAlone.medianCpuMs)}${seedAlone === undefined ? '' : `; the seed pattern alone ${ms(seedAlone.medianCpuMs)}`}`,
    pass: cold.bundleAlone.medianCpuMs <= t.bundleAloneCpuMs,
  });
  const row = (label: string): CpuCostResult | undefined => results.cpuCost?.find((c) => c.label === label);
  const seed = row(CPU_ROWS.ricPeer);
  const ric = row(CPU_ROWS.ric);
  const floor = row(CPU_ROWS.ricFloor);
  const noRequestLine = row(CPU_ROWS.ricNoRequestLine);
  const defaultMalloc = row(CPU_ROWS.ricDefaultMalloc);
  const fixedParts = row(CPU_ROWS.ricFixedParts);
  if (seed !== undefined && ric !== undefined) {
    const perRequest = ric.cpuMsPerRequest / seed.cpuMsPerRequest;
    const requestFloor =
      (floor === undefined
        ? ''
        : `; floor ${ms(floor.cpuMsPerRequest)}, so the handler's share ${ms(ric.cpuMsPerRequest - floor.cpuMsPerRequest)} vs ${ms(seed.cpuMsPerRequest - floor.cpuMsPerRequest)}`) +
      (noRequestLine === undefined
        ? ''
        : `; without its request log line ${ms(noRequestLine.cpuMsPerRequest)} (${ratio(noRequestLine.cpuMsPerRequest / seed.cpuMsPerRequest)})`) +
      (fixedParts === undefined
        ? ''
        : `; the seed pattern inside middy with the same log line ${ms(fixedParts.cpuMsPerRequest)} (${ratio(fixedParts.cpuMsPerRequest / seed.cpuMsPerRequest)}), the deployed bundle ${ratio(ric.cpuMsPerRequest / fixedParts.cpuMsPerRequest)} of that`);
    list.push({
      target: `CPU per small request (aws-lambda-ric) ≤ ${t.cpuPerRequestRatio}× the seed pattern's`,
      measured: `${ms(ric.cpuMsPerRequest)} vs ${ms(seed.cpuMsPerRequest)} (${ratio(perRequest)})${requestFloor}`,
      pass: perRequest <= t.cpuPerRequestRatio,
    });
    const perGib = ric.cpuSecondsPerGiB / seed.cpuSecondsPerGiB;
    // Both run with the template's GLIBC_TUNABLES, as with its NODE_OPTIONS; the diagnostic row shows what it buys.
    const gibFloor =
      (floor === undefined ? '' : `; floor ${floor.cpuSecondsPerGiB.toFixed(2)} s`) +
      (defaultMalloc === undefined
        ? ''
        : `; with glibc's default trimming ${defaultMalloc.cpuSecondsPerGiB.toFixed(2)} s (${ratio(defaultMalloc.cpuSecondsPerGiB / seed.cpuSecondsPerGiB)})`);
    list.push({
      target: `CPU per GiB (aws-lambda-ric) ≤ ${t.cpuPerGibRatio}× the seed pattern's`,
      measured: `${ric.cpuSecondsPerGiB.toFixed(2)} s vs ${seed.cpuSecondsPerGiB.toFixed(2)} s (${ratio(perGib)})${gibFloor}`,
      pass: perGib <= t.cpuPerGibRatio,
    });
    const growth = ric.rssGrowth / Math.max(1, seed.rssGrowth);
    const growthDetail =
      (floor === undefined ? '' : `; floor ${mib(floor.rssGrowth)}`) +
      (defaultMalloc === undefined
        ? ''
        : `; peak RSS ${mib(ric.peakRss)}, with glibc's default trimming ${mib(defaultMalloc.peakRss)}`);
    list.push({
      target: `RSS growth streaming ${sizeLabel(ric.memoryBytes)} (aws-lambda-ric) ≤ ${t.rssGrowthRatio}× the seed pattern's and < ${t.rssGrowthBytes / MIB} MiB`,
      measured: `${mib(ric.rssGrowth)} vs ${mib(seed.rssGrowth)} (${ratio(growth)})${growthDetail}`,
      pass: growth <= t.rssGrowthRatio && ric.rssGrowth < t.rssGrowthBytes,
    });
  }
  return list;
}

function cpuTable(results: BenchResults): string[] {
  if (results.cpuCost === undefined) return [];
  const lines = [
    '| process | CPU per `bytes=0-1` request | CPU per GiB streamed | idle RSS | RSS growth while streaming | how |',
    '|---|---|---|---|---|---|',
  ];
  for (const c of results.cpuCost) {
    lines.push(
      `| ${c.label} | ${ms(c.cpuMsPerRequest)} | ${c.cpuSecondsPerGiB.toFixed(2)} s | ${(c.idleRss / MIB).toFixed(1)} MiB | ` +
        `${(c.rssGrowth / MIB).toFixed(1)} MiB | ${c.requests} sequential requests in rounds taking the processes in turn; ${sizeLabel(c.bytes)} as explicit ranges (RSS over the first ${sizeLabel(c.memoryBytes)}), every byte checked |`,
    );
  }
  if (results.ricMissing !== undefined) {
    lines.push('', `Deployed bundle under aws-lambda-ric: not measured (${results.ricMissing}).`);
  }
  return lines;
}

const ORDER: readonly PathName[] = ['limit', 'product', 'peer', 'handler'];

function ttfbTable(results: BenchResults, config: BenchConfig): string[] {
  const ttfb = results.ttfb;
  if (ttfb === undefined) return [];
  const names = ORDER.filter((n) => n in ttfb.probe);
  const others = names.filter((n) => n !== 'limit');
  const lines = [
    `| request | clients | ${names.map((n) => `${PATH_LABELS[n]} p50 / p99`).join(' | ')} | ${others.map((n) => `${n} − limit (p50)`).join(' | ')} |`,
    `|---|---|${names.map(() => '---|').join('')}${others.map(() => '---|').join('')}`,
  ];
  const rows: Array<[string, Record<PathName, TtfbResult>]> = [
    ['`bytes=0-1` (1 MiB object)', ttfb.probe],
    ['64 KiB mid-file (`bytes=a-b`)', ttfb.mid64k],
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
  if (results.throughput === undefined) return [];
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
  if (results.memory === undefined) return [];
  const large = sizeLabel(results.objects.large?.size ?? 0);
  const row = (label: string, m: MemoryResult): string =>
    `| ${label} | ${mb(m.idleRss)} | ${mb(m.peakRss)} | ${mb(m.growth)} | ${m.growthByRange.map((g) => (g / MB).toFixed(0)).join(' → ')} | ` +
    `${m.requests} × ${sizeLabel(m.streamed / m.requests)} in ${(m.ms / 1000).toFixed(1)} s, every byte checked |`;
  return [
    `| process (streams ${large}) | idle RSS | peak RSS | growth | growth after each range (MB) | how |`,
    '|---|---|---|---|---|---|',
    ...Object.entries(results.memory ?? {}).map(([label, m]) => row(label, m)),
  ];
}

function coldStartTables(results: BenchResults): string[] {
  const cold = results.coldStart;
  const lines: string[] = [];
  if (cold === undefined) return lines;
  if (cold.ric.length > 0) {
    lines.push(
      `Under aws-lambda-ric, NODE_OPTIONS \`${cold.nodeOptions}\`, median of ${cold.ric[0]?.runs.length ?? 0} fresh processes each (round-robin). From the spawn: init = until the client first asks for an event; first response = until the streamed response has ended. CPU: every thread of the process.`,
      '',
      '| subject | init, wall | init, CPU | first response, wall | first response, CPU | CPU above the floor |',
      '|---|---|---|---|---|---|',
    );
    const floor = cold.ric.find((r) => r.label === COLD_START_ROWS.floor)?.median.firstResponseCpuMs;
    for (const r of cold.ric) {
      const m = r.median;
      lines.push(
        `| ${r.label} | ${ms(m.initWallMs)} | ${ms(m.initCpuMs)} | ${ms(m.firstResponseWallMs)} | ${ms(m.firstResponseCpuMs)} | ${floor === undefined ? '—' : ms(m.firstResponseCpuMs - floor)} |`,
      );
    }
    lines.push('');
  }
  if (cold.ricMissing !== undefined) lines.push(`Under aws-lambda-ric: not measured (${cold.ricMissing}).`, '');
  const b = cold.breakdown;
  if (b !== undefined) {
    const p = b.phases;
    const share = (x: number): string => `${((100 * x) / b.totalMs).toFixed(0)} %`;
    const top = (list: ReadonlyArray<{ module: string; ms: number }>): string =>
      list
        .slice(0, 8)
        .map((x) => `${x.module} ${share(x.ms)}`)
        .join(', ');
    lines.push(
      `Where one profiled cold start of the deployed bundle goes (\`--cpu-prof\`, shares of ${ms(b.totalMs)} sampled up to the end of the first response; profiling slows the process, so read the shares): ` +
        `Node + runtime client start ${share(p.runtimeStartMs)}, compiling the bundle ${share(p.bundleCompileMs)}, source map ${share(p.sourceMapMs)}, ` +
        `import (module init, the handler's included) ${share(p.importMs)}, first request in the bundle ${share(p.firstRequestMs)}, ` +
        `runtime during the first request ${share(p.runtimeDuringRequestMs)}, GC ${share(p.gcMs)}, idle ${share(p.idleMs)}.`,
      '',
      `- import by module: ${top(b.importByModule)}`,
      `- first request by module: ${top(b.firstRequestByModule)}`,
      '',
    );
  }
  const rows: ColdStartResult[] = [cold.bundleAlone, ...cold.variants];
  lines.push(
    `The bundle alone (import + first response in a fresh process without the client, median of ${cold.bundleAlone.runs.length}):`,
    '',
    '| variant | NODE_OPTIONS | size | gzip | source map | import | first response | import + first response | same, CPU |',
    '|---|---|---|---|---|---|---|---|---|',
  );
  for (const c of rows) {
    const label = c === cold.bundleAlone ? `**${c.label}**` : c.label;
    lines.push(
      `| ${label} | ${c.nodeOptions === '' ? '—' : `\`${c.nodeOptions}\``} | ${mb(c.bundle.bytes)} | ${mb(c.bundle.gzipBytes)} | ${mb(c.bundle.sourceMapBytes)} | ` +
        `${ms(c.medianImportMs)} | ${ms(c.medianFirstResponseMs)} | ${ms(c.medianTotalMs)} | ${ms(c.medianCpuMs)} |`,
    );
  }
  lines.push(
    '',
    `Largest parts of the deployed bundle: ${cold.bundleAlone.bundle.topPackages.map((p) => `${p.name} ${(p.bytes / 1000).toFixed(0)} kB`).join(', ')}.`,
  );
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
    '**Targets** (the deployed bundle vs the seed pattern, both under aws-lambda-ric in this run)',
    '',
    '| target | measured | result |',
    '|---|---|---|',
    ...v.map((x) => `| ${x.target} | ${x.measured} | ${x.pass ? 'met' : 'MISSED'} |`),
    '',
    '**Cold start**',
    '',
    ...coldStartTables(results),
    '',
    ...section(
      '**CPU and memory per request and per GiB** (kernel accounting from /proc: user + system CPU of the named process(es); MiB = 2^20 bytes)',
      cpuTable(results),
    ),
    ...playlistsSection(results),
    ...section(
      '**Information: time to first body byte through the local emulator** (client-side, ms; limit = direct GET to the S3 server)',
      ttfbTable(results, config),
    ),
    ...section(
      '**Information: throughput through the local emulator** (median of runs; open-ended reads follow the capped 206s like a browser)',
      throughputTable(results),
    ),
    ...section(
      '**Information: memory of the serving process** (RSS from /proc; MB = 10^6 bytes)',
      memoryTable(results),
    ),
  ];
  return lines.join('\n');
}

function playlistsSection(results: BenchResults): string[] {
  if (results.playlists === undefined) return [];
  return section(
    `**Generated HLS playlists** (docs/hls-from-dash.md; the deployable bundle in the handler host, CPU of its process from /proc over ${results.playlists.costs[0]?.requests ?? 0} warm sequential requests each; S3 requests from the handler's log line)`,
    playlistsTable(results.playlists, STORED_PLAYLIST_KEY),
  );
}

/** `--only playlists`: the run's header and the playlists table. */
export function renderPlaylistsMarkdown(results: BenchResults): string {
  const m = results.machine;
  return [
    `### Benchmark results: generated playlists${results.quick ? ' (QUICK mode)' : ''}`,
    '',
    `Run ${results.startedAt}, ${results.durationSeconds.toFixed(0)} s. Machine: ${m.cpuModel}, ${m.cores} cores, Node ${m.node}, ` +
      `load average at start ${m.loadAverage.join(' / ')} (at end ${results.loadAverageAtEnd.join(' / ')}). Other processes used ` +
      `${(results.foreignCpuShare * 100).toFixed(0)}% of the machine's CPU during the run.`,
    '',
    ...playlistsSection(results),
  ].join('\n');
}

function section(title: string, body: readonly string[]): string[] {
  return body.length === 0 ? [] : [title, '', ...body, ''];
}
