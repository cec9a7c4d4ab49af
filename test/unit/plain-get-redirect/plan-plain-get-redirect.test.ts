import { type HttpPolicy, planResponse } from '../../../lambda/http/plan-response.ts';
import type { ObjectFacts, RequestFacts } from '../../../lambda/http/types.ts';
import {
  isPlainGetCandidate,
  type PlainGetRedirectPolicy,
  plainGetRead,
  planPlainGetRedirect,
  wantsMp4Head,
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
function decide(
  request: RequestFacts,
  key: string,
  facts: ObjectFacts,
  policy = ON,
  http = HTTP,
  head: Uint8Array | undefined = undefined,
) {
  const plan = planResponse(request, key, facts, http, 'b');
  return { plan, redirect: planPlainGetRedirect(request, key, facts, plan, policy, head) };
}

/** A top-level MP4 box of `size` bytes, content zero-filled. */
function box(type: string, size: number): Buffer {
  const bytes = Buffer.alloc(size);
  bytes.writeUInt32BE(size, 0);
  bytes.write(type, 4, 'latin1');
  return bytes;
}
const INIT_SEGMENT = Buffer.concat([box('ftyp', 28), box('moov', 765)]);
const MEDIA_SEGMENT_HEAD = box('styp', 24).subarray(0, 16);
const PROGRESSIVE_HEAD = box('ftyp', 32).subarray(0, 16);

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
    expect(plainGetRead(req(), ON, 'a.mp4')).toEqual({ op: 'get', range: `bytes=0-${MIB - 1}` });
    expect(plainGetRead(req(), { ...ON, minBytes: 1 }, 'a.mp4')).toEqual({ op: 'get', range: 'bytes=0-0' });
  });

  test.each(['hls/index.m3u8', 'dash/manifest.mpd', 'dash/chunk-0-001.m4s', 'hls/seg-1.ts', 'subs/en.vtt'])(
    'a playlist, manifest, segment or subtitle (%s) is read whole: it will be streamed whatever its size',
    (key) => {
      // Act / Assess
      expect(plainGetRead(req(), ON, key)).toEqual({ op: 'get' });
    },
  );

  test('a download of a playlist reads the small range: it is redirected whatever it is', () => {
    // Act / Assess
    expect(plainGetRead(req({}, 'GET', { download: '' }), ON, 'index.m3u8')).toEqual({
      op: 'get',
      range: `bytes=0-${MIB - 1}`,
    });
  });

  test.each<[string, RequestFacts, PlainGetRedirectPolicy]>([
    ['HEAD (HeadObject already has the size)', req({}, 'HEAD'), ON],
    ['Range', req({ range: 'bytes=0-1' }), ON],
    ['CloudFront', req({ 'x-amz-cf-id': 'x' }), ON],
    ['policy off', req(), OFF],
  ])('not for %s: planRead decides', (_name, request, policy) => {
    // Act / Assess
    expect(plainGetRead(request, policy, 'a.mp4')).toBeUndefined();
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

  test('a playlist keeps the streamed 200', () => {
    // Act
    const { plan, redirect } = decide(req(), 'hls/index.m3u8', object(MIB - 1));

    // Assess
    expect(plan.status).toBe(200);
    expect(redirect).toBeUndefined();
  });

  test('HEAD is judged like the GET it mirrors', () => {
    // Act / Assess
    expect(decide(req({}, 'HEAD'), 'a.webm', object(MIB)).redirect?.plan.status).toBe(307);
    expect(decide(req({}, 'HEAD'), 'a.json', object(10)).redirect).toBeUndefined();
    expect(decide(req({}, 'HEAD'), 'a.m3u8', object(MIB)).redirect).toBeUndefined();
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

describe('the rule goes by what the object is', () => {
  test.each<[string, string, number]>([
    ['a 300 KB MP3', 'audio/song.mp3', 300_000],
    ['a one-byte WebM', 'clip.webm', 1],
    ['a small Ogg', 'a.ogg', 5_000],
    ['a small FLAC', 'a.flac', 5_000],
    ['a small WAV', 'a.wav', 5_000],
  ])('progressive audio/video is redirected whatever its size: %s', (_name, key, size) => {
    // Act
    const { plan, redirect } = decide(req(), key, object(size));

    // Assess
    expect(plan.status).toBe(200);
    expect(redirect?.plan.status).toBe(307);
  });

  test.each<[string, string, number]>([
    ['a large HLS playlist', 'hls/index.m3u8', 5 * MIB],
    ['a DASH manifest', 'dash/manifest.mpd', 2 * MIB],
    ['a large segment', 'dash/chunk-0-001.m4s', 8 * MIB],
    ['a CMAF video segment', 'cmaf/1.cmfv', 3 * MIB],
    ['an MPEG-TS segment', 'hls/seg-1.ts', 3 * MIB],
    ['a WebVTT file', 'subs/en.vtt', 2 * MIB],
    ['an SRT file', 'subs/en.srt', 10],
  ])('playlists, segments and subtitles stream whatever their size: %s', (_name, key, size) => {
    // Act
    const { plan, redirect } = decide(req(), key, object(size));

    // Assess
    expect(plan.status).toBe(200);
    expect(redirect).toBeUndefined();
  });

  test('other objects: streamed under minBytes, redirected from minBytes up', () => {
    // Act / Assess
    expect(decide(req(), 'poster.jpg', object(MIB - 1)).redirect).toBeUndefined();
    expect(decide(req(), 'poster.jpg', object(MIB)).redirect?.plan.status).toBe(307);
    expect(decide(req(), 'data.bin', object(MIB)).redirect?.overrides).toEqual({
      contentType: 'application/octet-stream',
    });
  });

  test.each<[string, Uint8Array | undefined, number, boolean]>([
    ['an init segment (ftyp + moov, no mdat) streams', INIT_SEGMENT, INIT_SEGMENT.length, false],
    ['a media segment (starts with styp) streams', MEDIA_SEGMENT_HEAD, 40_000, false],
    ['a progressive file (ftyp first, larger than its head) is redirected', PROGRESSIVE_HEAD, 40_000, true],
    ['without its first bytes it is taken for progressive', undefined, 793, true],
  ])('an MP4 by its first bytes: %s', (_name, head, size, redirected) => {
    // Act
    const { redirect } = decide(req(), 'dash/init-0.mp4', object(size, { contentType: 'video/mp4' }), ON, HTTP, head);

    // Assess
    expect(redirect !== undefined).toBe(redirected);
  });

  test('an empty object streams (nothing to seek in), unless it is a download', () => {
    // Act / Assess
    expect(decide(req(), 'a.mp3', object(0)).redirect).toBeUndefined();
    expect(decide(req({}, 'GET', { download: '' }), 'a.mp3', object(0)).redirect?.plan.status).toBe(307);
  });

  test('a download of a segment is still redirected, with its name', () => {
    // Act
    const { redirect } = decide(
      req({}, 'GET', { download: '' }),
      'dash/init-0.mp4',
      object(793),
      ON,
      HTTP,
      INIT_SEGMENT,
    );

    // Assess
    expect(redirect?.overrides.contentDisposition).toMatch(/^attachment; filename="init-0.mp4"/);
  });

  test('HEAD of an MP4 has no bytes to sniff: redirected', () => {
    // Act / Assess
    expect(decide(req({}, 'HEAD'), 'dash/init-0.mp4', object(793)).redirect?.plan.status).toBe(307);
  });

  test('an over-budget segment keeps going to S3 (the function may not stream it)', () => {
    // Act
    const { redirect } = decide(req(), 'hls/seg-1.ts', object(300 * MIB));

    // Assess
    expect(redirect?.overrides).toEqual({ contentType: 'video/mp2t' });
  });
});

describe('wantsMp4Head', () => {
  test.each<[string, RequestFacts, string, ObjectFacts, PlainGetRedirectPolicy, boolean]>([
    ['a plain GET of an MP4', req(), 'a.mp4', object(10), ON, true],
    ['a stored video/mp4 without extension', req(), 'a', object(10, { contentType: 'video/mp4' }), ON, true],
    ['a QuickTime file', req(), 'a.mov', object(10), ON, true],
    ['an MP3', req(), 'a.mp3', object(10), ON, false],
    ['a segment (streamed anyway)', req(), 'a.m4s', object(10), ON, false],
    ['HEAD (no body)', req({}, 'HEAD'), 'a.mp4', object(10), ON, false],
    ['a download (redirected anyway)', req({}, 'GET', { download: '' }), 'a.mp4', object(10), ON, false],
    ['a 304', req({ 'if-none-match': ETAG }), 'a.mp4', object(10), ON, false],
    ['a Range request', req({ range: 'bytes=0-1' }), 'a.mp4', object(10), ON, false],
    ['the policy off', req(), 'a.mp4', object(10), OFF, false],
  ])('%s -> %s', (_name, request, key, facts, policy, expected) => {
    // Prepare
    const plan = planResponse(request, key, facts, HTTP, 'b');

    // Act / Assess
    expect(wantsMp4Head(request, key, facts, plan, policy)).toBe(expected);
  });
});
