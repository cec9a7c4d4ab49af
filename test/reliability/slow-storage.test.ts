/**
 * Slow or stalled storage: S3 that never sends its response headers must become a 504 before the
 * first byte (S3_FIRST_BYTE_TIMEOUT_MS, bounded even though the SDK retries), and S3 that goes silent mid-body
 * must be abandoned after S3_IDLE_TIMEOUT_MS and resumed, or the response visibly aborted: never a hang.
 * Real HTTP through the local Function URL; the fault proxy stalls the store's responses.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import type { ProxiedRequest } from '../support/fault-proxy.ts';
import { viewerRequest } from '../support/viewer-request.ts';
import { releaseRigAfterEachTest } from './support/release-rig.ts';
import { objectBytes, type Rig, startRig } from './support/rig.ts';

const SIZE = 2 * 1024 * 1024;
const KEY = 'slow/clip.bin';

type RequestFacts = Pick<ProxiedRequest, 'method' | 'headers' | 'path'>;
const reads = (r: RequestFacts): boolean => (r.method === 'GET' || r.method === 'HEAD') && r.path.includes(KEY);
const firstReads = (r: RequestFacts): boolean => reads(r) && r.headers['if-match'] === undefined;

describe('stalled storage', () => {
  let rig: Rig;
  let etag: string;

  beforeAll(async () => {
    rig = await startRig({ S3_FIRST_BYTE_TIMEOUT_MS: '400', S3_IDLE_TIMEOUT_MS: '600', RESUME_ATTEMPTS: '2' });
    etag = await rig.put(KEY, objectBytes(SIZE, 21));
  });

  releaseRigAfterEachTest(() => rig);

  test('no response headers from S3: 504 before the first byte, with no S3 detail, and the next request is served', async () => {
    // Prepare
    rig.proxy.inject({ action: { kind: 'stall', afterBytes: 0 }, match: reads, times: Infinity });

    // Act
    const stalled = await viewerRequest(rig.url(KEY), { headers: { range: 'bytes=0-1' } });
    rig.proxy.clearFaults();
    const idle = await rig.proxy.waitForIdle(20_000);
    const next = await viewerRequest(rig.url(KEY), { headers: { range: 'bytes=0-1' } });

    // Assess
    expect(stalled.status).toBe(504);
    expect(stalled.complete).toBe(true);
    expect(stalled.headers['content-range']).toBeUndefined();
    expect(stalled.body.toString()).not.toMatch(/TimeoutError|ETIMEDOUT|socket|requestTimeout|reliability|slow\//);
    // Every stalled S3 request was given up (its socket closed), none left open.
    expect(idle.busy).toBe(0);
    expect(rig.proxy.stats().fired.stall).toBeGreaterThanOrEqual(1);
    expect(rig.check(KEY, next)).toEqual({ kind: 'exact', bytes: 2 });
  });

  test('S3 goes silent mid-body: the idle timeout abandons it and the resume gives identical bytes', async () => {
    // Prepare
    rig.proxy.inject({ action: { kind: 'stall', afterBodyBytes: 400_000 }, match: firstReads });

    // Act
    const response = await viewerRequest(rig.url(KEY), { headers: { range: 'bytes=0-' } });

    // Assess
    expect(response.status).toBe(206);
    expect(rig.check(KEY, response)).toEqual({ kind: 'exact', bytes: SIZE });
    const resume = rig.proxy.log.filter((r) => r.method === 'GET' && r.headers['if-match'] === etag).at(-1);
    expect(resume?.headers.range).toBe(`bytes=400000-${SIZE - 1}`);
  });

  test('S3 goes silent on every read: the response is aborted visibly instead of hanging', async () => {
    // Prepare
    rig.proxy.inject({ action: { kind: 'stall', afterBodyBytes: 100_000 }, match: reads, times: Infinity });

    // Act
    const response = await viewerRequest(rig.url(KEY), { headers: { range: 'bytes=0-1999999' } });
    rig.proxy.clearFaults();
    const next = await viewerRequest(rig.url(KEY), { headers: { range: 'bytes=0-1999999' } });

    // Assess
    expect(response.status).toBe(206);
    expect(response.timedOut).toBe(false);
    expect(rig.check(KEY, response)).toMatchObject({ kind: 'incomplete', declared: 2_000_000 });
    expect(rig.check(KEY, next)).toEqual({ kind: 'exact', bytes: 2_000_000 });
  });

  test('a pause shorter than the idle timeout is simply waited out', async () => {
    // Prepare
    rig.proxy.inject({ action: { kind: 'stall', afterBodyBytes: 10_000, ms: 100 }, match: firstReads });

    // Act
    const response = await viewerRequest(rig.url(KEY), { headers: { range: 'bytes=5-1000004' } });

    // Assess
    expect(rig.check(KEY, response)).toEqual({ kind: 'exact', bytes: 1_000_000 });
    expect(rig.proxy.stats().fired.stall).toBeGreaterThan(0);
  });
});
