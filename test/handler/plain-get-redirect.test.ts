/**
 * The plain-GET rule (docs/decisions/plain-get-redirect.md) through the real handler module, S3 mocked: plain GETs
 * (no Range) of audio/video, of other objects of at least PLAIN_GET_REDIRECT_MIN_BYTES, and every `?download=`,
 * are answered 307 to a presigned S3 URL that makes S3 send the origin's Content-Type (and Content-Disposition),
 * at the cost of ONE small ranged GetObject; playlists, segments and fragmented-MP4 init segments are streamed
 * from one GetObject; preconditions, Range requests and CloudFront requests are untouched; the log line says
 * `redirect: plain-get` and never carries the signature.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from '@jest/globals';
import type { FakeS3, StoredObject } from '../support/fake-s3.ts';
import { functionUrlEvent } from '../support/function-url-event.ts';
import { patternBytes } from '../support/s3-body.ts';
import { BUCKET, fakeS3EachTest, type LoadedHandler, loadHandler } from './handler-harness.ts';

const small = patternBytes(999, 1);
const exact = patternBytes(1000, 2);
const large = patternBytes(4000, 3);
const lastModified = new Date('2025-01-02T03:04:05Z');
const mp3 = patternBytes(300_000, 4);
const initSegment = readFileSync('media/dash/template/init-0.mp4');
const mediaSegment = readFileSync('media/dash/template/chunk-0-001.m4s');
const progressive = readFileSync('media/sample.mp4');
const objects = new Map<string, StoredObject>([
  ['m/song.mp3', { body: mp3, etag: '"mp3"', lastModified, contentType: 'audio/mpeg' }],
  ['m/dash/init-0.mp4', { body: initSegment, etag: '"i"', lastModified, contentType: 'video/mp4' }],
  ['m/dash/chunk-0-001.m4s', { body: mediaSegment, etag: '"c"', lastModified, contentType: 'binary/octet-stream' }],
  ['m/sample.mp4', { body: progressive, etag: '"p"', lastModified, contentType: 'video/mp4' }],
  ['m/small.m3u8', { body: small, etag: '"s"', lastModified, contentType: 'binary/octet-stream' }],
  ['m/exact.webm', { body: exact, etag: '"x"', lastModified }],
  ['m/large.mp4', { body: large, etag: '"l"', lastModified, contentType: 'binary/octet-stream' }],
  ['m/empty.mp3', { body: Buffer.alloc(0), etag: '"e"', lastModified }],
]);

let loaded: LoadedHandler;
const installFake = fakeS3EachTest(objects);
let fake: FakeS3;

beforeAll(async () => {
  loaded = await loadHandler({
    KEY_PREFIX: 'm/',
    PLAIN_GET_REDIRECT: 'presigned-s3',
    PLAIN_GET_REDIRECT_MIN_BYTES: '1000',
    PLAIN_GET_REDIRECT_EXPIRES_SECONDS: '7200',
    CORS_ALLOWED_ORIGINS: 'https://player.example',
  });
});

function serve(): FakeS3 {
  fake = installFake();
  return fake;
}

describe('plain GET of an object of at least the threshold', () => {
  test('307 to a presigned GET with the origin content type, for one ranged GetObject of the threshold', async () => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(
      functionUrlEvent({ path: '/large.mp4', headers: { origin: 'https://player.example' } }),
      'req-plain',
    );

    // Assess
    expect(response.statusCode).toBe(307);
    expect(response.body).toHaveLength(0);
    expect(response.headers).toMatchObject({
      'cache-control': 'private, no-store',
      'access-control-allow-origin': 'https://player.example',
    });
    const location = new URL(response.headers.location ?? '');
    expect(location.pathname).toBe('/m/large.mp4');
    expect(location.searchParams.get('response-content-type')).toBe('video/mp4');
    expect(location.searchParams.get('response-content-disposition')).toBeNull();
    expect(location.searchParams.get('X-Amz-Expires')).toBe('7200');
    expect(fake.getInputs()).toEqual([{ Bucket: BUCKET, Key: 'm/large.mp4', Range: 'bytes=0-999' }]);
    expect(fake.headInputs()).toEqual([]);
  });

  test('exactly the threshold is redirected too', async () => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(functionUrlEvent({ path: '/exact.webm' }));

    // Assess
    expect(response.statusCode).toBe(307);
    expect(new URL(response.headers.location ?? '').searchParams.get('response-content-type')).toBe('video/webm');
  });

  test('HEAD: 307 presigned for HEAD, from HeadObject alone', async () => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(functionUrlEvent({ method: 'HEAD', path: '/large.mp4' }));

    // Assess
    expect(response.statusCode).toBe(307);
    expect(fake.getInputs()).toEqual([]);
    expect(fake.headInputs()).toHaveLength(1);
  });

  test('the log line says plain-get and holds no signature or credential', async () => {
    // Prepare
    serve();
    const before = loaded.logs.length;

    // Act
    const response = await loaded.invoke(functionUrlEvent({ path: '/large.mp4' }), 'req-log');
    const logs = await loaded.waitForLogs(before + 1);

    // Assess
    const entry = logs.at(-1);
    expect(entry).toMatchObject({ requestId: 'req-log', status: 307, redirect: 'plain-get', bytesSent: 0 });
    const line = JSON.stringify(entry);
    const location = new URL(response.headers.location ?? '');
    expect(line).not.toContain(location.searchParams.get('X-Amz-Signature') ?? 'missing');
    expect(line).not.toMatch(/X-Amz-Signature|X-Amz-Credential|AKIATESTTESTTESTTEST/i);
  });
});

describe('by what the object is', () => {
  test('a 300 KB MP3 (progressive audio): 307, whatever its size, for one small ranged GetObject', async () => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(functionUrlEvent({ path: '/song.mp3' }));

    // Assess
    expect(response.statusCode).toBe(307);
    const location = new URL(response.headers.location ?? '');
    expect(location.pathname).toBe('/m/song.mp3');
    expect(location.searchParams.get('response-content-type')).toBe('audio/mpeg');
    expect(fake.getInputs()).toEqual([{ Bucket: BUCKET, Key: 'm/song.mp3', Range: 'bytes=0-999' }]);
  });

  test('a DASH init segment named .mp4 (ftyp + moov): 200 streamed from the same single read', async () => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(functionUrlEvent({ path: '/dash/init-0.mp4' }));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('video/mp4');
    expect(response.headers['content-length']).toBe(String(initSegment.length));
    expect(response.body.equals(initSegment)).toBe(true);
    expect(fake.getInputs()).toEqual([{ Bucket: BUCKET, Key: 'm/dash/init-0.mp4', Range: 'bytes=0-999' }]);
  });

  test('a progressive MP4 of the same family: 307 after sniffing only its first box', async () => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(functionUrlEvent({ path: '/sample.mp4' }));

    // Assess
    expect(response.statusCode).toBe(307);
    expect(fake.getInputs()).toEqual([{ Bucket: BUCKET, Key: 'm/sample.mp4', Range: 'bytes=0-999' }]);
  });

  test('a media segment (.m4s) larger than the threshold: 200 streamed whole from one GetObject', async () => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(functionUrlEvent({ path: '/dash/chunk-0-001.m4s' }));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('video/iso.segment');
    expect(response.headers['content-length']).toBe(String(mediaSegment.length));
    expect(response.body.equals(mediaSegment)).toBe(true);
    expect(fake.getInputs()).toEqual([{ Bucket: BUCKET, Key: 'm/dash/chunk-0-001.m4s' }]);
  });

  test('an MP4 whose first bytes never arrive (the body fails): 307, the broken body released', async () => {
    // Prepare
    fake = installFake({ fault: () => ({ body: { fault: 'error', after: 4 } }) });

    // Act
    const response = await loaded.invoke(functionUrlEvent({ path: '/dash/init-0.mp4' }));

    // Assess
    expect(response.statusCode).toBe(307);
    expect(fake.getInputs()).toHaveLength(1);
  });

  test('HEAD of an init segment has no bytes to sniff: 307 for HEAD, from HeadObject alone', async () => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(functionUrlEvent({ method: 'HEAD', path: '/dash/init-0.mp4' }));

    // Assess
    expect(response.statusCode).toBe(307);
    expect(fake.getInputs()).toEqual([]);
  });
});

describe('plain GET of a smaller object', () => {
  test('200 with every byte from the same single ranged read, with the origin headers', async () => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(functionUrlEvent({ path: '/small.m3u8' }));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-length']).toBe('999');
    expect(response.headers['content-type']).toBe('application/vnd.apple.mpegurl');
    expect(response.body.equals(small)).toBe(true);
    expect(fake.getInputs()).toEqual([{ Bucket: BUCKET, Key: 'm/small.m3u8' }]);
  });

  test('an empty object: 200 with no bytes (S3 answers the range with 416, then HeadObject)', async () => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(functionUrlEvent({ path: '/empty.mp3' }));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-length']).toBe('0');
    expect(response.body).toHaveLength(0);
  });
});

describe('downloads', () => {
  test('any size is redirected, with the download name for S3 to send', async () => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(functionUrlEvent({ path: '/small.m3u8', query: { download: 'list.m3u8' } }));

    // Assess
    expect(response.statusCode).toBe(307);
    const location = new URL(response.headers.location ?? '');
    expect(location.searchParams.get('response-content-disposition')).toBe(
      `attachment; filename="list.m3u8"; filename*=UTF-8''list.m3u8`,
    );
    expect(location.searchParams.get('response-content-type')).toBe('application/vnd.apple.mpegurl');
  });
});

describe('download names cannot spoof', () => {
  const spoof = { download: '\u202egpj.exe' };

  test('the redirect asks S3 for a Content-Disposition without the right-to-left override', async () => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(functionUrlEvent({ path: '/song.mp3', query: spoof }));

    // Assess
    const location = new URL(response.headers.location ?? '');
    expect(location.searchParams.get('response-content-disposition')).toBe(
      `attachment; filename="_gpj.exe"; filename*=UTF-8''_gpj.exe`,
    );
  });

  test("the origin's own answer (through CloudFront) carries the same header", async () => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(
      functionUrlEvent({ path: '/small.m3u8', query: spoof, headers: { 'x-amz-cf-id': 'abc==' } }),
    );

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toBe(`attachment; filename="_gpj.exe"; filename*=UTF-8''_gpj.exe`);
  });
});

describe('left alone', () => {
  test('a Range request streams its 206', async () => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(functionUrlEvent({ path: '/large.mp4', headers: { range: 'bytes=0-9' } }));

    // Assess
    expect(response.statusCode).toBe(206);
    expect(response.body.equals(large.subarray(0, 10))).toBe(true);
  });

  test('a request through CloudFront (x-amz-cf-id) is streamed whole', async () => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(functionUrlEvent({ path: '/large.mp4', headers: { 'x-amz-cf-id': 'abc==' } }));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.body.equals(large)).toBe(true);
    expect(fake.getInputs()).toEqual([{ Bucket: BUCKET, Key: 'm/large.mp4' }]);
  });

  test('If-None-Match matching: 304 stays 304, nothing redirected', async () => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(functionUrlEvent({ path: '/large.mp4', headers: { 'if-none-match': '"l"' } }));

    // Assess
    expect(response.statusCode).toBe(304);
    expect(response.headers.location).toBeUndefined();
  });

  test('If-Match failing: 412 stays 412', async () => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(functionUrlEvent({ path: '/large.mp4', headers: { 'if-match': '"other"' } }));

    // Assess
    expect(response.statusCode).toBe(412);
    expect(response.headers.location).toBeUndefined();
  });
});
