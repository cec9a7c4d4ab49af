/**
 * What serving costs the serving process itself, from the kernel's accounting rather than the
 * client's clock, so it holds up on a shared machine: user + system CPU of the measured processes
 * (/proc/<pid>/stat utime + stime) over N sequential `bytes=0-1` requests (CPU per small request) and over two
 * explicit 128 MiB ranges (CPU per GiB), and their RSS growth while those 256 MiB stream (every byte checked).
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
  readonly bytes: number;
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
  readonly requests: number;
  readonly small: { readonly key: string; readonly size: number; readonly keystream: Keystream };
  readonly medium: { readonly key: string; readonly size: number; readonly keystream: Keystream };
  readonly rangeLength: number;
  readonly ranges: number;
}

export async function measureCpuCost(target: CpuCostTarget, options: CpuCostOptions): Promise<CpuCostResult> {
  const { path } = target;
  const url = path.urlFor(options.small.key);
  const pidsBefore = target.pids();
  const cpu0 = totalCpu(pidsBefore);
  for (let i = 0; i < options.requests; i++) {
    const response = await path.client.get(url, { headers: { range: 'bytes=0-1' } });
    expectRange(`${target.label} bytes=0-1`, response, { start: 0, end: 1, size: options.small.size });
  }
  const cpu1 = totalCpu(target.pids());

  await sleep(300);
  const idleReadings: number[] = [];
  for (let i = 0; i < 10; i++) {
    idleReadings.push(totalRss(target.pids()));
    await sleep(30);
  }
  idleReadings.sort((a, b) => a - b);
  const idleRss = idleReadings[Math.floor(idleReadings.length / 2)] ?? 0;
  let peakRss = idleRss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, totalRss(target.pids()));
  }, 5);
  const cpu2 = totalCpu(target.pids());
  let bytes = 0;
  try {
    for (let i = 0; i < options.ranges; i++) {
      const start = (i * options.rangeLength) % options.medium.size;
      const end = Math.min(options.medium.size, start + options.rangeLength) - 1;
      const response = await path.client.get(path.urlFor(options.medium.key), {
        headers: { range: `bytes=${start}-${end}` },
        onChunk: bytesChecker(options.medium.keystream, start),
      });
      expectRange(`${target.label} bytes=${start}-${end}`, response, { start, end, size: options.medium.size });
      bytes += end - start + 1;
    }
  } finally {
    clearInterval(sampler);
  }
  const cpu3 = totalCpu(target.pids());
  return {
    label: target.label,
    requests: options.requests,
    cpuMsPerRequest: ((cpu1 - cpu0) * 1000) / options.requests,
    bytes,
    cpuSecondsPerGiB: (cpu3 - cpu2) / (bytes / GIB),
    idleRss,
    peakRss,
    rssGrowth: peakRss - idleRss,
    processes: pidsBefore.length,
  };
}
