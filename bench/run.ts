/**
 * `npm run bench`: the media origin side by side with its limit and a peer, in one run on one machine.
 *
 * Processes: the S3-compatible server (local/s3/server.ts), the product (local Function URL + handler,
 * local/stack.ts), the peer (bench/peer-server.ts) and the diagnostic handler-only host
 * (bench/processes/handler-host.ts) each run in their own Node process; this process is only the client (one
 * node:http keep-alive client per path, same settings) and the meter (/proc for RSS), and cold starts run in
 * fresh processes of their own. Progress goes to stderr; the Markdown table to stdout and
 * bench/results/latest.md; everything measured to bench/results/latest.json. docs/performance.md says what
 * each number means. `--only cold-start` runs the cold-start part alone (bench/cold-start/section.ts),
 * `--only playlists` the generated-playlists part alone (bench/playlists/section.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runColdStartSection } from './cold-start/section.ts';
import { loadBenchConfig } from './config.ts';
import { checkPath } from './measure/checks.ts';
import { type BundleInfo, buildBundle, deployedEnvironment } from './measure/cold-start.ts';
import { type CpuCostTarget, measureCpuCosts } from './measure/cpu-cost.ts';
import { type MemoryResult, measureStreamingMemory } from './measure/memory.ts';
import { explicitRead, measureThroughput, openEndedRead } from './measure/throughput.ts';
import { measureTtfb, type RangeRequest, warmUp } from './measure/ttfb.ts';
import { runPlaylistsSection } from './playlists/section.ts';
import { type BenchResults, CPU_ROWS, renderMarkdown, renderPlaylistsMarkdown, verdicts } from './report.ts';
import { type BenchProcess, startProcess } from './support/child.ts';
import { createKeystream } from './support/keystream.ts';
import { cpuSnapshot, foreignCpuShare, machineInfo } from './support/machine.ts';
import { benchS3Client, createBucket, uploadObject } from './support/objects.ts';
import { type BenchPath, benchPath, PATH_DESCRIPTIONS, type PathName } from './support/paths.ts';
import { processTree } from './support/rss.ts';
import { seededRandom } from './support/stats.ts';

const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));
const RESULTS = here('./results/');
const ROOT = here('../');
const log = (message: string): void => {
  process.stderr.write(`[bench ${(performance.now() / 1000).toFixed(1)}s] ${message}\n`);
};

const config = loadBenchConfig();
const { values: cli } = parseArgs({ options: { only: { type: 'string' } }, strict: true });
if (cli.only !== undefined && cli.only !== 'cold-start' && cli.only !== 'playlists') {
  throw new Error(`--only takes "cold-start" or "playlists", got "${cli.only}"`);
}
const onlyColdStart = cli.only === 'cold-start';
const onlyPlaylists = cli.only === 'playlists';
const startedAt = new Date().toISOString();
const machine = machineInfo();
const cpuAtStart = cpuSnapshot();
mkdirSync(RESULTS, { recursive: true });
const profiles = join(RESULTS, 'profiles');
if (config.cpuProfile) mkdirSync(profiles, { recursive: true });

const running: BenchProcess[] = [];
const stopAll = async (): Promise<void> => {
  for (const child of running.splice(0).reverse()) await child.stop();
};
process.once('SIGINT', () => {
  stopAll().finally(() => process.exit(130));
});

/** What every run reports about itself, whatever it measured. */
type RunFacts = Pick<
  BenchResults,
  'startedAt' | 'durationSeconds' | 'quick' | 'machine' | 'foreignCpuShare' | 'loadAverageAtEnd' | 'objects'
>;

async function main(): Promise<BenchResults> {
  const { bucket, objects } = config;

  log('starting the S3 server (own process)');
  const s3 = await startProcess({ name: 's3', entry: here('./processes/s3.ts'), logFile: join(RESULTS, 's3.log') });
  running.push(s3);
  const s3Client = benchS3Client(s3.url);
  await createBucket(s3Client, bucket);
  const playlistsOf = (bundle: BundleInfo) =>
    runPlaylistsSection({
      s3Endpoint: s3.url,
      bucket,
      bundle,
      requests: config.playlists.requests,
      warmUp: config.playlists.warmUp,
      coldStartRuns: config.coldStart.runs,
      resultsDir: RESULTS,
      log,
    });
  // Called once every child has exited and been reaped, so their CPU counts as ours.
  const results = (measured: Omit<BenchResults, keyof RunFacts>): BenchResults => ({
    startedAt,
    durationSeconds: performance.now() / 1000,
    quick: config.quick,
    machine,
    foreignCpuShare: foreignCpuShare(cpuAtStart, cpuSnapshot()),
    loadAverageAtEnd: machineInfo().loadAverage,
    objects,
    ...measured,
  });
  if (onlyPlaylists) {
    s3Client.destroy();
    log('building the deployable bundle (as the CDK NodejsFunction does)');
    const playlists = await playlistsOf(await buildBundle(join(RESULTS, 'bundle')));
    await stopAll();
    return results({ playlists });
  }

  // Key and nonce kept: the streaming floor function regenerates the same bytes without S3.
  const secrets = () => ({ key: randomBytes(16), nonce: randomBytes(8) });
  const keys = { small: secrets(), medium: secrets(), large: secrets() };
  const streams = {
    small: createKeystream(keys.small.key, keys.small.nonce),
    medium: createKeystream(keys.medium.key, keys.medium.nonce),
    large: createKeystream(keys.large.key, keys.large.nonce),
  };
  for (const name of onlyColdStart ? (['small'] as const) : (['small', 'medium', 'large'] as const)) {
    const { key, size } = objects[name];
    const t0 = performance.now();
    await uploadObject(s3Client, bucket, key, size, streams[name]);
    log(`uploaded ${key} (${size} bytes) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  s3Client.destroy();
  const coldStartOf = () =>
    runColdStartSection({ config, s3Endpoint: s3.url, bucket, key: objects.small.key, resultsDir: RESULTS, log });
  if (onlyColdStart) {
    const coldStart = await coldStartOf();
    await stopAll();
    return results({ coldStart });
  }

  // The handler gets the deployed defaults (lib/), not the local stack's conveniences (e.g. CORS "*");
  // BUCKET_NAME/S3_ENDPOINT are the local stack's to set. The deployed NODE_OPTIONS reaches the function's worker
  // (its V8 young-generation flag becomes the worker's resource limit, local/runtimes/emulated/v8-heap-limits.ts), and the
  // same V8 flag is given to the local stack's own process, whose main thread carries every byte too.
  const { BUCKET_NAME: _bucketName, ...functionEnv } = deployedEnvironment(bucket);
  const v8HeapFlags = (functionEnv.NODE_OPTIONS ?? '')
    .split(/\s+/)
    .filter((flag) => flag.startsWith('--max-semi-space-size='));
  const startFunction = async (
    name: string,
    nodeOptions: readonly string[],
    runtime: 'emulation' | 'aws-lambda-ric' = 'emulation',
    extraArgs: readonly string[] = [],
    extraEnv: Readonly<Record<string, string>> = {},
  ): Promise<BenchProcess> => {
    const started = await startProcess({
      name,
      entry: here('./processes/function.ts'),
      args: [
        ...['--s3-endpoint', s3.url, '--bucket', bucket],
        ...['--function-env', JSON.stringify({ ...functionEnv, ...extraEnv })],
        ...['--runtime', runtime],
        ...extraArgs,
      ],
      // Synthesizing the app for the runtime client's bundle takes ~10 s (more on a busy machine).
      readyTimeoutMs: 240_000,
      nodeOptions,
      env: { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench' },
      logFile: join(RESULTS, `${name}.log`),
    });
    running.push(started);
    return started;
  };

  log('building the deployable bundle (as the CDK NodejsFunction does)');
  const bundle = await buildBundle(join(RESULTS, 'bundle'));

  log('starting the product (local Function URL + handler), the peer and the handler host (own processes)');
  const product = await startFunction('function', [
    ...v8HeapFlags,
    ...(config.cpuProfile ? ['--cpu-prof', `--cpu-prof-dir=${profiles}`] : []),
  ]);
  const peer = await startProcess({
    name: 'peer',
    entry: here('./peer-server.ts'),
    args: ['--s3-endpoint', s3.url, '--bucket', bucket],
    env: { AWS_REGION: 'us-east-1' },
    logFile: join(RESULTS, 'peer.log'),
  });
  running.push(peer);
  const handlerHost = await startProcess({
    name: 'handler-host',
    entry: here('./processes/handler-host.ts'),
    args: ['--bundle', bundle.file],
    env: {
      ...deployedEnvironment(bucket),
      S3_ENDPOINT: s3.url,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
    },
    logFile: join(RESULTS, 'handler-host.log'),
  });
  running.push(handlerHost);

  const sockets = config.ttfb.concurrency * 2;
  const paths: BenchPath[] = [
    // The limit is a plain HTTP GET to the store with the same client as the other paths (see README: an
    // SDK call in this process would add the SDK's own cost to the limit and a different client to compare).
    benchPath('limit', `${s3.url}/${bucket}/`, null, sockets),
    benchPath('product', product.url, product.pid, sockets),
    benchPath('peer', peer.url, peer.pid, sockets),
    benchPath('handler', handlerHost.url, handlerHost.pid, sockets),
  ];

  const small = { ...objects.small, keystream: streams.small };
  const medium = { ...objects.medium, keystream: streams.medium };
  const probe = (): RangeRequest => ({
    key: small.key,
    keystream: small.keystream,
    size: small.size,
    start: 0,
    end: 1,
  });
  const random = seededRandom(0x5eed);
  const mid64k = (): RangeRequest => {
    const length = config.ttfb.rangeLength;
    // Offsets in the middle half of the object: what a seek lands on.
    const start = Math.floor(medium.size / 4 + random() * (medium.size / 2 - length));
    return { key: medium.key, keystream: medium.keystream, size: medium.size, start, end: start + length - 1 };
  };

  log('warming up');
  await warmUp(paths, probe, config.ttfb.warmUp);
  await warmUp(paths, mid64k, config.ttfb.warmUp);

  log(`memory while streaming ${objects.large.size} bytes`);
  const memoryOf = async (name: PathName) => {
    const path = paths.find((p) => p.name === name);
    if (!path) throw new Error(`no ${name} path`);
    const result = await measureStreamingMemory(
      path,
      objects.large.key,
      objects.large.size,
      streams.large,
      config.memory.rangeLength,
    );
    log(`${name}: idle ${result.idleRss} B, peak ${result.peakRss} B (growth ${result.growth} B)`);
    return result;
  };
  const memory: Record<string, MemoryResult> = {};
  for (const name of ['product', 'peer', 'handler'] as const) memory[PATH_DESCRIPTIONS[name]] = await memoryOf(name);

  // The deployed bundle as Lambda runs it: `cdk synth`'s bundle under AWS's runtime interface client in its own
  // process, behind the local Runtime API (local/runtimes/aws-ric/). Its process's CPU and memory are measured, beside the
  // seed pattern's under the same client, the peer's and the whole local stack's, all from /proc (kernel
  // accounting, robust on a shared machine).
  log('CPU and memory per request and per GiB: deployed bundle under aws-lambda-ric, peer, local Function URL');
  // The seed pattern (bench/peer-function/handler.ts) as a streaming Lambda handler under the same client: what
  // the targets compare the deployed bundle with, per request, per GiB and in memory.
  const peerFunctionBundle = await buildBundle(
    join(RESULTS, 'peer-function'),
    true,
    here('./peer-function/handler.ts'),
  );
  // The seed pattern inside middy's streaming mode with the product's request log line (bench/peer-function/middy-handler.ts):
  // what the design's fixed parts cost per request, the floor under the per-request target.
  const fixedPartsBundle = await buildBundle(
    join(RESULTS, 'seed-middy-function'),
    true,
    here('./peer-function/middy-handler.ts'),
  );
  // The floor under the same client: the bytes generated in the function, no S3, no SDK (bench/cold-start/floor-stream-handler.ts).
  const floorFunctionBundle = await buildBundle(
    join(RESULTS, 'floor-stream-function'),
    true,
    here('./cold-start/floor-stream-handler.ts'),
  );
  const floorObjects = Object.fromEntries(
    (['small', 'medium'] as const).map((name) => [
      objects[name].key,
      { size: objects[name].size, key: keys[name].key.toString('hex'), nonce: keys[name].nonce.toString('hex') },
    ]),
  );
  const ricRuns = [
    { name: 'function-ric', label: CPU_ROWS.ric, args: [], env: {} },
    // Diagnostic: the same bundle with its one request log line (Powertools logger.info with the EMF metrics)
    // filtered out by the log level, to show what the line costs per request.
    {
      name: 'function-ric-no-request-line',
      label: CPU_ROWS.ricNoRequestLine,
      args: [],
      env: { POWERTOOLS_LOG_LEVEL: 'WARN' },
    },
    // Diagnostic: the same bundle with glibc's default malloc trimming (an empty GLIBC_TUNABLES sets nothing), to
    // show what the template's setting buys (lib/function-environment.ts). The seed pattern and the floor run with
    // the template's setting, as with its NODE_OPTIONS.
    {
      name: 'function-ric-default-malloc',
      label: CPU_ROWS.ricDefaultMalloc,
      args: [],
      env: { GLIBC_TUNABLES: '' },
    },
    {
      name: 'peer-function-ric',
      label: CPU_ROWS.ricPeer,
      args: ['--bundle-dir', dirname(peerFunctionBundle.file)],
      env: {},
    },
    {
      name: 'seed-middy-function-ric',
      label: CPU_ROWS.ricFixedParts,
      args: ['--bundle-dir', dirname(fixedPartsBundle.file)],
      env: {},
    },
    {
      name: 'floor-function-ric',
      label: CPU_ROWS.ricFloor,
      args: ['--bundle-dir', dirname(floorFunctionBundle.file)],
      env: { BENCH_FLOOR_OBJECTS: JSON.stringify(floorObjects) },
    },
  ];
  const ricProcesses: BenchProcess[] = [];
  let ricMissing: string | undefined;
  const cpuTargets: CpuCostTarget[] = [];
  for (const run of ricRuns) {
    let ric: BenchProcess;
    try {
      ric = await startFunction(run.name, [], 'aws-lambda-ric', run.args, run.env);
    } catch (error) {
      ricMissing = error instanceof Error ? error.message.split('\n')[0] : String(error);
      log(`aws-lambda-ric rows left out: ${ricMissing}`);
      break;
    }
    ricProcesses.push(ric);
    const ricPid = ric.pid;
    const ricPath = benchPath('product', ric.url, ricPid, sockets);
    // Sequential warm-up only: one execution environment takes one invocation at a time.
    for (let i = 0; i < config.ttfb.warmUp; i++) {
      for (const next of [probe, mid64k]) {
        const { key, start, end } = next();
        await ricPath.client.get(ricPath.urlFor(key), { headers: { range: `bytes=${start}-${end}` } });
      }
    }
    cpuTargets.push({
      label: run.label,
      path: ricPath,
      pids: () => processTree(ricPid).filter((pid) => pid !== ricPid),
    });
  }
  const pathNamed = (name: PathName): BenchPath => {
    const found = paths.find((p) => p.name === name);
    if (found?.pid == null) throw new Error(`no ${name} path`);
    return found;
  };
  const peerPath = pathNamed('peer');
  const productPath = pathNamed('product');
  cpuTargets.push({ label: CPU_ROWS.peer, path: peerPath, pids: () => [peer.pid] });
  cpuTargets.push({ label: CPU_ROWS.product, path: productPath, pids: () => processTree(product.pid) });
  const cpuCost = await measureCpuCosts(cpuTargets, {
    requests: config.cpuCost.requests,
    rounds: config.cpuCost.rounds,
    small,
    medium,
    rangeLength: config.cpuCost.rangeLength,
    ranges: config.cpuCost.ranges,
    memoryRanges: config.cpuCost.memoryRanges,
  });
  for (const result of cpuCost) {
    log(
      `${result.label}: ${result.cpuMsPerRequest.toFixed(2)} ms CPU per request, ${result.cpuSecondsPerGiB.toFixed(2)} s per GiB, RSS growth ${result.rssGrowth} B`,
    );
  }
  for (const target of cpuTargets) {
    if (ricRuns.some((run) => run.label === target.label)) target.path.client.close();
  }
  for (const ric of ricProcesses) await ric.stop();

  // After the memory phase: these reads stream whole objects, and idle RSS must be taken before any did.
  log('checking every path serves exact bytes, open-ended reads included');
  for (const path of paths) for (const note of await checkPath(path, small, medium)) log(note);

  log('time to first byte: bytes=0-1 probes');
  const probeTtfb = await measureTtfb(paths, probe, config.ttfb);
  log('time to first byte: 64 KiB mid-file ranges');
  const midTtfb = await measureTtfb(paths, mid64k, config.ttfb);

  log('throughput: open-ended reads');
  const openEnded = await measureThroughput(paths, config.throughput.reps, (path) =>
    openEndedRead(path, medium.key, medium.size),
  );
  log('throughput: one explicit large range');
  const explicit = await measureThroughput(paths, config.throughput.reps, (path) =>
    explicitRead(path, medium.key, medium.size, config.throughput.explicitLength),
  );

  for (const path of paths) path.client.close();
  await product.stop(); // flushes the CPU profile when BENCH_CPU_PROF=1
  await peer.stop();
  await handlerHost.stop();

  const playlists = await playlistsOf(bundle);

  // Last, with the other paths stopped: cold starts are timed in fresh processes, one at a time.
  const coldStart = await coldStartOf();

  await stopAll();
  return results({
    ttfb: { probe: probeTtfb, mid64k: midTtfb },
    throughput: { openEnded, explicit, explicitLength: config.throughput.explicitLength },
    memory,
    cpuCost,
    ...(ricMissing === undefined ? {} : { ricMissing }),
    coldStart,
    playlists,
  });
}

try {
  const results = await main();
  const markdown = onlyPlaylists ? renderPlaylistsMarkdown(results) : renderMarkdown(results, config);
  const verdictList = onlyPlaylists ? [] : verdicts(results, config);
  // A quick or partial run never replaces the latest full results.
  const name = onlyColdStart ? 'cold-start' : onlyPlaylists ? 'playlists' : config.quick ? 'quick' : 'latest';
  writeFileSync(join(RESULTS, `${name}.md`), markdown);
  // Paths inside the repository are written relative to its root, so the results read the same on any machine.
  const repoRelative = (_key: string, value: unknown): unknown =>
    typeof value === 'string' && value.startsWith(ROOT) ? relative(ROOT, value) : value;
  writeFileSync(
    join(RESULTS, `${name}.json`),
    `${JSON.stringify({ ...results, targets: verdictList }, repoRelative, 2)}\n`,
  );
  process.stdout.write(`${markdown}\n`);
  log(`done in ${results.durationSeconds.toFixed(0)} s; results in ${RESULTS}${name}.{md,json}`);
} catch (error) {
  await stopAll();
  log('FAILED');
  throw error;
}
