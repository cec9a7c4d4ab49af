/**
 * Viewers leave constantly (every seek aborts a request). Hundreds of requests abandoned mid-body in a row must
 * leave the function able to serve the next request at once and correctly, with every S3 response released
 * (no body left holding its socket: aws-sdk-js-v3 #6691, where 50 leaked bodies hang every later request) and
 * no listener piling up in the serving process. Real HTTP through the local Function URL; the fault proxy only
 * counts S3 connections. (The handler itself runs in the local stack's worker thread: its socket hygiene is
 * what the proxy's counts prove; the listener check covers the process that hosts the transport.)
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { type ViewerResult, viewerRequest } from '../support/viewer-request.ts';
import { objectBytes, type Rig, startRig } from './support/rig.ts';

const KEY = 'aborts/clip.bin';
const SIZE = 8 * 1024 * 1024;
const ABORTS = 300;
/** Viewers in flight at once during the storm; the S3 pool may keep at most this many sockets afterwards. */
const CONCURRENCY = 20;

describe('viewers that abort mid-body', () => {
  let rig: Rig;

  beforeAll(async () => {
    // Generous S3 timeouts: this test is about sockets, and a 504 here can only mean a starved S3 pool.
    rig = await startRig({ S3_FIRST_BYTE_TIMEOUT_MS: '10000', S3_IDLE_TIMEOUT_MS: '10000' });
    await rig.put(KEY, objectBytes(SIZE, 7));
  });

  afterAll(async () => {
    await rig?.close();
  });

  test(`${ABORTS} aborted requests in a row leave no S3 socket held and the next request is served exactly`, async () => {
    // Prepare
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(`${warning.name}: ${warning.message}`);
    };
    process.on('warning', onWarning);
    const watched = ['exit', 'uncaughtException', 'unhandledRejection', 'beforeExit'] as const;
    const listenersBefore = watched.map((name) => process.listenerCount(name));
    const warm = await viewerRequest(rig.url(KEY), { headers: { range: 'bytes=0-1' } });
    await rig.proxy.waitForIdle();
    // Range shapes players send: open-ended (Chrome, Firefox), explicit segments (hls.js), whole object.
    const shapes = (i: number): Record<string, string> => {
      const start = (i * 104_729) % (SIZE - 2 * 1024 * 1024);
      switch (i % 4) {
        case 0:
          return { range: `bytes=${start}-` };
        case 1:
          return { range: `bytes=${start}-${start + 2 * 1024 * 1024 - 1}` };
        case 2:
          return {};
        default:
          return { range: `bytes=0-99,${start}-${start + 1024 * 1024}` };
      }
    };

    // Act
    const results: ViewerResult[] = [];
    for (let batch = 0; batch < ABORTS / CONCURRENCY; batch += 1) {
      const round = await Promise.all(
        Array.from({ length: CONCURRENCY }, (_, j) => {
          const i = batch * CONCURRENCY + j;
          // Leave after a few bytes up to ~1 MiB in: some before S3 sent much, some deep into the body.
          return viewerRequest(rig.url(KEY), { headers: shapes(i), abortAfterBytes: 1 + ((i * 7919) % 1_000_000) });
        }),
      );
      results.push(...round);
    }
    const idle = await rig.proxy.waitForIdle(20_000);
    const next = await viewerRequest(rig.url(KEY), { headers: { range: 'bytes=1048576-3145727' } });
    process.off('warning', onWarning);

    // Assess
    expect(warm.status).toBe(206);
    expect(
      results
        .map((r, i) => ({
          i,
          aborted: r.aborted,
          status: r.status,
          error: r.error,
          timedOut: r.timedOut,
          bytes: r.body.length,
          complete: r.complete,
        }))
        .filter((r) => !r.aborted),
    ).toEqual([]);
    // What the viewers did receive before leaving was correct, and nothing was a server error.
    const verdicts = results.map((r) => rig.check(KEY, { ...r, complete: false }).kind);
    expect(verdicts.filter((kind) => kind !== 'incomplete')).toEqual([]);
    // Every S3 response was consumed or destroyed; the pool kept at most one socket per concurrent viewer.
    expect(idle.busy).toBe(0);
    expect(idle.open).toBeLessThanOrEqual(CONCURRENCY);
    expect(next.status).toBe(206);
    expect(next.timedOut).toBe(false);
    expect(rig.check(KEY, next)).toEqual({ kind: 'exact', bytes: 2 * 1024 * 1024 });
    expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([]);
    expect(watched.map((name) => process.listenerCount(name))).toEqual(listenersBefore);
  }, 120_000);
});
