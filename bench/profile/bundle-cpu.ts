/**
 * CPU and memory of the DEPLOYED bundle alone, in one process, for profiling and quick A/B of hot-path changes
 * (the full comparison with the peer is `npm run bench`). The S3 server runs in its own process; this process
 * installs the `awslambda` global (local/runtimes/emulated/globals.ts: the runtime's prelude contract), imports
 * the bundle with the deployed environment, and invokes the handler directly with Function URL events into a
 * response stream that discards bytes (with backpressure, like a socket). It reports process.cpuUsage() per
 * small request (`bytes=0-1`), per GiB streamed (128 MiB explicit ranges) and RSS growth while streaming.
 *
 * The function's V8 flags (lib/function-environment.ts NODE_OPTIONS) are not applied by this in-process host: pass
 * them on the command line, e.g. `node --max-semi-space-size=1 bench/profile/bundle-cpu.ts`.
 *
 * `node [V8 flags] bench/profile/bundle-cpu.ts [--requests N] [--gib N] [--profile DIR] [--source | --entry FILE] >/dev/null`
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { installAwsLambdaGlobal } from '../../local/runtimes/emulated/globals.ts';
import type { BeforeFirstWrite } from '../../local/runtimes/emulated/http-response-stream.ts';
import { lambdaContext } from '../../local/runtimes/emulated/lambda-context.ts';
import { functionUrlEvent } from '../../test/support/function-url-event.ts';
import { buildBundle, deployedEnvironment } from '../measure/cold-start.ts';
import { startProcess } from '../support/child.ts';
import { createKeystream } from '../support/keystream.ts';
import { benchS3Client, createBucket, uploadObject } from '../support/objects.ts';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '2000' },
    gib: { type: 'string', default: '1' },
    /** Write one V8 CPU profile per measured phase (small requests, large ranges) into this folder. */
    profile: { type: 'string' },
    /** Import lambda/handler.ts instead of the minified bundle (readable profiles; same code). */
    source: { type: 'boolean', default: false },
    /** Another handler source to import instead, e.g. the seed pattern (bench/peer-function/handler.ts). */
    entry: { type: 'string' },
  },
  strict: true,
});
const requests = Number(values.requests);
const gib = Number(values.gib);
const MIB = 1024 * 1024;
const RESULTS = fileURLToPath(new URL('../results/profile', import.meta.url));
mkdirSync(RESULTS, { recursive: true });

/** Discards bytes, one tick of delay per write like a socket write callback. */
class NullStream extends Writable {
  _onBeforeFirstWrite: BeforeFirstWrite | undefined;
  bytes = 0;
  #first = true;
  setContentType(_type: string): void {}
  override _write(chunk: Buffer, _e: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.#first) {
      this.#first = false;
      this._onBeforeFirstWrite?.(() => {});
    }
    this.bytes += chunk.length;
    setImmediate(callback);
  }
}

const s3 = await startProcess({
  name: 's3',
  entry: fileURLToPath(new URL('../processes/s3.ts', import.meta.url)),
  logFile: join(RESULTS, 's3.log'),
});
try {
  const bucket = 'profile-media';
  const client = benchS3Client(s3.url);
  await createBucket(client, bucket);
  await uploadObject(client, bucket, 'small.mp4', MIB, createKeystream());
  await uploadObject(client, bucket, 'big.mp4', 256 * MIB, createKeystream());
  client.destroy();

  const bundle = await buildBundle(join(RESULTS, 'bundle'));
  Object.assign(process.env, deployedEnvironment(bucket), {
    S3_ENDPOINT: s3.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
  });
  delete process.env.NODE_OPTIONS;
  installAwsLambdaGlobal();
  const cpu0 = process.cpuUsage();
  const entry =
    values.entry !== undefined
      ? pathToFileURL(values.entry).href
      : values.source
        ? new URL('../../lambda/handler.ts', import.meta.url).href
        : pathToFileURL(bundle.file).href;
  const mod = (await import(entry)) as {
    handler: (event: unknown, stream: unknown, context: unknown) => Promise<unknown>;
  };
  const importCpu = process.cpuUsage(cpu0);
  // The handler's one log line per request (stdout) is part of what a request costs: run with `>/dev/null`.
  const invoke = async (key: string, range: string): Promise<number> => {
    const event = functionUrlEvent({
      path: `/${key}`,
      headers: { range, 'user-agent': 'AppleCoreMedia/1.0.0', accept: '*/*' },
      requestId: 'r',
    });
    const stream = new NullStream();
    await mod.handler(event, stream, lambdaContext({ awsRequestId: 'r', deadlineMs: Date.now() + 60_000 }));
    if (!stream.writableFinished) await finished(stream);
    return stream.bytes;
  };
  const firstCpu = process.cpuUsage(cpu0);
  const firstBytes = await invoke('small.mp4', 'bytes=0-1');
  const firstResponseCpu = process.cpuUsage(cpu0);
  if (firstBytes !== 2) throw new Error(`first response carried ${firstBytes} bytes`);
  for (let i = 0; i < 200; i++) await invoke('small.mp4', 'bytes=0-1');
  const session = new Session();
  session.connect();
  const startProfile = async (): Promise<void> => {
    if (values.profile === undefined) return;
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  };
  const stopProfile = async (name: string): Promise<void> => {
    if (values.profile === undefined) return;
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(values.profile, { recursive: true });
    writeFileSync(join(values.profile, `${name}.cpuprofile`), JSON.stringify(profile));
  };
  await startProfile();
  const c1 = process.cpuUsage();
  const t1 = performance.now();
  for (let i = 0; i < requests; i++) await invoke('small.mp4', 'bytes=0-1');
  const smallCpu = process.cpuUsage(c1);
  const smallWall = performance.now() - t1;
  await stopProfile('small');
  global.gc?.();
  const rss0 = process.memoryUsage.rss();
  let peak = rss0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  await startProfile();
  const c2 = process.cpuUsage();
  const t2 = performance.now();
  let streamed = 0;
  const ranges = Math.round((gib * 1024) / 128);
  for (let i = 0; i < ranges; i++) {
    const start = (i % 2) * 128 * MIB;
    streamed += await invoke('big.mp4', `bytes=${start}-${start + 128 * MIB - 1}`);
  }
  const bigCpu = process.cpuUsage(c2);
  const bigWall = performance.now() - t2;
  clearInterval(sampler);
  await stopProfile('large');
  if (streamed !== ranges * 128 * MIB) throw new Error(`streamed ${streamed} bytes`);
  const ms = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;
  const result = {
    importCpuMs: ms(importCpu),
    importPlusFirstResponseCpuMs: ms(importCpu) + (ms(firstResponseCpu) - ms(firstCpu)),
    smallRequestCpuMs: ms(smallCpu) / requests,
    smallRequestWallMs: smallWall / requests,
    cpuSecondsPerGiB: ms(bigCpu) / 1000 / (streamed / 1024 ** 3),
    throughputMiBs: streamed / MIB / (bigWall / 1000),
    idleRssMiB: rss0 / MIB,
    rssGrowthMiB: (peak - rss0) / MIB,
  };
  process.stderr.write(`${JSON.stringify(result, null, 1)}\n`);
} finally {
  await s3.stop();
}
process.exit(0);
