/**
 * Throughput of large reads, measured at the client from the first request to the last body byte:
 * - open-ended: `bytes=N-` repeatedly from N=0, each next N taken from the previous Content-Range, until the
 *   object is done — what Chrome/Firefox do. Paths without a cap answer it in one response; the product
 *   answers with capped 206s, and pays for the extra round trips here.
 * - explicit: one `bytes=0-(L-1)` range, what hls.js/DASH players and download tools send.
 * Bytes are not compared here (that would spend the client's CPU inside the measurement); counts and
 * Content-Range are. bench/measure/memory.ts checks every byte of the 1 GiB stream.
 */
import { performance } from 'node:perf_hooks';
import { type BenchPath, inTurn, type PathName } from '../support/paths.ts';
import { median } from '../support/stats.ts';
import { expectRange, parseContentRange } from '../support/verify.ts';

export interface ThroughputRun {
  readonly ms: number;
  readonly requests: number;
  readonly mibPerSecond: number;
}

export interface ThroughputResult {
  readonly runs: readonly ThroughputRun[];
  /** Median of the runs, MiB/s. */
  readonly mibPerSecond: number;
  readonly requests: number;
}

const MIB = 1024 * 1024;

export async function openEndedRead(path: BenchPath, key: string, size: number): Promise<ThroughputRun> {
  const start = performance.now();
  let next = 0;
  let requests = 0;
  while (next < size) {
    const response = await path.client.get(path.urlFor(key), { headers: { range: `bytes=${next}-` } });
    requests++;
    const range = parseContentRange(response.headers);
    if (response.status === 200 && next === 0 && response.bytes === size) {
      next = size; // a 200 with the whole object also answers `bytes=0-` (RFC 9110 §14.2 lets a server ignore Range)
      continue;
    }
    if (response.status !== 206 || range === null || range.start !== next || range.size !== size) {
      throw new Error(`${path.name} bytes=${next}-: got ${response.status} ${response.headers['content-range']}`);
    }
    expectRange(`${path.name} bytes=${next}-`, response, range);
    next = range.end + 1;
  }
  const ms = performance.now() - start;
  return { ms, requests, mibPerSecond: size / MIB / (ms / 1000) };
}

export async function explicitRead(path: BenchPath, key: string, size: number, length: number): Promise<ThroughputRun> {
  const start = performance.now();
  const response = await path.client.get(path.urlFor(key), { headers: { range: `bytes=0-${length - 1}` } });
  expectRange(`${path.name} bytes=0-${length - 1}`, response, { start: 0, end: length - 1, size });
  const ms = performance.now() - start;
  return { ms, requests: 1, mibPerSecond: length / MIB / (ms / 1000) };
}

/** `reps` runs of `read` per path, paths taking turns, median reported. */
export async function measureThroughput(
  paths: readonly BenchPath[],
  reps: number,
  read: (path: BenchPath) => Promise<ThroughputRun>,
): Promise<Record<PathName, ThroughputResult>> {
  const runs = new Map<PathName, ThroughputRun[]>(paths.map((p) => [p.name, []]));
  for (let rep = 0; rep < reps; rep++) {
    for (const path of inTurn(paths, rep)) runs.get(path.name)?.push(await read(path));
  }
  const result = {} as Record<PathName, ThroughputResult>;
  for (const path of paths) {
    const list = runs.get(path.name) ?? [];
    result[path.name] = {
      runs: list,
      mibPerSecond: median(list.map((r) => r.mibPerSecond)),
      requests: list[0]?.requests ?? 0,
    };
  }
  return result;
}
