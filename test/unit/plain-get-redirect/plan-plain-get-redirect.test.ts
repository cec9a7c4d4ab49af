import { type HttpPolicy, planResponse } from '../../../lambda/http/plan-response.ts';
import type { ObjectFacts, RequestFacts } from '../../../lambda/http/types.ts';
import {
  isPlainGetCandidate,
  type PlainGetRedirectPolicy,
  plainGetRead,
  planPlainGetRedirect,
} from '../../../lambda/plain-get-redirect/plan-plain-get-redirect.ts';

const MIB = 1024 * 1024;
const ON: PlainGetRedirectPolicy = { mode: 'presigned-s3', minBytes: MIB, cors: undefined };
const OFF: PlainGetRedirectPolicy = { ...ON, mode: 'off' };
const HTTP: HttpPolicy = {
  openRangeCapBytes: 5 * MIB,
  maxResponseBytes: 190 * MIB,
  maxRangeParts: 8,
  defaultCacheControl: 'public, max-age=86400',
  cors: undefined,
};
const ETAG = '"9b2cf535f27731c974343645a3985328"';
const req = (
  headers: Record<string, string> = {},
  method = 'GET',
  query: Record<string, string> = {},
): RequestFacts => ({ method, headers, query });
const object = (size: number, extra: Partial<ObjectFacts> = {}): ObjectFacts => ({
  size,
  etag: ETAG,
  lastModified: new Date('2026-01-02T03:04:05Z'),
  contentType: 'binary/octet-stream',
  ...extra,
});

/** planResponse then the plain-GET decision, as serve-request does. */
function decide(request: RequestFacts, key: string, facts: ObjectFacts, policy = ON, http = HTTP) {
  const plan = planResponse(request, key, facts, http, 'b');
  return { plan, redirect: planPlainGetRedirect(request, key, facts, plan, policy) };
}

describe('isPlainGetCandidate', () => {
  test.each<[string, RequestFacts, PlainGetRedirectPolicy, boolean]>([
    ['GET without Range', req(), ON, true],
    ['HEAD without Range', req({}, 'HEAD'), ON, true],
    ['policy off', req(), OFF, false],
    ['GET with Range (the browser family)', req({ range: 'bytes=0-' }), ON, false],
    ['GET with an invalid Range is still a Range client', req({ range: 'bytes=5-1' }), ON, false],
    ['through CloudFront (x-amz-cf-id)', req({ 'x-amz-cf-id': 'abc==' }), ON, false],
    ['OPTIONS', req({}, 'OPTIONS'), ON, false],
    ['POST', req({}, 'POST'), ON, false],
  ])('%s -> %s', (_name, request, policy, expected) => {
    // Act / Assess
    expect(isPlainGetCandidate(request, policy)).toBe(expected);
  });

  test('an unusable policy fails loudly', () => {
    // Act / Assess
    expect(() => isPlainGetCandidate(req(), { ...ON, minBytes: 0 })).toThrow(TypeError);
    expect(() => isPlainGetCandidate(req(), { ...ON, minBytes: 1.5 })).toThrow(/minBytes/);
    expect(() => isPlainGetCandidate(req(), { ...ON, mode: 'on' as 'off' })).toThrow(/mode/);
  });
});

describe('plainGetRead', () => {
  test('a candidate GET reads the first minBytes: small objects arrive whole, large ones cost one small read', () => {
    // Act / Assess
    expect(plainGetRead(req(), ON)).toEqual({ op: 'get', range: `bytes=0-${MIB - 1}` });
    expect(plainGetRead(req(), { ...ON, minBytes: 1 })).toEqual({ op: 'get', range: 'bytes=0-0' });
  });

  test.each<[string, RequestFacts, PlainGetRedirectPolicy]>([
    ['HEAD (HeadObject already has the size)', req({}, 'HEAD'), ON],
    ['Range', req({ range: 'bytes=0-1' }), ON],
    ['CloudFront', req({ 'x-amz-cf-id': 'x' }), ON],
    ['policy off', req(), OFF],
  ])('not for %s: planRead decides', (_name, request, policy) => {
    // Act / Assess
    expect(plainGetRead(request, policy)).toBeUndefined();
  });
});

describe('planPlainGetRedirect', () => {
  test('a plain GET of an object of at least minBytes: 307, private no-store, empty, the type the origin sends', () => {
    // Act
    const { redirect } = decide(req(), 'videos/clip.mp4', object(MIB));

    // Assess
    expect(redirect?.plan).toEqual({
      status: 307,
      headers: {
        'cache-control': 'private, no-store',
        'x-content-type-options': 'nosniff',
        'content-length': '0',
      },
      body: { kind: 'redirect' },
    });
    expect(redirect?.overrides).toEqual({ contentType: 'video/mp4' });
  });

  test('one byte under minBytes keeps the streamed 200 (playlists, manifests, small segments)', () => {
    // Act
    const { plan, redirect } = decide(req(), 'hls/index.m3u8', object(MIB - 1));

    // Assess
    expect(plan.status).toBe(200);
    expect(redirect).toBeUndefined();
  });

  test('HEAD is judged like the GET it mirrors', () => {
    // Act / Assess
    expect(decide(req({}, 'HEAD'), 'a.webm', object(MIB)).redirect?.plan.status).toBe(307);
    expect(decide(req({}, 'HEAD'), 'a.webm', object(10)).redirect).toBeUndefined();
  });

  test('a download is redirected whatever its size, with the Content-Disposition the origin would send', () => {
    // Act
    const { redirect } = decide(req({}, 'GET', { download: 'My clip.mp3' }), 'audio/a.mp3', object(10));

    // Assess
    expect(redirect?.plan.status).toBe(307);
    expect(redirect?.overrides).toEqual({
      contentType: 'audio/mpeg',
      contentDisposition: `attachment; filename="My clip.mp3"; filename*=UTF-8''My%20clip.mp3`,
    });
  });

  test('an empty download is redirected too (S3 answers it with Content-Length: 0)', () => {
    // Act / Assess
    expect(decide(req({}, 'GET', { download: '' }), 'empty.bin', object(0)).redirect?.plan.status).toBe(307);
  });

  test('a stored type wins over the extension, as in the origin 200', () => {
    // Act
    const { plan, redirect } = decide(req(), 'clip', object(MIB, { contentType: 'video/webm' }));

    // Assess
    expect(redirect?.overrides.contentType).toBe('video/webm');
    expect(plan.headers['content-type']).toBe('video/webm');
  });

  test.each<[string, Record<string, string>, number]>([
    ['If-None-Match that matches: 304 stays 304', { 'if-none-match': ETAG }, 304],
    ['If-Match that fails: 412 stays 412', { 'if-match': '"other"' }, 412],
    ['If-Modified-Since not modified: 304', { 'if-modified-since': 'Sat, 03 Jan 2026 00:00:00 GMT' }, 304],
  ])('preconditions come first: %s', (_name, headers, status) => {
    // Act
    const { plan, redirect } = decide(req(headers), 'a.mp4', object(5 * MIB));

    // Assess
    expect(plan.status).toBe(status);
    expect(redirect).toBeUndefined();
  });

  test('a precondition that holds still redirects', () => {
    // Act / Assess
    expect(decide(req({ 'if-match': ETAG }), 'a.mp4', object(5 * MIB)).redirect?.plan.status).toBe(307);
  });

  test('an answer over the response budget becomes the plain-GET redirect, with the S3 overrides', () => {
    // Act
    const { plan, redirect } = decide(req(), 'big.mp4', object(300 * MIB));

    // Assess
    expect(plan.status).toBe(307);
    expect(redirect?.overrides).toEqual({ contentType: 'video/mp4' });
  });

  test('Range requests, CloudFront requests and the policy off keep the plan', () => {
    // Act / Assess
    expect(decide(req({ range: 'bytes=0-' }), 'a.mp4', object(5 * MIB)).redirect).toBeUndefined();
    expect(decide(req({ 'x-amz-cf-id': 'id' }), 'a.mp4', object(5 * MIB)).redirect).toBeUndefined();
    expect(decide(req(), 'a.mp4', object(5 * MIB), OFF).redirect).toBeUndefined();
  });

  test('CORS headers like every other answer', () => {
    // Prepare
    const policy = { ...ON, cors: { allowedOrigins: ['https://player.example'] } };

    // Act
    const { redirect } = decide(req({ origin: 'https://player.example' }), 'a.mp4', object(5 * MIB), policy, {
      ...HTTP,
      cors: policy.cors,
    });

    // Assess
    expect(redirect?.plan.headers['access-control-allow-origin']).toBe('https://player.example');
  });
});
