/**
 * The memory-size cost table of docs/performance.md, computed from one `npm run bench` run instead of by hand:
 * the deployed bundle's CPU per small request and per GiB under aws-lambda-ric, and its cold start split into
 * init (spawn to the client's first request for work) and the first request, turned into modelled latency and
 * cost at 256, 512, 1024 and 1769 MB on arm64.
 *
 * Model (docs/performance.md states it with its sources):
 * - Invocations get CPU in proportion to memory, a full vCPU at 1,769 MB
 *   (https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html): CPU-bound time is CPU / share.
 * - Init runs without that throttle (community measurements, not an AWS document: init durations are flat across
 *   memory sizes), so its wall time is taken as its CPU on one full core; it has been billed like the invoke
 *   phase since 2025-08-01 (https://aws.amazon.com/blogs/compute/aws-lambda-standardizes-billing-for-init-phase/).
 *   The first request after it is throttled like any other.
 * - Every request also waits S3_WAIT_MS for S3's first byte (assumed, not measurable here); a response's bytes
 *   beyond the first 6 MB stream at ~2 MB/s (https://docs.aws.amazon.com/lambda/latest/dg/configuration-response-streaming.html),
 *   and a request lasts the longer of its CPU time and its transfer time. List prices, us-east-1, arm64, no free tier.
 *
 * `node bench/cost-table.ts [bench/results/latest.json]` prints the Markdown table.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { COLD_START_ROWS } from './cold-start/section.ts';
import { CPU_ROWS } from './report.ts';

const PRICE_PER_GB_SECOND = 0.0000133334;
const PRICE_PER_REQUEST = 0.2 / 1_000_000;
const FULL_VCPU_MB = 1769;
const S3_WAIT_MS = 20;
const UNTHROTTLED_BYTES = 6_000_000;
const THROTTLED_BYTES_PER_SECOND = 2_000_000;
const MIB = 1024 * 1024;
const TIB = 1024 ** 4;
const MEMORY_SIZES = [256, 512, 1024, 1769] as const;

export interface CostInputs {
  readonly cpuMsPerRequest: number;
  readonly cpuSecondsPerGiB: number;
  /** CPU from the runtime's spawn to its first request for work (Node, the client, the bundle's import). */
  readonly initCpuMs: number;
  /** CPU of the first request after init (first-call compilation, first connection, first signing). */
  readonly firstRequestCpuMs: number;
}

export interface CostRow {
  readonly memoryMb: number;
  readonly share: number;
  readonly ttfbOverheadMs: number;
  /** Init (unthrottled) + the first request (throttled) + S3's wait. */
  readonly coldStartSeconds: number;
  /** What one cold start (init + first request) is billed. */
  readonly perColdStart: number;
  readonly per1000Plays: number;
  readonly perTibCapped: number;
  readonly perTibLargeRanges: number;
}

/** Seconds one response of `bytes` keeps the function busy, and what it costs, at `memoryMb`. */
function response(inputs: CostInputs, memoryMb: number, bytes: number): number {
  const share = Math.min(1, memoryMb / FULL_VCPU_MB);
  const cpuSeconds = (inputs.cpuMsPerRequest / 1000 + (bytes / 1024 ** 3) * inputs.cpuSecondsPerGiB) / share;
  const transferSeconds = Math.max(0, bytes - UNTHROTTLED_BYTES) / THROTTLED_BYTES_PER_SECOND;
  const seconds = Math.max(cpuSeconds, transferSeconds) + S3_WAIT_MS / 1000;
  return (memoryMb / 1024) * seconds * PRICE_PER_GB_SECOND + PRICE_PER_REQUEST;
}

export function costTable(inputs: CostInputs): CostRow[] {
  return MEMORY_SIZES.map((memoryMb) => {
    const share = Math.min(1, memoryMb / FULL_VCPU_MB);
    // A play: one `bytes=0-1` probe, then 20 browser-capped 5 MiB 206s (100 MiB, a few minutes of 720p).
    const play = response(inputs, memoryMb, 2) + 20 * response(inputs, memoryMb, 5 * MIB);
    const coldStartSeconds = inputs.initCpuMs / 1000 + inputs.firstRequestCpuMs / 1000 / share + S3_WAIT_MS / 1000;
    return {
      memoryMb,
      share,
      ttfbOverheadMs: inputs.cpuMsPerRequest / share,
      coldStartSeconds,
      perColdStart: (memoryMb / 1024) * coldStartSeconds * PRICE_PER_GB_SECOND,
      per1000Plays: 1000 * play,
      perTibCapped: (TIB / (5 * MIB)) * response(inputs, memoryMb, 5 * MIB),
      perTibLargeRanges: (TIB / (128 * MIB)) * response(inputs, memoryMb, 128 * MIB),
    };
  });
}

export function renderCostTable(rows: readonly CostRow[], defaultMb: number): string {
  const money = (x: number): string => `$${x < 1 ? x.toFixed(3) : x.toFixed(2)}`;
  const lines = [
    '| memory | CPU share | modelled TTFB overhead (small request) | modelled cold start (init unthrottled + first request / share) | billed per 1,000 cold starts | per 1,000 plays | per TiB as 5 MiB capped 206s (browsers) | per TiB as 128 MiB ranges (2 MB/s after 6 MB) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    const memory = row.memoryMb === defaultMb ? `**${row.memoryMb} MB** (default)` : `${row.memoryMb} MB`;
    lines.push(
      `| ${memory} | ${row.share.toFixed(2)} | ${row.ttfbOverheadMs.toFixed(1)} ms | ${row.coldStartSeconds.toFixed(2)} s | ${money(1000 * row.perColdStart)} | ${money(row.per1000Plays)} | ${money(row.perTibCapped)} | ${money(row.perTibLargeRanges)} |`,
    );
  }
  return lines.join('\n');
}

interface LatestResults {
  readonly cpuCost?: ReadonlyArray<{
    readonly label: string;
    readonly cpuMsPerRequest: number;
    readonly cpuSecondsPerGiB: number;
  }>;
  readonly coldStart: {
    readonly ric: ReadonlyArray<{
      readonly label: string;
      readonly median: { readonly initCpuMs: number; readonly firstResponseCpuMs: number };
    }>;
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv[2] ?? fileURLToPath(new URL('./results/latest.json', import.meta.url));
  const results = JSON.parse(readFileSync(file, 'utf8')) as LatestResults;
  const deployed = results.cpuCost?.find((row) => row.label === CPU_ROWS.ric);
  const cold = results.coldStart.ric.find((row) => row.label === COLD_START_ROWS.product);
  if (deployed === undefined || cold === undefined) {
    throw new Error(`${file} has no aws-lambda-ric rows for the deployed bundle (a full run with aws-lambda-ric?)`);
  }
  const { MEDIA_ORIGIN_DEFAULTS } = await import('../lib/media-origin-props.ts');
  const inputs: CostInputs = {
    cpuMsPerRequest: deployed.cpuMsPerRequest,
    cpuSecondsPerGiB: deployed.cpuSecondsPerGiB,
    initCpuMs: cold.median.initCpuMs,
    firstRequestCpuMs: cold.median.firstResponseCpuMs - cold.median.initCpuMs,
  };
  console.log(
    `Inputs: CPU per small request ${inputs.cpuMsPerRequest.toFixed(2)} ms, per GiB ${inputs.cpuSecondsPerGiB.toFixed(2)} s, ` +
      `init ${inputs.initCpuMs.toFixed(0)} ms CPU, first request ${inputs.firstRequestCpuMs.toFixed(0)} ms CPU\n`,
  );
  console.log(renderCostTable(costTable(inputs), MEDIA_ORIGIN_DEFAULTS.memorySize));
}
