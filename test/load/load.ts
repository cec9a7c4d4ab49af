/**
 * The load engine shared by `npm run test:load` (test/load/run.ts, >= 200 viewers for >= 30 s) and the short
 * jest version (test/reliability/load-short.test.ts): N concurrent viewers loop over range requests the way
 * players send them — 2-byte probes (Safari's `bytes=0-1`), 64 KiB segments, 1 MiB reads, open-ended `bytes=N-`
 * (Chrome/Firefox) — and a share of them leave mid-body like a seek does. Every answer goes through the shared
 * invariant (test/reliability/support/invariant.ts); an aborted request is counted apart, never as an error.
 */
import http from 'node:http';
import { seededRandom } from '../../bench/support/stats.ts';
import { checkResponse, InvariantViolation, type StoredVersions } from '../reliability/support/invariant.ts';
import { BROWSER_USER_AGENT } from '../support/user-agents.ts';
import { type ViewerResult, viewerRequest } from '../support/viewer-request.ts';

export type RequestKind = 'probe' | '64KiB' | '1MiB' | 'open-ended';

export interface LoadOptions {
  /** Full URL of the object on the Function URL. */
  readonly url: string;
  /** The stored object, by ETag (one version: the load never overwrites). */
  readonly versions: StoredVersions;
  readonly size: number;
  readonly concurrency: number;
  readonly durationMs: number;
  /** Share of viewers that leave mid-body (0..1). */
  readonly abortRatio: number;
  /** Seed for the request mix, so a failing run can be replayed. */
  readonly seed?: number;
  /** Per-request safety net; a request that needs it is an error (a hang). */
  readonly requestTimeoutMs?: number;
  /** OPEN_RANGE_CAP_BYTES of the function, to check open-ended answers' length. */
  readonly openRangeCapBytes: number;
}

export interface Percentiles {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface LoadReport {
  readonly concurrency: number;
  readonly durationMs: number;
  readonly requests: number;
  readonly completed: number;
  readonly aborted: number;
  readonly errors: number;
  readonly violations: number;
  /** First few error descriptions, for the report. */
  readonly errorSamples: readonly string[];
  readonly bytes: number;
  readonly byKind: Readonly<Record<RequestKind, number>>;
  readonly statuses: Readonly<Record<string, number>>;
  /** Milliseconds, completed requests only. */
  readonly latency: Percentiles;
  readonly firstByte: Percentiles;
}

export function percentiles(values: readonly number[]): Percentiles {
  if (values.length === 0) return { p50: 0, p99: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? 0 };
}

interface Planned {
  readonly kind: RequestKind;
  readonly range: string;
  /** The exact slice a correct 206 carries. */
  readonly start: number;
  readonly end: number;
  readonly abortAfterBytes?: number;
}

function plan(random: () => number, size: number, abortRatio: number, cap: number): Planned {
  const roll = random();
  const pick = (length: number): { start: number; end: number } => {
    const start = Math.floor(random() * Math.max(1, size - length));
    return { start, end: Math.min(size - 1, start + length - 1) };
  };
  let kind: RequestKind;
  let start: number;
  let end: number;
  let range: string;
  if (roll < 0.3) {
    kind = 'probe';
    start = 0;
    end = 1;
    range = 'bytes=0-1';
  } else if (roll < 0.6) {
    kind = '64KiB';
    ({ start, end } = pick(64 * 1024));
    range = `bytes=${start}-${end}`;
  } else if (roll < 0.85) {
    kind = '1MiB';
    ({ start, end } = pick(1024 * 1024));
    range = `bytes=${start}-${end}`;
  } else {
    kind = 'open-ended';
    start = Math.floor(random() * size);
    // Sent with a browser User-Agent (Chrome/Firefox send these): the function answers at most
    // OPEN_RANGE_CAP_BYTES, with a truthful Content-Range. Other clients would get the whole remainder.
    end = Math.min(size - 1, start + cap - 1);
    range = `bytes=${start}-`;
  }
  // Probes are 2 bytes: nothing to leave in the middle of. The others leave with the given probability,
  // somewhere inside the body (at least one byte in, never the last byte).
  const length = end - start + 1;
  if (kind !== 'probe' && length > 2 && random() < abortRatio / 0.7) {
    return { kind, range, start, end, abortAfterBytes: 1 + Math.floor(random() * (length - 2)) };
  }
  return { kind, range, start, end };
}

/** Why a finished (not aborted) request is an error, or undefined when it is exactly right. */
function judge(result: ViewerResult, planned: Planned, versions: StoredVersions): string | undefined {
  if (result.timedOut) return `${planned.range}: timed out (a hang)`;
  if (result.error !== undefined && result.status === 0) return `${planned.range}: ${result.error}`;
  if (result.status !== 206) return `${planned.range}: status ${result.status}`;
  const contentRange = result.headers['content-range'];
  if (contentRange !== `bytes ${planned.start}-${planned.end}/${sizeOf(versions)}`) {
    return `${planned.range}: Content-Range ${String(contentRange)}, expected bytes ${planned.start}-${planned.end}`;
  }
  const verdict = checkResponse(result, versions);
  if (verdict.kind !== 'exact') return `${planned.range}: ${JSON.stringify(verdict)}`;
  return undefined;
}

function sizeOf(versions: StoredVersions): number {
  const [only] = versions.values();
  return only?.length ?? 0;
}

export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  // The benchmark's deterministic PRNG, so a run's request mix can be replayed from its seed.
  const random = seededRandom(options.seed ?? 0x5eed);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const latencies: number[] = [];
  const firstBytes: number[] = [];
  const errorSamples: string[] = [];
  const byKind: Record<RequestKind, number> = { probe: 0, '64KiB': 0, '1MiB': 0, 'open-ended': 0 };
  const statuses: Record<string, number> = {};
  let requests = 0;
  let completed = 0;
  let aborted = 0;
  let errors = 0;
  let violations = 0;
  let bytes = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;

  const record = (message: string): void => {
    errors += 1;
    if (errorSamples.length < 10) errorSamples.push(message);
  };

  const viewer = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const planned = plan(random, options.size, options.abortRatio, options.openRangeCapBytes);
      requests += 1;
      byKind[planned.kind] += 1;
      const result = await viewerRequest(options.url, {
        headers: {
          range: planned.range,
          ...(planned.kind === 'open-ended' ? { 'user-agent': BROWSER_USER_AGENT } : {}),
        },
        agent,
        timeoutMs: options.requestTimeoutMs ?? 30_000,
        ...(planned.abortAfterBytes === undefined ? {} : { abortAfterBytes: planned.abortAfterBytes }),
      });
      statuses[String(result.status)] = (statuses[String(result.status)] ?? 0) + 1;
      bytes += result.body.length;
      try {
        if (result.aborted) {
          aborted += 1;
          // Even a viewer that left must only have seen correct bytes.
          const verdict = checkResponse({ ...result, complete: false }, options.versions);
          if (verdict.kind === 'server-error') record(`${planned.range}: status ${result.status} before abort`);
          continue;
        }
        const problem = judge(result, planned, options.versions);
        if (problem === undefined) {
          completed += 1;
          latencies.push(result.totalMs);
          if (result.firstByteMs !== undefined) firstBytes.push(result.firstByteMs);
        } else {
          record(problem);
        }
      } catch (error) {
        if (!(error instanceof InvariantViolation)) throw error;
        violations += 1;
        record(`${planned.range}: INVARIANT ${error.message}`);
      }
    }
  };

  await Promise.all(Array.from({ length: options.concurrency }, viewer));
  agent.destroy();
  return {
    concurrency: options.concurrency,
    durationMs: performance.now() - started,
    requests,
    completed,
    aborted,
    errors,
    violations,
    errorSamples,
    bytes,
    byKind,
    statuses,
    latency: percentiles(latencies),
    firstByte: percentiles(firstBytes),
  };
}

/** A fixed-width summary table for the console. */
export function formatReport(report: LoadReport, extra: Readonly<Record<string, string>> = {}): string {
  const ms = (n: number): string => `${n.toFixed(1)} ms`;
  const rows: Array<[string, string]> = [
    ['concurrency', String(report.concurrency)],
    ['duration', `${(report.durationMs / 1000).toFixed(1)} s`],
    ['requests', String(report.requests)],
    ['  completed (exact bytes)', String(report.completed)],
    ['  aborted by viewer', String(report.aborted)],
    ['  errors', String(report.errors)],
    ['  invariant violations', String(report.violations)],
    ['throughput', `${(report.requests / (report.durationMs / 1000)).toFixed(0)} req/s`],
    ['bytes received', `${(report.bytes / 1024 / 1024).toFixed(1)} MiB`],
    [
      'mix',
      Object.entries(report.byKind)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    ],
    [
      'statuses',
      Object.entries(report.statuses)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    ],
    ['latency p50 / p99 / max', `${ms(report.latency.p50)} / ${ms(report.latency.p99)} / ${ms(report.latency.max)}`],
    ['first byte p50 / p99', `${ms(report.firstByte.p50)} / ${ms(report.firstByte.p99)}`],
    ...Object.entries(extra),
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `| ${k.padEnd(width)} | ${v}`);
  if (report.errorSamples.length > 0) lines.push('', 'first errors:', ...report.errorSamples.map((e) => `  ${e}`));
  return lines.join('\n');
}
