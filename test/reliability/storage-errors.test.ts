/**
 * S3 answering errors instead of bytes: throttling and transient failures (503 SlowDown, 500
 * InternalError — S3 documents both as "try again") become 503 with Retry-After (RFC 9110 sections 15.6.4,
 * 10.2.3); an error the function cannot explain becomes a generic 500; and no S3 message, code, bucket or key
 * ever reaches the viewer. The fault proxy answers in S3's place with a marker in the message.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import type { ProxiedRequest } from '../support/fault-proxy.ts';
import { type ViewerResult, viewerRequest } from '../support/viewer-request.ts';
import { BUCKET, objectBytes, type Rig, startRig } from './support/rig.ts';

const KEY = 'errors/clip.bin';
const MARKER = 'S3-INTERNAL-DETAIL-7f3a';

const reads = (r: Pick<ProxiedRequest, 'method' | 'path'>): boolean =>
  (r.method === 'GET' || r.method === 'HEAD') && r.path.includes(KEY);

/** Everything the viewer got, as one string, to search for leaks. */
function visible(response: ViewerResult): string {
  return `${response.rawHeaders.join('\n')}\n${response.body.toString('latin1')}`;
}

describe('S3 error answers', () => {
  let rig: Rig;

  beforeAll(async () => {
    // The faults here are S3's error answers, not slowness: timeouts with room for a loaded machine, so a slow
    // (healthy) answer in the storm is not turned into a 504.
    rig = await startRig({ S3_CONNECT_TIMEOUT_MS: '5000', S3_FIRST_BYTE_TIMEOUT_MS: '5000' });
    await rig.put(KEY, objectBytes(300_000, 31));
  });

  afterEach(async () => {
    rig.proxy.clearFaults();
    await rig.proxy.waitForIdle();
  });

  afterAll(async () => {
    await rig?.close();
  });

  test.each([
    { status: 503, code: 'SlowDown' },
    { status: 500, code: 'InternalError' },
  ])('S3 $status $code on every attempt -> 503 with Retry-After, nothing of S3 shown', async ({ status, code }) => {
    // Prepare
    rig.proxy.inject({ action: { kind: 'respond', status, code, message: MARKER }, match: reads, times: Infinity });

    // Act
    const response = await viewerRequest(rig.url(KEY), { headers: { range: 'bytes=0-1' } });

    // Assess
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toMatch(/^\d+$/);
    expect(visible(response)).not.toContain(MARKER);
    expect(visible(response)).not.toContain(code);
    expect(visible(response)).not.toContain(BUCKET);
    expect(visible(response)).not.toContain(KEY);
    expect(rig.proxy.stats().fired.respond).toBeGreaterThanOrEqual(1);
  });

  test('an S3 error the function cannot explain -> generic 500 naming only the request id', async () => {
    // Prepare
    rig.proxy.inject({
      action: { kind: 'respond', status: 400, code: 'InvalidArgument', message: MARKER },
      match: reads,
      times: Infinity,
    });

    // Act
    const response = await viewerRequest(rig.url(KEY));

    // Assess
    expect(response.status).toBe(500);
    expect(visible(response)).not.toContain(MARKER);
    expect(visible(response)).not.toContain('InvalidArgument');
    expect(visible(response)).not.toContain(BUCKET);
    expect(response.body.length).toBeLessThan(200);
  });

  test('S3 403 AccessDenied -> 404, without saying why', async () => {
    // Prepare
    rig.proxy.inject({
      action: { kind: 'respond', status: 403, code: 'AccessDenied', message: MARKER },
      match: reads,
      times: Infinity,
    });

    // Act
    const response = await viewerRequest(rig.url(KEY));

    // Assess
    expect(response.status).toBe(404);
    expect(visible(response)).not.toContain(MARKER);
    expect(visible(response)).not.toContain('AccessDenied');
  });

  test('a single throttled answer is retried by the SDK and the viewer gets the bytes', async () => {
    // Prepare
    rig.proxy.inject({ action: { kind: 'respond', status: 503, code: 'SlowDown', message: MARKER }, match: reads });

    // Act
    const response = await viewerRequest(rig.url(KEY), { headers: { range: 'bytes=1000-1999' } });

    // Assess
    expect(response.status).toBe(206);
    expect(rig.check(KEY, response)).toEqual({ kind: 'exact', bytes: 1000 });
    expect(rig.proxy.stats().fired.respond).toBeGreaterThanOrEqual(1);
  });

  test('after a storm of S3 errors the function serves normally', async () => {
    // Prepare
    rig.proxy.inject({ action: { kind: 'respond', status: 503, message: MARKER }, match: reads, times: 200 });
    const storm = await Promise.all(Array.from({ length: 30 }, () => viewerRequest(rig.url(KEY))));
    rig.proxy.clearFaults();

    // Act
    const response = await viewerRequest(rig.url(KEY));

    // Assess
    expect(storm.map((r) => r.status).filter((status) => status !== 503 && status !== 200)).toEqual([]);
    expect(storm.some((r) => r.status === 503)).toBe(true);
    expect(rig.check(KEY, response)).toEqual({ kind: 'exact', bytes: 300_000 });
  });
});
