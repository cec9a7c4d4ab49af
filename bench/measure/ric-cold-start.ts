/**
 * Cold start as Lambda runs it: AWS's runtime interface client (aws-lambda-ric, its `index.mjs` as the runtime's
 * bootstrap runs it) in a fresh process, the function's environment and NODE_OPTIONS from the template, talking
 * to a Runtime API of its own (local/runtimes/aws-ric/runtime-api-server.ts) that holds the first invocation ready, so the client's
 * first `/next` gets it at once. One run measures, from the spawn:
 * - init: wall time to the first `/next` (Node start, the client's start, the bundle's import and top level),
 *   and the process's CPU at that moment;
 * - first response: wall time until the streamed response POST has ended (prelude + body received), and the
 *   process's CPU when the client asks for the next event (the invocation is over).
 * CPU is the sum of every thread's scheduler run time (/proc/<pid>/task/<tid>/schedstat, nanoseconds; the
 * /proc/<pid>/stat ticks are 10 ms, too coarse for ~100 ms figures). Subjects are run round-robin so load
 * from other processes on a shared machine hits each alike; the report shows medians.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { findRuntimeClient } from '../../local/runtimes/aws-ric/client-package.ts';
import { RuntimeApiServer } from '../../local/runtimes/aws-ric/runtime-api-server.ts';
import { lambdaDefinedEnv } from '../../local/runtimes/lambda-defined-env.ts';
import type { FunctionErrorData, InvocationSink } from '../../local/runtimes/runtime.ts';
import { functionUrlEvent } from '../../test/support/function-url-event.ts';
import { median } from '../support/stats.ts';

const EXIT_ON_SIGTERM = fileURLToPath(new URL('../cold-start/exit-on-sigterm.mjs', import.meta.url));
const PRELUDE_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';

export interface ColdStartSubject {
  readonly label: string;
  /** LAMBDA_TASK_ROOT: the folder holding the bundle. */
  readonly dir: string;
  /** e.g. `index.handler`. */
  readonly handler: string;
  /** NODE_OPTIONS as the template sets it. */
  readonly nodeOptions: string;
  /** The function's own variables (without NODE_OPTIONS). */
  readonly env: Readonly<Record<string, string>>;
}

export interface RicColdStartRun {
  readonly initWallMs: number;
  readonly initCpuMs: number;
  readonly firstResponseWallMs: number;
  readonly firstResponseCpuMs: number;
}

export interface RicColdStartResult {
  readonly label: string;
  readonly nodeOptions: string;
  readonly runs: readonly RicColdStartRun[];
  readonly median: RicColdStartRun;
}

/** CPU of every live thread of `pid`, in ms (threads are Node's own and stay alive: none is missed). */
export function processCpuMs(pid: number): number {
  let ns = 0;
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return Number.NaN;
  }
  for (const tid of tasks) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // exited meanwhile
    }
  }
  return ns / 1e6;
}

function decodeStatus(contentType: string, wire: Buffer): { statusCode: unknown; body: Buffer } {
  if (contentType !== PRELUDE_CONTENT_TYPE) return { statusCode: undefined, body: wire };
  const end = wire.indexOf(Buffer.alloc(8));
  if (end < 0) return { statusCode: undefined, body: wire };
  const prelude = JSON.parse(wire.subarray(0, end).toString('utf8')) as { statusCode?: unknown };
  return { statusCode: prelude.statusCode, body: wire.subarray(end + 8) };
}

export interface OneColdStartOptions {
  readonly subject: ColdStartSubject;
  readonly key: string;
  /** Extra NODE_OPTIONS for this run only (the profiled run). */
  readonly extraNodeOptions?: readonly string[];
  readonly timeoutMs?: number;
}

/** One cold start in a fresh process; resolves once the process is gone. */
export async function oneColdStart(options: OneColdStartOptions): Promise<RicColdStartRun> {
  const { subject, key, extraNodeOptions = [], timeoutMs = 60_000 } = options;
  const client = findRuntimeClient();
  const requestId = `cold-${process.pid}-${performance.now().toFixed(0)}`;
  const chunks: Buffer[] = [];
  let contentType = 'application/octet-stream';
  let nexts = 0;
  let pid = 0;
  let spawnedAt = 0;
  let init: { wall: number; cpu: number } | undefined;
  let responseEndWall: number | undefined;
  let settle: (error?: Error, run?: RicColdStartRun) => void = () => undefined;
  const done = new Promise<RicColdStartRun>((resolve, reject) => {
    settle = (error, run) => (error === undefined && run !== undefined ? resolve(run) : reject(error));
  });
  const sink: InvocationSink = {
    open: (type) => {
      contentType = type;
    },
    data: (chunk, ack) => {
      chunks.push(Buffer.from(chunk));
      ack();
    },
    end: () => {
      responseEndWall = performance.now() - spawnedAt;
    },
    fail: (error: FunctionErrorData) =>
      settle(new Error(`${subject.label}: ${error.errorType}: ${error.errorMessage}`)),
    resolved: () => undefined,
  };
  let api: RuntimeApiServer | undefined;
  api = await RuntimeApiServer.start({
    flowWindowBytes: 1024 * 1024,
    log: () => undefined,
    events: {
      next: () => {
        nexts += 1;
        const now = performance.now() - spawnedAt;
        if (nexts === 1) {
          init = { wall: now, cpu: processCpuMs(pid) };
          api?.dispatch({
            requestId,
            eventJson: JSON.stringify(
              functionUrlEvent({
                path: `/${key}`,
                headers: { range: 'bytes=0-1', 'user-agent': 'AppleCoreMedia/1.0.0', accept: '*/*' },
                requestId,
              }),
            ),
            deadlineMs: Date.now() + timeoutMs,
            functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bench-cold-start',
            sink,
          });
          return;
        }
        // The invocation is over: the client asks for the next one.
        const cpu = processCpuMs(pid);
        const { statusCode, body } = decodeStatus(contentType, Buffer.concat(chunks));
        if (init === undefined || responseEndWall === undefined) {
          settle(new Error(`${subject.label}: the client asked again without a response`));
        } else if (statusCode !== 206 || body.length !== 2) {
          settle(new Error(`${subject.label}: first response ${String(statusCode)} with ${body.length} bytes`));
        } else {
          settle(undefined, {
            initWallMs: init.wall,
            initCpuMs: init.cpu,
            firstResponseWallMs: responseEndWall,
            firstResponseCpuMs: cpu,
          });
        }
      },
      initError: (error) => settle(new Error(`${subject.label}: init error ${error.errorType}: ${error.errorMessage}`)),
    },
  });
  const env: Record<string, string> = {
    PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
    ...subject.env,
    ...lambdaDefinedEnv({ functionName: 'bench-cold-start', memoryLimitInMB: 1024 }),
    AWS_LAMBDA_RUNTIME_API: api.address,
    _HANDLER: subject.handler,
    LAMBDA_TASK_ROOT: subject.dir,
    NODE_OPTIONS: [subject.nodeOptions, ...extraNodeOptions].filter((o) => o !== '').join(' '),
  };
  let output = '';
  spawnedAt = performance.now();
  const child = spawn(process.execPath, [client.entry, subject.handler], {
    cwd: subject.dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  pid = child.pid ?? 0;
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code, signal) => settle(new Error(`${subject.label}: exited (${code ?? signal}) early`)));
  const timer = setTimeout(() => settle(new Error(`${subject.label}: no response in ${timeoutMs} ms`)), timeoutMs);
  try {
    return await done;
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${output}`);
  } finally {
    clearTimeout(timer);
    // SIGTERM: the profiled run's preload turns it into process.exit() so the profile is written. The client's
    // JavaScript only runs it once its blocking native /next returns, so the Runtime API closes that first.
    child.kill(extraNodeOptions.length > 0 ? 'SIGTERM' : 'SIGKILL');
    await api.close();
    await exited;
  }
}

export interface RicColdStartOptions {
  readonly subjects: readonly ColdStartSubject[];
  readonly runs: number;
  readonly key: string;
  readonly log?: (line: string) => void;
}

/** `runs` cold starts of every subject, round-robin; medians per subject. */
export async function measureRicColdStarts(options: RicColdStartOptions): Promise<RicColdStartResult[]> {
  const { subjects, runs, key, log = () => undefined } = options;
  const all = subjects.map(() => [] as RicColdStartRun[]);
  for (let i = 0; i < runs; i++) {
    for (const [index, subject] of subjects.entries()) {
      const run = await oneColdStart({ subject, key });
      all[index]?.push(run);
      log(
        `cold start ${i + 1}/${runs} ${subject.label}: init ${run.initWallMs.toFixed(0)} ms (${run.initCpuMs.toFixed(0)} ms CPU), ` +
          `first response ${run.firstResponseWallMs.toFixed(0)} ms (${run.firstResponseCpuMs.toFixed(0)} ms CPU)`,
      );
    }
  }
  return subjects.map((subject, index) => {
    const list = all[index] ?? [];
    return {
      label: subject.label,
      nodeOptions: subject.nodeOptions,
      runs: list,
      median: {
        initWallMs: median(list.map((r) => r.initWallMs)),
        initCpuMs: median(list.map((r) => r.initCpuMs)),
        firstResponseWallMs: median(list.map((r) => r.firstResponseWallMs)),
        firstResponseCpuMs: median(list.map((r) => r.firstResponseCpuMs)),
      },
    };
  });
}

/** One profiled cold start (`--cpu-prof`): the profile file it wrote. */
export async function profiledColdStart(subject: ColdStartSubject, key: string, outDir: string): Promise<string> {
  const name = `cold-start-${Date.now()}.cpuprofile`;
  await oneColdStart({
    subject,
    key,
    extraNodeOptions: [
      `--import=${EXIT_ON_SIGTERM}`,
      '--cpu-prof',
      '--cpu-prof-interval=250',
      `--cpu-prof-dir=${outDir}`,
      `--cpu-prof-name=${name}`,
    ],
  });
  return join(outDir, name);
}
