/**
 * The function as `cdk synth` ships it: the real-client mode runs the SYNTHESIZED bundle
 * (asset.<hash>/index.mjs with its source map), not the TypeScript source, so a change to the bundling, the ESM
 * banner or the handler export breaks here as it would on Lambda.
 *
 * The CDK app (bin/media-origin.ts) is run the way the CDK CLI runs it for `cdk synth`: with CDK_OUTDIR and
 * CDK_CONTEXT_JSON (cdk.json's context) set, which writes the same cloud assembly the CLI would (the CLI only adds
 * metadata switches). Then: manifest.json -> the stack's template -> the function the Function URL targets ->
 * its Code.S3Key (the asset hash) -> the asset manifest -> the asset folder; Handler and NODE_OPTIONS come from
 * the same template. Synthesis takes ~10 s (esbuild + cdk-nag), so the assembly is cached under
 * node_modules/.cache/, keyed by a hash of everything that goes into it (lambda/, lib/, bin/media-origin.ts,
 * cdk.json, package-lock.json).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const APP = join(ROOT, 'bin', 'media-origin.ts');
const INPUTS = ['lambda', 'lib', 'bin/media-origin.ts', 'cdk.json', 'package-lock.json'];
const CACHE_DIR = join(ROOT, 'node_modules', '.cache', 'media-origin', 'cloud-assembly');

export interface FunctionBundle {
  /** LAMBDA_TASK_ROOT: the asset folder (index.mjs + index.mjs.map). */
  readonly dir: string;
  /** The function's Handler, e.g. "index.handler". */
  readonly handler: string;
  /** NODE_OPTIONS as the stack sets it (lib/function-environment.ts), if it does. */
  readonly nodeOptions: string | undefined;
  /** The function's timeout and memory in the template. */
  readonly timeoutSeconds: number | undefined;
  readonly memorySize: number | undefined;
  /** The cloud assembly it came from. */
  readonly assemblyDir: string;
}

export class BundleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleError';
  }
}

/** Synthesizes the app (or reuses the cached assembly for the same inputs) and locates the function's bundle. */
export async function synthesizedBundle(log: (line: string) => void = () => undefined): Promise<FunctionBundle> {
  const key = inputHash();
  const target = join(CACHE_DIR, key);
  if (!existsSync(join(target, 'manifest.json'))) {
    mkdirSync(CACHE_DIR, { recursive: true });
    const staging = `${target}.${process.pid}.${Date.now()}`;
    const started = performance.now();
    log(`[ric] synthesizing the CDK app for the function bundle (cached by input hash ${key.slice(0, 12)})`);
    await runApp(staging);
    try {
      renameSync(staging, target);
    } catch (error) {
      // Another process (a parallel test worker) got there first with the same inputs: use its assembly.
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(join(target, 'manifest.json'))) throw error;
    }
    log(`[ric] synthesized in ${Math.round(performance.now() - started)} ms`);
  }
  return bundleFromAssembly(target);
}

/** Locates the Function URL's function and its asset folder in a cloud assembly (e.g. `cdk.out`). */
export function bundleFromAssembly(assemblyDir: string): FunctionBundle {
  const manifest = readJson(join(assemblyDir, 'manifest.json'));
  const artifacts = record(manifest.artifacts);
  const stacks = Object.values(artifacts).filter((a) => record(a).type === 'aws:cloudformation:stack');
  const assetManifests = Object.values(artifacts).filter((a) => record(a).type === 'cdk:asset-manifest');
  if (stacks.length !== 1) throw new BundleError(`${assemblyDir}: expected one stack, found ${stacks.length}`);
  const templateFile = String(record(record(stacks[0]).properties).templateFile);
  const resources = record(readJson(join(assemblyDir, templateFile)).Resources);

  const urls = Object.values(resources).filter((r) => record(r).Type === 'AWS::Lambda::Url');
  if (urls.length !== 1) throw new BundleError(`${templateFile}: expected one AWS::Lambda::Url, found ${urls.length}`);
  const target = record(record(urls[0]).Properties).TargetFunctionArn;
  const getAtt = record(target)['Fn::GetAtt'];
  const logicalId = Array.isArray(getAtt) ? String(getAtt[0]) : undefined;
  const fn = logicalId === undefined ? undefined : record(resources[logicalId]);
  if (fn === undefined || fn.Type !== 'AWS::Lambda::Function') {
    throw new BundleError(`${templateFile}: the Function URL does not target a function of this stack`);
  }
  const props = record(fn.Properties);
  const s3Key = String(record(props.Code).S3Key ?? '');
  const hash = s3Key.replace(/\.zip$/, '');
  let assetPath: string | undefined;
  for (const artifact of assetManifests) {
    const file = String(record(record(artifact).properties).file);
    const entry = record(record(readJson(join(assemblyDir, file)).files)[hash]);
    const path = record(entry.source).path;
    if (typeof path === 'string') assetPath = path;
  }
  if (assetPath === undefined) throw new BundleError(`${assemblyDir}: no asset ${hash} for function ${logicalId}`);
  const dir = join(assemblyDir, assetPath);
  const handler = String(props.Handler ?? '');
  const moduleName = handler.split('.')[0] ?? '';
  if (!existsSync(join(dir, `${moduleName}.mjs`))) {
    throw new BundleError(`${dir}: no ${moduleName}.mjs for handler "${handler}"`);
  }
  const variables = record(record(props.Environment).Variables);
  return {
    dir,
    handler,
    nodeOptions: typeof variables.NODE_OPTIONS === 'string' ? variables.NODE_OPTIONS : undefined,
    timeoutSeconds: typeof props.Timeout === 'number' ? props.Timeout : undefined,
    memorySize: typeof props.MemorySize === 'number' ? props.MemorySize : undefined,
    assemblyDir,
  };
}

function runApp(outDir: string): Promise<void> {
  const cdkJson = readJson(join(ROOT, 'cdk.json'));
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    // The test runner's NODE_OPTIONS (--experimental-vm-modules) is not the app's.
    if (value !== undefined && name !== 'NODE_OPTIONS') env[name] = value;
  }
  env.CDK_OUTDIR = outDir;
  env.CDK_CONTEXT_JSON = JSON.stringify(record(cdkJson.context));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [APP], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-8000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve();
      else reject(new BundleError(`synthesizing ${relative(ROOT, APP)} failed (exit ${code}):\n${output}`));
    });
  });
}

function inputHash(): string {
  const hash = createHash('sha256');
  const files: string[] = [];
  const walk = (path: string): void => {
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) walk(join(path, name));
    } else {
      files.push(path);
    }
  };
  for (const input of INPUTS) walk(join(ROOT, input));
  for (const file of files) {
    hash.update(relative(ROOT, file));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

function readJson(path: string): Record<string, unknown> {
  return record(JSON.parse(readFileSync(path, 'utf8')));
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
