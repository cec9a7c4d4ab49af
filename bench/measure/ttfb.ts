/**
 * Time to first byte for small ranges (the requests behind a player's start-up and seeks): sequential
 * (latency) and with `concurrency` clients at once (latency under load). Paths take turns in rounds, in a
 * rotating order, so drift on a shared machine spreads over all of them instead of biasing one.
 */
import type { Keystream } from '../support/keystream.ts';
import { type BenchPath, inTurn, type PathName } from '../support/paths.ts';
import { type Summary, summarize } from '../support/stats.ts';
import { bytesChecker, expectRange } from '../support/verify.ts';

export interface RangeRequest {
  readonly key: string;
  readonly keystream: Keystream;
  readonly size: number;
  readonly start: number;
  readonly end: number;
}

export interface TtfbOptions {
  readonly sequential: number;
  readonly concurrency: number;
  readonly perClient: number;
  readonly rounds: number;
}

export interface TtfbResult {
  readonly sequential: Summary;
  readonly concurrent: Summary;
}

async function timedRange(path: BenchPath, request: RangeRequest): Promise<number> {
  const { key, keystream, size, start, end } = request;
  const response = await path.client.get(path.urlFor(key), {
    headers: { range: `bytes=${start}-${end}` },
    onChunk: bytesChecker(keystream, start),
  });
  expectRange(`${path.name} ${key} bytes=${start}-${end}`, response, { start, end, size });
  return response.firstByteMs;
}

export async function measureTtfb(
  paths: readonly BenchPath[],
  next: (i: number) => RangeRequest,
  options: TtfbOptions,
): Promise<Record<PathName, TtfbResult>> {
  const { sequential, concurrency, perClient, rounds } = options;
  const seq = new Map<PathName, number[]>(paths.map((p) => [p.name, []]));
  const conc = new Map<PathName, number[]>(paths.map((p) => [p.name, []]));
  const seqPerRound = Math.ceil(sequential / rounds);
  const perClientPerRound = Math.ceil(perClient / rounds);
  let counter = 0;
  for (let round = 0; round < rounds; round++) {
    for (const path of inTurn(paths, round)) {
      const samples = seq.get(path.name) ?? [];
      for (let i = 0; i < seqPerRound; i++) samples.push(await timedRange(path, next(counter++)));
    }
    for (const path of inTurn(paths, round)) {
      const samples = conc.get(path.name) ?? [];
      const worker = async (): Promise<void> => {
        for (let i = 0; i < perClientPerRound; i++) samples.push(await timedRange(path, next(counter++)));
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
    }
  }
  const result = {} as Record<PathName, TtfbResult>;
  for (const path of paths) {
    result[path.name] = {
      sequential: summarize(seq.get(path.name) ?? []),
      concurrent: summarize(conc.get(path.name) ?? []),
    };
  }
  return result;
}

/** Requests that run only to warm caches, JIT and connection pools; nothing is recorded. */
export async function warmUp(paths: readonly BenchPath[], next: (i: number) => RangeRequest, count: number) {
  for (const path of paths) {
    for (let i = 0; i < count; i++) await timedRange(path, next(i));
    await Promise.all(Array.from({ length: 32 }, async (_, i) => timedRange(path, next(i))));
  }
}
