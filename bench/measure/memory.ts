/**
 * Memory of a serving process while it streams a 1 GiB object: idle RSS (after warm-up, process quiet) vs
 * peak RSS during the stream. The stream is consecutive explicit ranges (default 128 MiB each) because a
 * single 1 GiB answer exceeds the product's response budget (MAX_RESPONSE_BYTES, 190 MiB) and would be
 * redirected to S3 — which would measure nothing. Every byte is compared with what was stored, and the client
 * reads as fast as it can check, so a server that ignored backpressure would show it as memory here.
 */

import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Keystream } from '../support/keystream.ts';
import type { BenchPath } from '../support/paths.ts';
import { type RssWindow, readMemory, watchRss } from '../support/rss.ts';
import { median } from '../support/stats.ts';
import { bytesChecker, expectRange } from '../support/verify.ts';

export interface MemoryResult {
  /** Median RSS over a quiet second before the stream, bytes. */
  readonly idleRss: number;
  /** Highest RSS seen during the stream (max of sampling and the kernel's VmHWM), bytes. */
  readonly peakRss: number;
  readonly growth: number;
  readonly sampledPeak: number;
  readonly hwmPeak: number | null;
  readonly samples: number;
  /** Peak RSS minus idle after each range: flat after the first range means memory does not scale with size. */
  readonly growthByRange: readonly number[];
  readonly streamed: number;
  readonly requests: number;
  readonly ms: number;
}

export async function idleRss(pid: number): Promise<number> {
  const readings: number[] = [];
  for (let i = 0; i < 20; i++) {
    readings.push(readMemory(pid).rss);
    await sleep(50);
  }
  return median(readings);
}

export async function measureStreamingMemory(
  path: BenchPath,
  key: string,
  size: number,
  keystream: Keystream,
  rangeLength: number,
): Promise<MemoryResult> {
  if (path.pid === null) throw new Error(`${path.name} has no process of its own to measure`);
  const idle = await idleRss(path.pid);
  const window = watchRss(path.pid, 5);
  const start = performance.now();
  let requests = 0;
  const growthByRange: number[] = [];
  let peaks: ReturnType<RssWindow['stop']>;
  try {
    for (let offset = 0; offset < size; offset += rangeLength) {
      const end = Math.min(size, offset + rangeLength) - 1;
      const response = await path.client.get(path.urlFor(key), {
        headers: { range: `bytes=${offset}-${end}` },
        onChunk: bytesChecker(keystream, offset),
      });
      requests++;
      expectRange(`${path.name} bytes=${offset}-${end}`, response, { start: offset, end, size });
      growthByRange.push(window.peakSoFar() - idle);
    }
  } finally {
    peaks = window.stop();
  }
  const ms = performance.now() - start;
  const peakRss = Math.max(peaks.sampledPeak, peaks.hwmPeak ?? 0);
  return {
    idleRss: idle,
    peakRss,
    growth: peakRss - idle,
    sampledPeak: peaks.sampledPeak,
    hwmPeak: peaks.hwmPeak,
    samples: peaks.samples,
    growthByRange,
    streamed: size,
    requests,
    ms,
  };
}
