/**
 * The bundle alone: build the deployable bundle the way the CDK NodejsFunction does (lib/media-function.ts),
 * report its size, and time `import` + the first response in fresh Node processes without the runtime client
 * (bench/cold-start/probe.ts). The cold start as Lambda runs it, under the runtime client, is
 * bench/measure/ric-cold-start.ts.
 *
 * lib/ exports the pieces of its bundling config that matter (entry, ESM `require` banner, aliases, whether the
 * SDK is bundled) and they are imported here; the rest of its NodejsFunction `bundling` block (ESM, node24,
 * minify, linked source map without sourcesContent, mainFields module,main) is replicated below as the esbuild
 * options CDK's bundler turns it into (aws-cdk-lib/aws-lambda-nodejs/lib/bundling.js, buildEsbuildArgs).
 * The probe gets the environment the stack gives the function (lib/function-environment.ts), NODE_OPTIONS
 * included; the `sourceMaps` option adds `--enable-source-maps` to price it.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { functionEnvironment } from '../../lib/function-environment.ts';
import { BUNDLE_ALIASES, BUNDLE_AWS_SDK, DEFAULT_HANDLER_ENTRY, ESM_REQUIRE_BANNER } from '../../lib/media-function.ts';
import { MEDIA_ORIGIN_DEFAULTS } from '../../lib/media-origin-props.ts';
import { median } from '../support/stats.ts';

const PROBE = fileURLToPath(new URL('../cold-start/probe.ts', import.meta.url));

export interface BundleInfo {
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly sourceMapBytes: number;
  readonly sdkBundled: boolean;
  /** Largest contributors to the output, by package. */
  readonly topPackages: ReadonlyArray<{ readonly name: string; readonly bytes: number }>;
}

export interface ColdStartRun {
  readonly bootMs: number;
  readonly importMs: number;
  readonly firstResponseMs: number;
  readonly totalMs: number;
  /** CPU (user + system) spent on import + first response. */
  readonly cpuMs: number;
  /** Spawn to exit of the whole process, as seen by the parent (includes Node's own start-up). */
  readonly processMs: number;
}

export interface ColdStartResult {
  /** What was measured, e.g. "deployed bundle" or a variant. */
  readonly label: string;
  readonly bundle: BundleInfo;
  readonly nodeOptions: string;
  readonly runs: readonly ColdStartRun[];
  readonly medianImportMs: number;
  readonly medianFirstResponseMs: number;
  readonly medianTotalMs: number;
  readonly medianCpuMs: number;
  readonly medianProcessMs: number;
}

function packageOf(input: string): string {
  const at = input.lastIndexOf('node_modules/');
  if (at < 0) return '(project code)';
  const rest = input.slice(at + 'node_modules/'.length).split('/');
  return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? input);
}

export async function buildBundle(
  outDir: string,
  sdkBundled: boolean = BUNDLE_AWS_SDK,
  entry: string = DEFAULT_HANDLER_ENTRY,
): Promise<BundleInfo> {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, 'index.mjs');
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    outfile: file,
    minify: MEDIA_ORIGIN_DEFAULTS.minify,
    sourcemap: true,
    sourcesContent: false,
    external: sdkBundled ? [] : ['@aws-sdk/*', '@smithy/*'],
    banner: { js: ESM_REQUIRE_BANNER },
    alias: { ...BUNDLE_ALIASES },
    mainFields: ['module', 'main'],
    metafile: true,
    logLevel: 'warning',
  });
  const code = readFileSync(file);
  const byPackage = new Map<string, number>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(input);
      byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
    }
  }
  const topPackages = [...byPackage.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([name, bytes]) => ({ name, bytes }));
  return {
    file,
    bytes: code.length,
    gzipBytes: gzipSync(code, { level: 9 }).length,
    sourceMapBytes: statSync(`${file}.map`).size,
    sdkBundled,
    topPackages,
  };
}

function runProbe(bundle: string, key: string, env: Record<string, string>): Promise<ColdStartRun> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [PROBE, '--bundle', bundle, '--key', key], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const processMs = performance.now() - start;
      // The handler logs through stdout too (one JSON line per request); the probe's result is the last line.
      const line = stdout.trim().split('\n').at(-1) ?? '';
      try {
        if (code !== 0) throw new Error(`exit code ${code}`);
        const parsed = JSON.parse(line) as Omit<ColdStartRun, 'processMs'> & {
          statusCode?: unknown;
          bodyBytes?: unknown;
        };
        if (parsed.statusCode !== 206 || parsed.bodyBytes !== 2) {
          throw new Error(`first response was ${String(parsed.statusCode)} with ${String(parsed.bodyBytes)} bytes`);
        }
        const { bootMs, importMs, firstResponseMs, totalMs, cpuMs } = parsed;
        resolve({ bootMs, importMs, firstResponseMs, totalMs, cpuMs, processMs });
      } catch (error) {
        reject(new Error(`cold-start probe failed: ${stderr.slice(-2000)}\n${stdout.slice(-2000)}`, { cause: error }));
      }
    });
  });
}

export interface ColdStartOptions {
  readonly label: string;
  readonly bundle: BundleInfo;
  /** true: add --enable-source-maps to NODE_OPTIONS (a variant, to price it); default: as deployed (without). */
  readonly sourceMaps?: boolean;
  readonly runs: number;
  readonly s3Endpoint: string;
  readonly bucket: string;
  readonly key: string;
}

/**
 * The environment the CDK stack gives the function with its defaults (lib/function-environment.ts). Source maps
 * off, as lib/media-origin.ts sets them; the runtime-client rows read NODE_OPTIONS from the template itself.
 */
export function deployedEnvironment(bucket: string, sourceMaps = false): Record<string, string> {
  return functionEnvironment({ ...MEDIA_ORIGIN_DEFAULTS, plainGetRedirect: 'off', bucketName: bucket, sourceMaps });
}

function probeEnvironment(options: ColdStartOptions): Record<string, string> {
  return {
    ...deployedEnvironment(options.bucket, options.sourceMaps ?? false),
    S3_ENDPOINT: options.s3Endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
  };
}

export async function measureColdStart(options: ColdStartOptions): Promise<ColdStartResult> {
  const [result] = await measureColdStarts([options]);
  if (result === undefined) throw new Error('no cold-start result');
  return result;
}

/**
 * Several subjects' cold starts, round-robin (run i of every subject before run i + 1 of any), so a change of
 * load on the machine falls on all of them alike. Each subject's own `runs` (the largest is used for all).
 */
export async function measureColdStarts(subjects: readonly ColdStartOptions[]): Promise<ColdStartResult[]> {
  const envs = subjects.map(probeEnvironment);
  const runs: ColdStartRun[][] = subjects.map(() => []);
  const count = Math.max(0, ...subjects.map((s) => s.runs));
  for (let i = 0; i < count; i++) {
    for (const [n, subject] of subjects.entries()) {
      runs[n]?.push(await runProbe(subject.bundle.file, subject.key, envs[n] ?? {}));
    }
  }
  return subjects.map((subject, n) => ({
    label: subject.label,
    bundle: subject.bundle,
    nodeOptions: envs[n]?.NODE_OPTIONS ?? '',
    runs: runs[n] ?? [],
    ...coldStartMedians(runs[n] ?? []),
  }));
}

/** The medians a `ColdStartResult` reports, over any set of runs (one probe's, or several pooled). */
export function coldStartMedians(
  runs: readonly ColdStartRun[],
): Pick<
  ColdStartResult,
  'medianImportMs' | 'medianFirstResponseMs' | 'medianTotalMs' | 'medianCpuMs' | 'medianProcessMs'
> {
  return {
    medianImportMs: median(runs.map((r) => r.importMs)),
    medianFirstResponseMs: median(runs.map((r) => r.firstResponseMs)),
    medianTotalMs: median(runs.map((r) => r.totalMs)),
    medianCpuMs: median(runs.map((r) => r.cpuMs)),
    medianProcessMs: median(runs.map((r) => r.processMs)),
  };
}
