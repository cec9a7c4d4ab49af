/**
 * A viewer that leaves BEFORE the response head (the handler still waiting for S3) must not take down the
 * requests in flight beside it. Found with WebKitGTK, which drops a request and opens the next at once: the next
 * one got a 502 "the response stream closed before the body ended". Cause: locally the Function URL destroys the
 * handler's stream when its viewer leaves; the handler's guard (lambda/respond/guard-response-stream.ts) turned
 * that close into an 'error' on a stream nobody listened to yet (middy pipes into it only once S3 answered), an
 * uncaught exception, and the execution environment died with every invocation in it.
 *
 * Real HTTP through the local Function URL; the fault proxy holds every S3 answer briefly so that each pair is
 * deterministic: viewer A's and viewer B's S3 requests have both reached the store (both handlers are waiting),
 * then A leaves. B must get exactly its range. Then the brief's literal reproduction: abort, then at once the
 * next request on a new connection, with no gap.
 */

import http from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { type ViewerResult, viewerRequest } from '../support/viewer-request.ts';
import { objectBytes, type Rig, startRig } from './support/rig.ts';

const KEY = 'aborts/moov-at-end.bin';
const SIZE = 6 * 1024 * 1024;
const PAIRS = 20;
/** How long the proxy holds each S3 answer: long enough that both handlers of a pair are waiting on S3. */
const S3_HOLD_MS = 150;

/** Sends a GET and destroys it once `leave` resolves, before any response byte arrived (resolves when gone). */
function leavingViewer(url: string, range: string, leave: Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    const req = http.request(url, { headers: { range }, agent: false });
    req.on('error', () => undefined);
    req.on('response', (res) => res.resume());
    req.on('close', () => resolve());
    req.end();
    void leave.then(() => req.destroy());
  });
}

function summary(result: ViewerResult): string {
  return `${result.status} ${result.body.length} bytes${result.error === undefined ? '' : ` (${result.error})`}`;
}

describe('a viewer that leaves before the response head', () => {
  let rig: Rig;
  const s3Arrivals: Array<() => void> = [];
  let arrived = 0;

  /** Resolves once `count` S3 GetObjects of KEY have been answered by the store (and are being held). */
  function s3Answered(count: number): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (arrived >= count) resolve();
        else s3Arrivals.push(check);
      };
      check();
    });
  }

  beforeAll(async () => {
    rig = await startRig({ S3_FIRST_BYTE_TIMEOUT_MS: '10000', S3_IDLE_TIMEOUT_MS: '10000' });
    await rig.put(KEY, objectBytes(SIZE, 11));
  });

  afterAll(async () => {
    await rig?.close();
  });

  test(`${PAIRS} viewers leaving while the handler waits on S3 never fail the request in flight beside them`, async () => {
    // Prepare: hold every S3 answer for KEY, and count them as they arrive.
    rig.proxy.inject({
      action: { kind: 'stall', afterBytes: 0, ms: S3_HOLD_MS },
      times: Number.POSITIVE_INFINITY,
      match: (request) => request.method === 'GET' && request.path.includes(KEY),
      onFire: () => {
        arrived += 1;
        for (const waiter of s3Arrivals.splice(0)) waiter();
      },
    });
    const results: ViewerResult[] = [];
    const starts: number[] = [];

    // Act
    for (let i = 0; i < PAIRS; i += 1) {
      const base = arrived;
      let leave: () => void = () => undefined;
      const left = leavingViewer(
        rig.url(KEY),
        `bytes=${SIZE - 400_000 - i}-`,
        new Promise<void>((resolve) => {
          leave = resolve;
        }),
      );
      await s3Answered(base + 1);
      const start = SIZE - 200_000 - i;
      starts.push(start);
      const next = viewerRequest(rig.url(KEY), { headers: { range: `bytes=${start}-` }, timeoutMs: 20_000 });
      await s3Answered(base + 2);
      leave();
      await left;
      results.push(await next);
    }

    const idle = await rig.proxy.waitForIdle(20_000);

    // Assess: every request beside a leaving viewer got exactly its bytes, and the leaving viewers' S3 bodies
    // were released (none still holds its socket).
    expect(results.map(summary)).toEqual(starts.map((start) => `206 ${SIZE - start} bytes`));
    results.forEach((result) => {
      expect(rig.check(KEY, result).kind).toBe('exact');
    });
    expect(idle.busy).toBe(0);
  }, 120_000);

  test(`${PAIRS} times: leave after 1 ms, then at once the next request on a new connection`, async () => {
    // Prepare: no faults left from the previous test; S3 answers at once.
    rig.proxy.clearFaults();
    const results: ViewerResult[] = [];
    const starts: number[] = [];

    // Act
    for (let i = 0; i < PAIRS; i += 1) {
      await leavingViewer(
        rig.url(KEY),
        `bytes=${SIZE - 300_000 - i}-`,
        new Promise<void>((resolve) => setTimeout(resolve, 1)),
      );
      const start = SIZE - 100_000 - i;
      starts.push(start);
      results.push(await viewerRequest(rig.url(KEY), { headers: { range: `bytes=${start}-` }, timeoutMs: 20_000 }));
    }

    // Assess
    expect(results.map(summary)).toEqual(starts.map((start) => `206 ${SIZE - start} bytes`));
    results.forEach((result) => {
      expect(rig.check(KEY, result).kind).toBe('exact');
    });
  }, 120_000);
});
