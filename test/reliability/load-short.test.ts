/**
 * The short version of `npm run test:load` for `npm test`: a few seconds of concurrent mixed range requests
 * (probes, 64 KiB, 1 MiB, open-ended; about 20% abandoned mid-body) through the local Function URL, with the
 * fault proxy counting S3 connections. No errors, no invariant violation, every aborted request left no S3
 * response in flight, and the function still answers afterwards. Figures are printed, never asserted.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { formatReport, runLoad } from '../load/load.ts';
import { viewerRequest } from '../support/viewer-request.ts';
import { objectBytes, type Rig, startRig } from './support/rig.ts';

const KEY = 'load/clip.bin';
const SIZE = 8 * 1024 * 1024;
const OPEN_RANGE_CAP = 2 * 1024 * 1024;
/** Below the function's 50 S3 sockets: the full run (test/load/run.ts) covers 200 viewers. */
const CONCURRENCY = 40;

describe('short load through the local stack', () => {
  let rig: Rig;
  let etag: string;
  const object = objectBytes(SIZE, 61);

  beforeAll(async () => {
    rig = await startRig({
      OPEN_RANGE_CAP_BYTES: String(OPEN_RANGE_CAP),
      S3_FIRST_BYTE_TIMEOUT_MS: '20000',
      S3_IDLE_TIMEOUT_MS: '20000',
    });
    etag = await rig.put(KEY, object);
  });

  afterAll(async () => {
    await rig?.close();
  });

  test(`${CONCURRENCY} concurrent viewers for 4 s: 0 errors, 0 invariant violations, nothing left in flight`, async () => {
    // Prepare
    let peakS3 = 0;
    const sampler = setInterval(() => {
      peakS3 = Math.max(peakS3, rig.proxy.stats().open);
    }, 50);

    // Act
    const report = await runLoad({
      url: rig.url(KEY),
      versions: new Map([[etag, object]]),
      size: SIZE,
      concurrency: CONCURRENCY,
      durationMs: 4000,
      abortRatio: 0.2,
      openRangeCapBytes: OPEN_RANGE_CAP,
      requestTimeoutMs: 60_000,
    });
    clearInterval(sampler);
    const idle = await rig.proxy.waitForIdle(30_000);
    const after = await viewerRequest(rig.url(KEY), { headers: { range: 'bytes=0-1' } });
    process.stdout.write(`${formatReport(report, { 'peak S3 connections': String(peakS3) })}\n`);

    // Assess
    expect({ errors: report.errors, violations: report.violations, samples: report.errorSamples }).toEqual({
      errors: 0,
      violations: 0,
      samples: [],
    });
    expect(report.completed).toBeGreaterThan(0);
    expect(report.aborted).toBeGreaterThan(0);
    expect(idle.busy).toBe(0);
    expect(rig.check(KEY, after)).toEqual({ kind: 'exact', bytes: 2 });
  }, 120_000);
});
