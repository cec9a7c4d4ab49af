/**
 * The cold-start part of `npm run bench` (also alone: `npm run bench -- --only cold-start`):
 * - under AWS's runtime interface client (bench/measure/ric-cold-start.ts), round-robin in fresh processes:
 *   the deployed bundle as `cdk synth` writes it (local/runtimes/aws-ric/bundle.ts), the seed pattern
 *   (bench/peer-function/handler.ts) and a trivial streaming handler (the floor: Node + the client), all with
 *   the template's NODE_OPTIONS;
 * - one profiled cold start of the deployed bundle (`--cpu-prof`), broken down by phase and module
 *   (bench/profile/cold-start-breakdown.ts);
 * - the bundle alone: import + first response in a fresh process without the client
 *   (bench/cold-start/probe.ts), with the template's NODE_OPTIONS and, to price them, with
 *   `--enable-source-maps` and with the other AWS SDK choice.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { synthesizedBundle } from '../../local/runtimes/aws-ric/bundle.ts';
import type { BenchConfig } from '../config.ts';
import { buildBundle, type ColdStartResult, deployedEnvironment, measureColdStarts } from '../measure/cold-start.ts';
import { measureRicColdStarts, profiledColdStart, type RicColdStartResult } from '../measure/ric-cold-start.ts';
import { breakdownOfFile, type ColdStartBreakdown } from '../profile/cold-start-breakdown.ts';

const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

/** Row labels of the cold-start table. */
export const COLD_START_ROWS = {
  floor: 'floor: trivial streaming handler',
  seed: 'seed pattern: GetObject piped to the response stream',
  product: 'deployed bundle (cdk synth)',
} as const;

/** Label of the bundle-alone row of the seed pattern. */
export const SEED_ALONE = 'seed pattern alone (the same S3 client, one GetObject)';

export interface ColdStartSection {
  /** NODE_OPTIONS of the template, given to every subject. */
  readonly nodeOptions: string;
  /** floor, seed, product (COLD_START_ROWS), under aws-lambda-ric. */
  readonly ric: readonly RicColdStartResult[];
  /** Why the runtime-client rows are missing, when they are. */
  readonly ricMissing?: string;
  readonly breakdown?: ColdStartBreakdown;
  /** The bundle alone (in-process probe) with the template's NODE_OPTIONS: the target row. */
  readonly bundleAlone: ColdStartResult;
  /** The bundle alone with other choices, to price them. */
  readonly variants: readonly ColdStartResult[];
}

export interface ColdStartSectionOptions {
  readonly config: BenchConfig;
  readonly s3Endpoint: string;
  readonly bucket: string;
  /** The small object: the first request is `bytes=0-1` of it. */
  readonly key: string;
  readonly resultsDir: string;
  readonly log: (line: string) => void;
}

export async function runColdStartSection(options: ColdStartSectionOptions): Promise<ColdStartSection> {
  const { config, s3Endpoint, bucket, key, resultsDir, log } = options;
  const { NODE_OPTIONS: templateOptions, ...functionEnv } = deployedEnvironment(bucket);
  const env = {
    ...functionEnv,
    S3_ENDPOINT: s3Endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
  };

  log('building the bundles: deployed (cdk synth, cached by input), seed pattern, floor');
  const bundle = await buildBundle(join(resultsDir, 'bundle'));
  const seedBundle = await buildBundle(join(resultsDir, 'seed-function'), true, here('../peer-function/handler.ts'));
  await buildBundle(join(resultsDir, 'floor-function'), true, here('./floor-handler.ts'));

  let ric: RicColdStartResult[] = [];
  let ricMissing: string | undefined;
  let breakdown: ColdStartBreakdown | undefined;
  let nodeOptions = templateOptions ?? '';
  try {
    const synthesized = await synthesizedBundle(log);
    nodeOptions = synthesized.nodeOptions ?? '';
    const subject = (label: string, dir: string, handler = 'index.handler') => ({
      label,
      dir,
      handler,
      nodeOptions,
      env,
    });
    const subjects = [
      subject(COLD_START_ROWS.floor, join(resultsDir, 'floor-function')),
      subject(COLD_START_ROWS.seed, join(resultsDir, 'seed-function')),
      subject(COLD_START_ROWS.product, synthesized.dir, synthesized.handler),
    ];
    log(`cold starts under aws-lambda-ric, ${config.coldStart.runs} per subject, NODE_OPTIONS="${nodeOptions}"`);
    ric = await measureRicColdStarts({ subjects, runs: config.coldStart.runs, key, log });
    const profiles = join(resultsDir, 'profiles');
    mkdirSync(profiles, { recursive: true });
    const product = subjects[2];
    if (product !== undefined) {
      const file = await profiledColdStart(product, key, profiles);
      breakdown = breakdownOfFile(file, join(synthesized.dir, 'index.mjs'));
      log(`profiled cold start: ${file}`);
    }
  } catch (error) {
    ricMissing = error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error);
    log(`aws-lambda-ric cold starts left out: ${ricMissing}`);
  }

  log('the bundle alone: import + first response in fresh processes');
  const common = { runs: config.coldStart.runs, s3Endpoint, bucket, key };
  const alternative = await buildBundle(join(resultsDir, 'bundle-alternative'), !bundle.sdkBundled);
  // Round-robin: the deployed bundle and the seed pattern (what the same S3 client and one GetObject cost alone,
  // the floor of the target on the bundle alone) are compared in the same rounds.
  const [bundleAlone, ...variants] = await measureColdStarts([
    { ...common, label: 'deployed bundle alone', bundle },
    { ...common, label: SEED_ALONE, bundle: seedBundle },
    { ...common, label: 'same, with --enable-source-maps', bundle, sourceMaps: true },
    {
      ...common,
      label: alternative.sdkBundled ? 'AWS SDK bundled' : 'AWS SDK left to the runtime (external)',
      bundle: alternative,
    },
  ]);
  if (bundleAlone === undefined) throw new Error('no bundle-alone result');
  return {
    nodeOptions,
    ric,
    ...(ricMissing === undefined ? {} : { ricMissing }),
    ...(breakdown === undefined ? {} : { breakdown }),
    bundleAlone,
    variants,
  };
}
