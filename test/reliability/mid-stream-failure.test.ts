/**
 * The S3 body fails after bytes have gone out ("Mid-stream storage failure"). The SDK never retries a
 * streamed body, so the function must re-read from the next byte, pinned with If-Match to the ETag it started
 * with; when the object changed (412) or attempts run out, the viewer must see a VISIBLY incomplete transfer,
 * never a clean short one and never bytes of two versions. Real HTTP through the local Function URL, the real
 * embedded S3, and the fault proxy between them cutting or resetting connections at exact byte offsets.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import type { ProxiedRequest } from '../support/fault-proxy.ts';
import { viewerRequest } from '../support/viewer-request.ts';
import { releaseRigAfterEachTest } from './support/release-rig.ts';
import { objectBytes, type Rig, startRig } from './support/rig.ts';

const SIZE = 3 * 1024 * 1024;
const RESUME_ATTEMPTS = 3;

type RequestFacts = Pick<ProxiedRequest, 'method' | 'headers' | 'path'>;
const gets = (key: string) => (r: RequestFacts) => r.method === 'GET' && r.path.includes(key);
const firstReads = (key: string) => (r: RequestFacts) => gets(key)(r) && r.headers['if-match'] === undefined;
/** A read of more than `min` bytes (or of the whole object), whatever else the handler reads around it. */
const bigReads = (key: string, min: number) => (r: RequestFacts) => {
  if (!gets(key)(r)) return false;
  const range = /^bytes=(\d+)-(\d*)$/.exec(r.headers.range ?? '');
  if (r.headers.range === undefined) return true;
  return range !== null && (range[2] === '' || Number(range[2]) - Number(range[1]) + 1 > min);
};

describe('S3 body failures after the first byte', () => {
  let rig: Rig;
  let counter = 0;
  /** A fresh key per test, so the proxy log of one test is easy to pick out. */
  const freshKey = async (seed: number): Promise<{ key: string; etag: string; bytes: Buffer }> => {
    counter += 1;
    const key = `mid/${counter}.bin`;
    const bytes = objectBytes(SIZE, seed);
    const etag = await rig.put(key, bytes);
    return { key, etag, bytes };
  };
  const logFor = (key: string) => rig.proxy.log.filter((r) => r.method === 'GET' && r.path.includes(key));

  beforeAll(async () => {
    // No stalls here: connect and first-byte timeouts with room for a loaded machine, so the SDK never retries a
    // slow first read and every re-read the proxy logs is the handler's own resume.
    rig = await startRig({
      RESUME_ATTEMPTS: String(RESUME_ATTEMPTS),
      S3_CONNECT_TIMEOUT_MS: '5000',
      S3_FIRST_BYTE_TIMEOUT_MS: '5000',
      S3_IDLE_TIMEOUT_MS: '2000',
    });
  });

  releaseRigAfterEachTest(() => rig);

  test('a cut after N bytes is resumed from byte start+N with If-Match, and the viewer gets identical bytes', async () => {
    // Prepare
    const { key, etag } = await freshKey(11);
    rig.proxy.inject({ action: { kind: 'cut', afterBodyBytes: 300_000 }, match: firstReads(key) });

    // Act
    const response = await viewerRequest(rig.url(key), { headers: { range: 'bytes=100000-2199999' } });

    // Assess
    expect(response.status).toBe(206);
    expect(rig.check(key, response)).toEqual({ kind: 'exact', bytes: 2_100_000 });
    const reads = logFor(key);
    expect(reads).toHaveLength(2);
    expect(reads[1]?.headers).toMatchObject({ 'if-match': etag, range: 'bytes=400000-2199999' });
    expect(reads[1]?.status).toBe(206);
  });

  test('a connection reset mid-body is resumed too', async () => {
    // Prepare
    const { key, etag } = await freshKey(12);
    rig.proxy.inject({ action: { kind: 'reset', afterBodyBytes: 500_000 }, match: firstReads(key) });

    // Act
    const response = await viewerRequest(rig.url(key), { headers: { range: 'bytes=0-' } });

    // Assess
    expect(response.status).toBe(206);
    expect(rig.check(key, response)).toEqual({ kind: 'exact', bytes: SIZE });
    const resume = logFor(key)[1];
    expect(resume?.headers['if-match']).toBe(etag);
    // A reset may drop bytes in flight: the resume starts wherever the function really got to, at most N.
    const next = Number(/^bytes=(\d+)-/.exec(resume?.headers.range ?? '')?.[1]);
    expect(next).toBeLessThanOrEqual(500_000);
  });

  test('several failures in a row within the attempt budget still give identical bytes (200, whole object)', async () => {
    // Prepare
    const { key } = await freshKey(13);
    rig.proxy.inject({ action: { kind: 'cut', afterBodyBytes: 200_000 }, match: gets(key), times: RESUME_ATTEMPTS });

    // Act
    const response = await viewerRequest(rig.url(key));

    // Assess
    expect(response.status).toBe(200);
    expect(rig.check(key, response)).toEqual({ kind: 'exact', bytes: SIZE });
    expect(logFor(key)).toHaveLength(1 + RESUME_ATTEMPTS);
  });

  test('a multipart/byteranges answer survives a cut inside one of its parts', async () => {
    // Prepare
    const { key } = await freshKey(14);
    rig.proxy.inject({ action: { kind: 'cut', afterBodyBytes: 100_000 }, match: bigReads(key, 200_000) });

    // Act
    const response = await viewerRequest(rig.url(key), { headers: { range: 'bytes=0-99,1000000-1999999' } });
    const cuts = rig.proxy.stats().fired.cut;

    // Assess
    expect(response.status).toBe(206);
    expect(String(response.headers['content-type'])).toMatch(/^multipart\/byteranges/);
    expect(rig.check(key, response)).toEqual({ kind: 'exact', bytes: 100 + 1_000_000 });
    expect(logFor(key).filter((r) => r.action.kind === 'cut')).toHaveLength(1);
    expect(cuts).toBeGreaterThan(0);
  });

  test('attempts exhausted: the viewer sees an incomplete transfer, then the next request is served', async () => {
    // Prepare
    const { key } = await freshKey(15);
    rig.proxy.inject({ action: { kind: 'cut', afterBodyBytes: 100_000 }, match: gets(key), times: Infinity });

    // Act
    const failed = await viewerRequest(rig.url(key), { headers: { range: 'bytes=0-2097151' } });
    rig.proxy.clearFaults();
    const next = await viewerRequest(rig.url(key), { headers: { range: 'bytes=0-2097151' } });

    // Assess
    expect(failed.status).toBe(206);
    expect(failed.timedOut).toBe(false);
    // Each read delivered 100 000 bytes before its cut; the transport may drop some of them when it aborts.
    expect(rig.check(key, failed)).toMatchObject({ kind: 'incomplete', declared: 2_097_152 });
    expect(failed.body.length).toBeLessThanOrEqual(100_000 * (1 + RESUME_ATTEMPTS));
    expect(logFor(key).filter((r) => r.action.kind === 'cut')).toHaveLength(1 + RESUME_ATTEMPTS);
    expect(rig.check(key, next)).toEqual({ kind: 'exact', bytes: 2_097_152 });
  });

  test('object replaced between the cut and the resume: 412 on the pinned re-read, incomplete, never two versions', async () => {
    // Prepare
    const { key, etag } = await freshKey(16);
    const replacement = objectBytes(SIZE, 99);
    let newEtag = '';
    rig.proxy.inject({
      action: { kind: 'cut', afterBodyBytes: 250_000 },
      match: firstReads(key),
      // Runs after 250 000 bytes went out and before the connection fails: the resume must see the new object.
      onFire: async () => {
        newEtag = await rig.put(key, replacement);
      },
    });

    // Act
    const failed = await viewerRequest(rig.url(key), { headers: { range: 'bytes=0-' } });
    const next = await viewerRequest(rig.url(key), { headers: { range: 'bytes=0-' } });

    // Assess
    expect(failed.status).toBe(206);
    expect(failed.headers.etag).toBe(etag);
    // Only bytes of the first version, and visibly incomplete.
    expect(rig.check(key, failed)).toMatchObject({ kind: 'incomplete', declared: SIZE });
    expect(failed.body.length).toBeLessThanOrEqual(250_000);
    const resume = logFor(key)[1];
    expect(resume?.headers['if-match']).toBe(etag);
    expect(resume?.status).toBe(412);
    // No further attempt after a 412: the version is gone for good.
    expect(logFor(key).filter((r) => r.headers['if-match'] === etag)).toHaveLength(1);
    expect(next.headers.etag).toBe(newEtag);
    expect(rig.check(key, next)).toEqual({ kind: 'exact', bytes: SIZE });
  });
});
