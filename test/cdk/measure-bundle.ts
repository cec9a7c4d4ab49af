/**
 * Measures the two ways to ship the AWS SDK with the handler, to decide `BUNDLE_AWS_SDK` in
 * lib/media-function.ts with numbers rather than folklore:
 *   bundled  - esbuild bundles @aws-sdk/* and @smithy/* into index.mjs (tree-shaken, minified)
 *   external - @aws-sdk/* and @smithy/* stay external and resolve from node_modules at init, as the Lambda
 *              runtime's preinstalled SDK would (the runtime's copy is the same kind of unbundled package tree)
 * Both use the NodejsFunction options of lib/media-function.ts (ESM, node24, createRequire banner, minify,
 * linked source map without sourcesContent). For each it reports the bundle size, the zipped size, and the
 * time to `import()` the handler in a FRESH Node process (median of N), with and without
 * `--enable-source-maps`.
 *
 * Run: node_modules/.bin/node test/cdk/measure-bundle.ts [runs]   (not a jest test: it prints numbers)
 * Output goes to a temporary directory outside the repository.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { BUNDLE_ALIASES, ESM_REQUIRE_BANNER } from '../../lib/media-function.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const entry = join(root, 'lambda/handler.ts');
const runs = Number(process.argv[2] ?? '15');
const work = mkdtempSync(join(tmpdir(), 'media-origin-bundle-'));
// The external variant resolves @aws-sdk/* from here, like the runtime's /var/runtime/node_modules.
symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'));

/**
 * The importer: a stub `awslambda` global (middy calls `awslambda.streamifyResponse` at import), the env the
 * handler's config requires, then one timed dynamic import. Written inline, nothing in lambda/ or local/.
 */
const importer = `
const t0 = performance.now();
globalThis.awslambda = {
  streamifyResponse: (fn) => fn,
  HttpResponseStream: { from: (stream) => stream },
};
process.env.BUCKET_NAME = 'media-bucket';
process.env.AWS_REGION = 'us-east-1';
const mod = await import(process.argv[2]);
const t1 = performance.now();
if (typeof mod.handler !== 'function') throw new Error('no handler export');
const cpu = process.cpuUsage();
process.stdout.write(JSON.stringify({ importMs: t1 - t0, sinceProcessStartMs: t1, cpuMs: (cpu.user + cpu.system) / 1000 }));
`;
writeFileSync(join(work, 'import-once.mjs'), importer);

interface Variant {
  readonly name: string;
  readonly external: string[];
  readonly minify: boolean;
}
const SDK = ['@aws-sdk/*', '@smithy/*'];
const variants: Variant[] = [
  { name: 'bundled, minified', external: [], minify: true },
  { name: 'external SDK, minified', external: SDK, minify: true },
  { name: 'bundled, not minified', external: [], minify: false },
  { name: 'external SDK, not minified', external: SDK, minify: false },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function importOnce(
  file: string,
  nodeOptions: readonly string[],
): { importMs: number; startMs: number; cpuMs: number } {
  const out = execFileSync(process.execPath, [...nodeOptions, join(work, 'import-once.mjs'), file], {
    cwd: work,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    encoding: 'utf8',
  });
  const parsed = JSON.parse(out) as { importMs: number; sinceProcessStartMs: number; cpuMs: number };
  return { importMs: parsed.importMs, startMs: parsed.sinceProcessStartMs, cpuMs: parsed.cpuMs };
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
interface Built {
  readonly variant: Variant;
  readonly file: string;
  readonly size: number;
  readonly gz: number;
  readonly mapSize: number;
  readonly sdkModules: number;
  readonly samples: Record<'plain' | 'maps' | 'start' | 'cpu' | 'mapsCpu', number[]>;
}
const built: Built[] = [];
for (const variant of variants) {
  const outdir = join(work, variant.name.replace(/[^a-z]+/g, '-'));
  mkdirSync(outdir);
  const result = await build({
    metafile: true,
    entryPoints: [entry],
    outfile: join(outdir, 'index.mjs'),
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    alias: { ...BUNDLE_ALIASES },
    minify: variant.minify,
    sourcemap: 'linked',
    sourcesContent: false,
    external: variant.external,
    logLevel: 'warning',
  });
  const file = join(outdir, 'index.mjs');
  built.push({
    variant,
    file,
    size: statSync(file).size,
    gz: gzipSync(readFileSync(file)).length,
    mapSize: statSync(`${file}.map`).size,
    // Modules under @aws-sdk / @smithy in the bundle: what the external variant resolves file by file at init.
    sdkModules: Object.keys(result.metafile.inputs).filter((input) => /node_modules\/@(aws-sdk|smithy)\//.test(input))
      .length,
    samples: { plain: [], maps: [], start: [], cpu: [], mapsCpu: [] },
  });
}

// Round-robin, so load from other processes on this (shared, 2-core) machine hits every variant alike.
for (let i = 0; i < runs; i++) {
  for (const b of built) {
    const plain = importOnce(b.file, []);
    b.samples.plain.push(plain.importMs);
    b.samples.start.push(plain.startMs);
    b.samples.cpu.push(plain.cpuMs);
    const maps = importOnce(b.file, ['--enable-source-maps']);
    b.samples.maps.push(maps.importMs);
    b.samples.mapsCpu.push(maps.cpuMs);
  }
}

const ms = (values: number[]) => `${median(values).toFixed(0)} ms (min ${Math.min(...values).toFixed(0)})`;
const rows = built.map(
  (b) =>
    `| ${b.variant.name} | ${kib(b.size)} | ${kib(b.gz)} | ${kib(b.mapSize)} | ${b.sdkModules} | ${ms(b.samples.plain)} | ${ms(b.samples.start)} | ${ms(b.samples.cpu)} | ${ms(b.samples.maps)} | ${ms(b.samples.mapsCpu)} |`,
);

console.log(`Node ${process.version}, ${runs} fresh processes per cell (round-robin), median (min); output in ${work}`);
console.log(
  '| variant | index.mjs | gzip | .map | SDK modules bundled | import() wall | process start -> ready, wall | CPU to ready | import() wall, --enable-source-maps | CPU to ready, --enable-source-maps |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
