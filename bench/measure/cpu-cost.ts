/**
 * What serving costs the serving process itself, from the kernel's accounting rather than the
 * client's clock, so it holds up on a shared machine: user + system CPU of the measured processes
 * (/proc/<pid>/stat utime + stime) over N sequential `bytes=0-1` requests (CPU per small request) and over two
 * explicit 128 MiB ranges (CPU per GiB: six of them per target), and their RSS growth while the first two (256 MiB)
 * stream (every byte checked);
 * all targets in rounds that take them in turn (measureCpuCosts).
 *
 * "Measured processes" is a function of the path: for the deployed bundle under AWS's runtime interface client
 * it is the client's process(es) only (the function as Lambda runs it, without the local Runtime API that
 * stands in for Lambda's service); for the peer its one process; for the local Function URL the whole stack
 * process (its URL, its worker and the handler).
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Keystream } from '../support/keystream.ts';
import type { BenchPath } from '../support/paths.ts';
import { bytesChecker, expectRange } from '../support/verify.ts';

/** Linux USER_HZ: /proc/<pid>/stat times are in 1/100 s on every architecture Node runs on. */
const TICKS_PER_SECOND = 100;
const GIB = 1024 ** 3;

export interface CpuCostTarget {
  readonly label: string;
  readonly path: BenchPath;
  /** The processes whose CPU and memory count (re-read at every sample: environments may come and go). */
  readonly pids: () => readonly number[];
}

export interface CpuCostResult {
  readonly label: string;
  readonly requests: number;
  readonly cpuMsPerRequest: number;
  /** Bytes streamed for CPU per GiB. */
  readonly bytes: number;
  /** Bytes streamed while the peak RSS was read (the first ranges). */
  readonly memoryBytes: number;
  readonly cpuSecondsPerGiB: number;
  readonly idleRss: number;
  readonly peakRss: number;
  readonly rssGrowth: number;
  readonly processes: number;
}

function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime, stime (fields 14 and 15)
  } catch {
    return 0; // exited meanwhile
  }
}

function rssOf(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] === undefined ? 0 : Number(match[1]) * 1024;
  } catch {
    return 0;
  }
}

const totalCpu = (pids: readonly number[]): number => pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
const totalRss = (pids: readonly number[]): number => pids.reduce((sum, pid) => sum + rssOf(pid), 0);

export interface CpuCostOptions {
  /** Small requests per target, spread over `rounds` rounds. */
  readonly requests: number;
  readonly rounds: number;
  readonly small: { readonly key: string; readonly size: number; readonly keystream: Keystream };
  readonly medium: { readonly key: string; readonly size: number; readonly keystream: Keystream };
  readonly rangeLength: number;
  /** Ranges streamed per target for CPU per GiB; RSS growth is read over the first `memoryRanges` of them. */
  readonly ranges: number;
  readonly memoryRanges: number;
}

/** CPU seconds the target's processes spent on `requests` sequential `bytes=0-1` requests. */
async function smallRequestsCpu(target: CpuCostTarget, options: CpuCostOptions, requests: number): Promise<number> {
  const url = target.path.urlFor(options.small.key);
  const cpu0 = totalCpu(target.pids());
  for (let i = 0; i < requests; i++) {
    const response = await target.path.client.get(url, { headers: { range: 'bytes=0-1' } });
    expectRange(`${target.label} bytes=0-1`, response, { start: 0, end: 1, size: options.small.size });
  }
  return totalCpu(target.pids()) - cpu0;
}

/** The median of a few RSS readings of an idle target. */
async function idleRssOf(target: CpuCostTarget): Promise<number> {
  const readings: number[] = [];
  for (let i = 0; i < 10; i++) {
    readings.push(totalRss(target.pids()));
    await sleep(30);
  }
  readings.sort((a, b) => a - b);
  return readings[Math.floor(readings.length / 2)] ?? 0;
}

/** Streams range `index` of the medium object through the target, every byte checked: CPU seconds, bytes, peak RSS. */
async function streamRange(
  target: CpuCostTarget,
  options: CpuCostOptions,
  index: number,
): Promise<{ cpu: number; bytes: number; peakRss: number }> {
  const { path } = target;
  const start = (index * options.rangeLength) % options.medium.size;
  const end = Math.min(options.medium.size, start + options.rangeLength) - 1;
  let peakRss = totalRss(target.pids());
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, totalRss(target.pids()));
  }, 5);
  const cpu0 = totalCpu(target.pids());
  try {
    const response = await path.client.get(path.urlFor(options.medium.key), {
      headers: { range: `bytes=${start}-${end}` },
      onChunk: bytesChecker(options.medium.keystream, start),
    });
    expectRange(`${target.label} bytes=${start}-${end}`, response, { start, end, size: options.medium.size });
  } finally {
    clearInterval(sampler);
  }
  return { cpu: totalCpu(target.pids()) - cpu0, bytes: end - start + 1, peakRss };
}

/**
 * Every figure of every target, measured in rounds that take the targets in turn (the small requests in
 * `rounds` rounds, the streamed ranges one range per target per round), so a burst of load from elsewhere on the
 * machine falls on every target alike instead of on one. RSS growth is each target's peak while its ranges
 * stream over its idle RSS, read before any target streams.
 */
export async function measureCpuCosts(
  targets: readonly CpuCostTarget[],
  options: CpuCostOptions,
): Promise<CpuCostResult[]> {
  const processes = targets.map((t) => t.pids().length);
  const perRound = Math.ceil(options.requests / options.rounds);
  const requestCpu = targets.map(() => 0);
  for (let round = 0; round < options.rounds; round++) {
    for (const [n, target] of targets.entries()) {
      requestCpu[n] = (requestCpu[n] ?? 0) + (await smallRequestsCpu(target, options, perRound));
    }
  }
  await sleep(300);
  const idle: number[] = [];
  for (const target of targets) idle.push(await idleRssOf(target));
  const streamed = targets.map((_, n) => ({ cpu: 0, bytes: 0, memoryBytes: 0, peakRss: idle[n] ?? 0 }));
  for (let index = 0; index < options.ranges; index++) {
    for (const [n, target] of targets.entries()) {
      const range = await streamRange(target, options, index);
      const sum = streamed[n];
      if (sum === undefined) continue;
      sum.cpu += range.cpu;
      sum.bytes += range.bytes;
      if (index < options.memoryRanges) {
        sum.peakRss = Math.max(sum.peakRss, range.peakRss);
        sum.memoryBytes += range.bytes;
      }
    }
  }
  return targets.map((target, n) => {
    const idleRss = idle[n] ?? 0;
    const { cpu, bytes, memoryBytes, peakRss } = streamed[n] ?? { cpu: 0, bytes: 0, memoryBytes: 0, peakRss: idleRss };
    return {
      label: target.label,
      requests: perRound * options.rounds,
      cpuMsPerRequest: ((requestCpu[n] ?? 0) * 1000) / (perRound * options.rounds),
      bytes,
      memoryBytes,
      cpuSecondsPerGiB: cpu / (bytes / GIB),
      idleRss,
      peakRss,
      rssGrowth: peakRss - idleRss,
      processes: processes[n] ?? 0,
    };
  });
}
