/**
 * The "generated playlists" part of `npm run bench` (also alone: `npm run bench -- --only playlists`): what an
 * HLS playlist generated from stored DASH (docs/hls-from-dash.md) costs the function, next to a stored playlist
 * of similar size served by the same process in the same run.
 *
 * - S3 requests per playlist: the handler's own request log line (`s3Requests`, one JSON line per request in
 *   the host's log file), over every measured request, compared with the numbers docs/hls-from-dash.md gives.
 * - CPU per request: user + system CPU of the handler host process (bench/processes/handler-host.ts, the
 *   deployable bundle in one isolate) from /proc over N sequential warm requests of the same playlist.
 * - Cold start: the deployed bundle alone in fresh processes (bench/cold-start/probe.ts), its first request
 *   a stored object vs a generated playlist. The generator is in the bundle, but nothing of it runs at import,
 *   so the import time should not differ; the first-response time of the generated playlist includes its first
 *   run (the MPD read and parse, the code's first compilation).
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { seedBucket } from '../../local/seed.ts';
import {
  type BundleInfo,
  type ColdStartResult,
  coldStartMedians,
  deployedEnvironment,
  measureColdStart,
} from '../measure/cold-start.ts';
import { startProcess } from '../support/child.ts';
import { benchS3Client } from '../support/objects.ts';
import { benchPath } from '../support/paths.ts';

const MEDIA = fileURLToPath(new URL('../../media/', import.meta.url));

/** The stored playlist that generated ones are compared with (309 bytes, like the generated media playlists). */
export const STORED_PLAYLIST_KEY = 'hls/fmp4/index.m3u8';

/** The playlists measured: key, and the S3 reads docs/hls-from-dash.md documents for it (null: stored). */
export const PLAYLIST_CASES = [
  { label: 'multivariant of an MPD (on-demand)', key: 'dash/on-demand/manifest.mpd.m3u8', documented: 2 },
  { label: 'media playlist, SegmentBase representation', key: 'dash/on-demand/manifest.mpd.0.m3u8', documented: 3 },
  { label: 'media playlist, SegmentTemplate + timeline', key: 'dash/template/manifest.mpd.0.m3u8', documented: 2 },
  { label: 'media playlist of an MP4 (`<mp4>.m3u8`)', key: 'dash/on-demand/media-0.mp4.m3u8', documented: 2 },
  { label: 'stored playlist (reference)', key: STORED_PLAYLIST_KEY, documented: null },
] as const;

export interface PlaylistCost {
  readonly label: string;
  readonly key: string;
  readonly bytes: number;
  readonly requests: number;
  readonly cpuMsPerRequest: number;
  /** Smallest and largest `s3Requests` over the measured requests' log lines. */
  readonly s3Requests: { readonly min: number; readonly max: number; readonly lines: number };
  readonly documentedS3Requests: number | null;
}

export interface PlaylistsSection {
  readonly costs: readonly PlaylistCost[];
  /** First request of a fresh process: a stored object, then a generated playlist. */
  readonly coldStart: readonly ColdStartResult[];
}

export interface PlaylistsSectionOptions {
  readonly s3Endpoint: string;
  readonly bucket: string;
  readonly bundle: BundleInfo;
  readonly requests: number;
  readonly warmUp: number;
  readonly coldStartRuns: number;
  readonly resultsDir: string;
  readonly log: (line: string) => void;
}

const ROUNDS = 3;

function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime + stime (fields 14 and 15 of proc(5)), in USER_HZ = 1/100 s.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** `s3Requests` of every request log line for `key` written to `file` after byte `from`. */
function s3RequestsLogged(file: string, from: number, key: string): number[] {
  const text = readFileSync(file).subarray(from).toString('utf8');
  const counts: number[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const parsed = JSON.parse(line) as { key?: unknown; s3Requests?: unknown };
      if (parsed.key === key && typeof parsed.s3Requests === 'number') counts.push(parsed.s3Requests);
    } catch {
      // not a log line of the handler
    }
  }
  return counts;
}

export async function runPlaylistsSection(options: PlaylistsSectionOptions): Promise<PlaylistsSection> {
  const { s3Endpoint, bucket, bundle, requests, warmUp, resultsDir, log } = options;
  log('generated playlists: seeding media/ (DASH samples and a stored HLS playlist)');
  const s3Client = benchS3Client(s3Endpoint);
  await seedBucket(s3Client, bucket, MEDIA);
  s3Client.destroy();

  const logFile = join(resultsDir, 'handler-host-playlists.log');
  const host = await startProcess({
    name: 'handler-host-playlists',
    entry: fileURLToPath(new URL('../processes/handler-host.ts', import.meta.url)),
    args: ['--bundle', bundle.file],
    env: {
      ...deployedEnvironment(bucket),
      S3_ENDPOINT: s3Endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
    },
    logFile,
  });
  const path = benchPath('handler', host.url, host.pid, 1);
  const costs: PlaylistCost[] = [];
  try {
    const get = async (key: string): Promise<number> => {
      const response = await path.client.get(path.urlFor(key));
      if (response.status !== 200 || response.bytes === 0) {
        throw new Error(`${key}: status ${response.status}, ${response.bytes} bytes (log: ${logFile})`);
      }
      return response.bytes;
    };
    const bytes = new Map<string, number>();
    for (const c of PLAYLIST_CASES) for (let i = 0; i < warmUp; i++) bytes.set(c.key, await get(c.key));
    // In rounds, each playlist in turn, so a change of load on the shared machine does not fall on one row.
    const cpu = new Map<string, number>();
    const logFrom = statSync(logFile).size;
    const perRound = Math.ceil(requests / ROUNDS);
    for (let round = 0; round < ROUNDS; round++) {
      for (const c of PLAYLIST_CASES) {
        const cpu0 = cpuMs(host.pid);
        for (let i = 0; i < perRound; i++) await get(c.key);
        cpu.set(c.key, (cpu.get(c.key) ?? 0) + cpuMs(host.pid) - cpu0);
      }
    }
    // A log line is written when the body closes, which can be just after the client saw the end.
    await sleep(200);
    for (const c of PLAYLIST_CASES) {
      const logged = s3RequestsLogged(logFile, logFrom, c.key);
      const cost: PlaylistCost = {
        label: c.label,
        key: c.key,
        bytes: bytes.get(c.key) ?? 0,
        requests: perRound * ROUNDS,
        cpuMsPerRequest: (cpu.get(c.key) ?? 0) / (perRound * ROUNDS),
        s3Requests: { min: Math.min(...logged), max: Math.max(...logged), lines: logged.length },
        documentedS3Requests: c.documented,
      };
      log(
        `${c.key}: ${cost.cpuMsPerRequest.toFixed(2)} ms CPU per request, s3Requests ${cost.s3Requests.min}-${cost.s3Requests.max} over ${logged.length} log lines, ${cost.bytes} B`,
      );
      costs.push(cost);
    }
  } finally {
    path.client.close();
    await host.stop();
  }

  log('generated playlists: cold starts of the bundle alone, first request a stored object vs a generated playlist');
  // One fresh process of each in turn (round-robin), so the load of the shared machine falls on both alike.
  const subjects = [
    { label: 'first request: stored playlist', key: STORED_PLAYLIST_KEY },
    { label: 'first request: generated multivariant', key: 'dash/on-demand/manifest.mpd.m3u8' },
  ];
  const single: ColdStartResult[][] = subjects.map(() => []);
  for (let i = 0; i < options.coldStartRuns; i++) {
    for (const [n, subject] of subjects.entries()) {
      single[n]?.push(await measureColdStart({ ...subject, runs: 1, s3Endpoint, bucket, bundle }));
    }
  }
  const coldStart = single.flatMap((results): ColdStartResult[] => {
    const first = results[0];
    if (first === undefined) return [];
    const runs = results.flatMap((r) => r.runs);
    return [
      {
        ...first,
        runs,
        ...coldStartMedians(runs),
      },
    ];
  });
  return { costs, coldStart };
}
