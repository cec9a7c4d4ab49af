/**
 * `node bench/bundle-size.ts`: only the bundle and cold-start part of `npm run bench` (about 15 s), for
 * bundling decisions in lib/media-function.ts (SDK bundled or taken from the runtime). Builds both variants
 * the way the CDK NodejsFunction does and times import + first response in fresh processes against an S3
 * server started here. Prints a Markdown table; writes nothing outside bench/results/.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBenchConfig } from './config.ts';
import { type BundleInfo, buildBundle, type ColdStartResult, measureColdStart } from './measure/cold-start.ts';
import { type BenchProcess, startProcess } from './support/child.ts';
import { createKeystream } from './support/keystream.ts';
import { benchS3Client, createBucket, uploadObject } from './support/objects.ts';

const config = loadBenchConfig();
const results = fileURLToPath(new URL('./results/', import.meta.url));
const mb = (bytes: number): string => `${(bytes / 1_000_000).toFixed(3)} MB`;

let s3: BenchProcess | undefined;
try {
  s3 = await startProcess({ name: 's3', entry: join(results, '../processes/s3.ts'), logFile: join(results, 's3.log') });
  const client = benchS3Client(s3.url);
  await createBucket(client, config.bucket);
  const { key, size } = config.objects.small;
  await uploadObject(client, config.bucket, key, size, createKeystream());
  client.destroy();

  const bundles: BundleInfo[] = [await buildBundle(join(results, 'bundle'))];
  bundles.push(await buildBundle(join(results, 'bundle-alternative'), !bundles[0]?.sdkBundled));
  const rows: ColdStartResult[] = [];
  for (const bundle of bundles) {
    const label = bundle.sdkBundled ? 'AWS SDK bundled' : 'AWS SDK external (runtime)';
    rows.push(
      await measureColdStart({
        label,
        bundle,
        runs: config.coldStart.runs,
        s3Endpoint: s3.url,
        bucket: config.bucket,
        key,
      }),
    );
  }
  const lines = [
    '| bundle | size | gzip | import (median) | first response | import + first response |',
    '|---|---|---|---|---|---|',
    ...rows.map(
      (r, i) =>
        `| ${r.label}${i === 0 ? ' (deployed)' : ''} | ` +
        `${mb(r.bundle.bytes)} | ${mb(r.bundle.gzipBytes)} | ${r.medianImportMs.toFixed(1)} ms | ` +
        `${r.medianFirstResponseMs.toFixed(1)} ms | ${r.medianTotalMs.toFixed(1)} ms |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await s3?.stop();
}
