/**
 * `npm run test:load`: at least 200 concurrent viewers for at least 30 s against the local stack on loopback
 * ("Load"). Mixed range requests (2-byte probes, 64 KiB segments, 1 MiB reads, open-ended `bytes=N-`),
 * about 20% of them abandoned mid-body like a seek. Every answer is checked byte for byte against the stored
 * object; an aborted request is counted apart, never as an error.
 *
 * The function side (local Function URL + the real handler) runs in one child process (server.ts) and the
 * embedded S3 in another (local/s3/server.ts), so the function's peak RSS (Linux VmHWM) is its own; the viewers
 * run here.
 *
 * Exits 1 when any request errored or any response broke the invariant. Options (flags or environment):
 *   --concurrency N (LOAD_CONCURRENCY, default 200)   --duration SECONDS (LOAD_DURATION_S, default 30)
 *   --abort-ratio R (LOAD_ABORT_RATIO, default 0.2)   --seed N (LOAD_SEED)   --size BYTES (LOAD_OBJECT_BYTES)
 *   --timeouts deployed|local (LOAD_TIMEOUTS, default deployed)
 *
 * `deployed` runs the function with the S3 timeouts it ships with (lambda/config.ts defaults). `local` relaxes
 * them (S3_CONNECT_TIMEOUT_MS 10000, S3_FIRST_BYTE_TIMEOUT_MS 60000) to tell the origin's own errors apart from
 * timeouts on a machine too loaded to answer in time. The local stack runs ALL viewers through ONE environment
 * (Lambda gives each its own), and @smithy/node-http-handler starts its connect timer when a request is created,
 * not when it gets a socket: with the SDK's usual 50-socket pool, 200 viewers turned that queueing into 2,551
 * 504s of 3,287 requests, which is why lambda/storage/create-s3-client.ts sizes the pool at 512.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { objectBytes } from '../reliability/support/rig.ts';
import { formatReport, runLoad } from './load.ts';

const OPEN_RANGE_CAP_BYTES = 5 * 1024 * 1024;

interface Options {
  readonly concurrency: number;
  readonly durationS: number;
  readonly abortRatio: number;
  readonly seed: number;
  readonly size: number;
  readonly timeouts: 'local' | 'deployed';
}

function parseOptions(argv: readonly string[]): Options {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i] ?? '';
    const value = argv[i + 1];
    const known = ['--concurrency', '--duration', '--abort-ratio', '--seed', '--size', '--timeouts'];
    if (!known.includes(name) || value === undefined) {
      throw new Error(`unknown or incomplete argument ${name} (see the header of test/load/run.ts)`);
    }
    flags.set(name, value);
  }
  const number = (flag: string, env: string, fallback: number, valid: (n: number) => boolean): number => {
    const raw = flags.get(flag) ?? process.env[env];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || !valid(value))
      throw new Error(`${flag} / ${env}: invalid value ${JSON.stringify(raw)}`);
    return value;
  };
  return {
    concurrency: number('--concurrency', 'LOAD_CONCURRENCY', 200, (n) => Number.isInteger(n) && n >= 1),
    durationS: number('--duration', 'LOAD_DURATION_S', 30, (n) => n > 0),
    abortRatio: number('--abort-ratio', 'LOAD_ABORT_RATIO', 0.2, (n) => n >= 0 && n <= 0.7),
    seed: number('--seed', 'LOAD_SEED', 0x5eed, Number.isInteger),
    // One PutObject: the embedded store takes request bodies up to 11 MiB.
    size: number(
      '--size',
      'LOAD_OBJECT_BYTES',
      8 * 1024 * 1024,
      (n) => Number.isInteger(n) && n >= 2 * 1024 * 1024 && n <= 10 * 1024 * 1024,
    ),
    timeouts: timeoutsProfile(flags.get('--timeouts') ?? process.env.LOAD_TIMEOUTS ?? 'deployed'),
  };
}

function timeoutsProfile(value: string): 'local' | 'deployed' {
  if (value !== 'local' && value !== 'deployed') {
    throw new Error(`--timeouts / LOAD_TIMEOUTS must be "local" or "deployed", got ${JSON.stringify(value)}`);
  }
  return value;
}

/** The function's S3 timeouts per profile (see the header); `deployed` = the defaults in lambda/config.ts. */
const TIMEOUTS: Readonly<Record<'local' | 'deployed', Readonly<Record<string, string>>>> = {
  local: { S3_CONNECT_TIMEOUT_MS: '10000', S3_FIRST_BYTE_TIMEOUT_MS: '60000' },
  deployed: {},
};

/** Current and peak resident set size of a process, from /proc (Linux). */
function memoryOf(pid: number): { rss: number; peak: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rss: kib('VmRSS') * 1024, peak: kib('VmHWM') * 1024 };
  } catch {
    return undefined;
  }
}

/**
 * Established TCP connections accepted on `port` (/proc/net/tcp, Linux): the S3 server's side of the function's
 * S3 sockets, since nothing else talks to the S3 server during the run.
 */
function connectionsTo(port: number): number {
  try {
    const hex = port.toString(16).toUpperCase().padStart(4, '0');
    return readFileSync('/proc/net/tcp', 'utf8')
      .split('\n')
      .slice(1)
      .filter((line) => {
        const fields = line.trim().split(/\s+/);
        return fields[1]?.endsWith(`:${hex}`) === true && fields[3] === '01';
      }).length;
  } catch {
    return 0;
  }
}

/** Spawns `node <args>` and resolves with the child and its first stdout line; later lines are drained. */
async function spawnReady(args: readonly string[], what: string): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-4000);
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const line = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}) before ready:\n${stderrTail}`)));
    lines.once('line', resolve);
  });
  // Keep draining (the handler logs a line per request) so the child never blocks on a full pipe.
  lines.on('line', () => {});
  return { child, line };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const children: ChildProcess[] = [];
  let sampler: NodeJS.Timeout | undefined;
  try {
    const s3 = await spawnReady(['local/s3/server.ts', '--port', '0'], 'S3 server');
    children.push(s3.child);
    const s3Endpoint = /^s3 endpoint: (\S+)$/.exec(s3.line)?.[1];
    if (s3Endpoint === undefined) throw new Error(`unexpected S3 server output: ${s3.line}`);
    const functionEnv = {
      OPEN_RANGE_CAP_BYTES: String(OPEN_RANGE_CAP_BYTES),
      ...TIMEOUTS[options.timeouts],
      POWERTOOLS_LOG_LEVEL: 'INFO',
    };
    const server = await spawnReady(['test/load/server.ts', s3Endpoint, JSON.stringify(functionEnv)], 'load server');
    children.unshift(server.child);
    const ready = JSON.parse(server.line) as { url: string; bucket: string };
    const pid = server.child.pid ?? 0;
    const s3Port = Number(new URL(s3Endpoint).port);
    let peakSampled = 0;
    let peakS3Connections = 0;
    sampler = setInterval(() => {
      peakSampled = Math.max(peakSampled, memoryOf(pid)?.rss ?? 0);
      peakS3Connections = Math.max(peakS3Connections, connectionsTo(s3Port));
    }, 250);
    const client = new S3Client({
      endpoint: s3Endpoint,
      forcePathStyle: true,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const object = objectBytes(options.size, options.seed);
    const { ETag } = await client.send(
      new PutObjectCommand({ Bucket: ready.bucket, Key: 'load/clip.bin', Body: object, ContentType: 'video/mp4' }),
    );
    client.destroy();
    if (ETag === undefined) throw new Error('PutObject returned no ETag');
    const before = memoryOf(pid);
    process.stdout.write(
      `load: ${options.concurrency} viewers for ${options.durationS} s against ${ready.url}load/clip.bin ` +
        `(${(options.size / 1024 / 1024).toFixed(0)} MiB object, abort ratio ${options.abortRatio}, seed ${options.seed}, ` +
        `${options.timeouts} S3 timeouts ${JSON.stringify(TIMEOUTS[options.timeouts])})\n`,
    );
    const report = await runLoad({
      url: `${ready.url}load/clip.bin`,
      versions: new Map([[ETag, object]]),
      size: options.size,
      concurrency: options.concurrency,
      durationMs: options.durationS * 1000,
      abortRatio: options.abortRatio,
      seed: options.seed,
      openRangeCapBytes: OPEN_RANGE_CAP_BYTES,
      // A viewer waiting longer than this counts as a hang (an error).
      requestTimeoutMs: 120_000,
    });
    clearInterval(sampler);
    const after = memoryOf(pid);
    const mib = (bytes: number | undefined): string => `${((bytes ?? 0) / 1024 / 1024).toFixed(0)} MiB`;
    process.stdout.write(
      `${formatReport(report, {
        'function process RSS before / after': `${mib(before?.rss)} / ${mib(after?.rss)}`,
        'function process peak RSS (VmHWM)': mib(Math.max(after?.peak ?? 0, peakSampled)),
        'S3 server process peak RSS': mib(memoryOf(s3.child.pid ?? 0)?.peak),
        'S3 connections, sampled peak': String(peakS3Connections),
        'load generator peak RSS': mib(memoryOf(process.pid)?.peak),
      })}\n`,
    );
    const failed = report.errors > 0 || report.violations > 0 || report.completed === 0;
    process.stdout.write(failed ? 'load: FAILED\n' : 'load: OK (0 errors, 0 invariant violations)\n');
    return failed ? 1 : 0;
  } finally {
    clearInterval(sampler);
    for (const child of children) await stop(child);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`load: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
