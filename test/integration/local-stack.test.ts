/**
 * The real handler (lambda/handler.ts) behind the local Function URL, on the embedded S3 server, over real
 * HTTP: ranges, preconditions, HEAD, errors, CORS and awkward keys. Every body is compared byte for byte with
 * the slice of the stored file it claims to be.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type LocalStack, startLocalStack } from '../../local/stack.ts';
import { testRuntime } from '../support/local/runtime-mode.ts';
import { boundaryOf, parseMultipartByteranges } from '../support/parse-multipart.ts';
import { BROWSER_USER_AGENT, NON_FOLLOWING_USER_AGENTS } from '../support/user-agents.ts';
import { send, type ViewerResult } from '../support/viewer-request.ts';

const OPEN_RANGE_CAP = 64 * 1024;
const FILES: Record<string, Buffer> = {
  'clip.mp4': randomBytes(300_000),
  'dir with space/a+b%c=d é.mp4': randomBytes(5_000),
  'ünïcødé/日本語.webm': randomBytes(3_000),
  'empty.mp3': Buffer.alloc(0),
};
const CLIP = FILES['clip.mp4'] as Buffer;
const SIZE = CLIP.length;

let stack: LocalStack;
let mediaDir: string;

beforeAll(async () => {
  mediaDir = await mkdtemp(join(tmpdir(), 'local-stack-it-'));
  for (const [key, bytes] of Object.entries(FILES)) {
    const path = join(mediaDir, ...key.split('/'));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bytes);
  }
  stack = await startLocalStack({
    port: 0,
    mediaDir,
    functionEnv: { OPEN_RANGE_CAP_BYTES: String(OPEN_RANGE_CAP) },
    runtime: testRuntime(),
  });
});

afterAll(async () => {
  await stack.close();
  await rm(mediaDir, { recursive: true, force: true });
});

function get(target: string, headers: Record<string, string> = {}, method = 'GET'): Promise<ViewerResult> {
  return send(stack.url, target, { method, headers });
}

/** Asserts a 206 single-part answer: Content-Range says `start-end/size` and the body is exactly that slice. */
function expectSlice(response: ViewerResult, stored: Buffer, start: number, end: number): void {
  expect(response.status).toBe(206);
  expect(response.headers['content-range']).toBe(`bytes ${start}-${end}/${stored.length}`);
  expect(response.body.equals(stored.subarray(start, end + 1))).toBe(true);
  expect(response.complete).toBe(true);
}

describe('seeding', () => {
  it('stores every file at its relative path with a Content-Type from its extension', async () => {
    // Act
    const mp4 = await stack.s3.client.send(new HeadObjectCommand({ Bucket: stack.s3.bucket, Key: 'clip.mp4' }));
    const webm = await stack.s3.client.send(
      new HeadObjectCommand({ Bucket: stack.s3.bucket, Key: 'ünïcødé/日本語.webm' }),
    );

    // Assess
    expect(mp4.ContentType).toBe('video/mp4');
    expect(mp4.ContentLength).toBe(SIZE);
    expect(webm.ContentType).toBe('video/webm');
  });
});

describe('whole objects', () => {
  it('answers GET with 200 and every byte, chunked, with the length remapped', async () => {
    // Act
    const response = await get('/clip.mp4');

    // Assess
    expect(response.status).toBe(200);
    expect(response.body.equals(CLIP)).toBe(true);
    expect(response.complete).toBe(true);
    expect(response.headers['content-type']).toBe('video/mp4');
    expect(response.headers['accept-ranges']).toBe('bytes');
    expect(response.headers.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(response.headers['last-modified']).toBeDefined();
    expect(response.headers['x-amzn-remapped-content-length']).toBe(String(SIZE));
    expect(response.headers['content-length']).toBeUndefined();
  });

  it('answers HEAD with the GET headers and no body', async () => {
    // Act
    const head = await get('/clip.mp4', {}, 'HEAD');
    const full = await get('/clip.mp4');

    // Assess
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers.etag).toBe(full.headers.etag);
    expect(head.headers['content-type']).toBe('video/mp4');
    expect(head.headers['x-amzn-remapped-content-length']).toBe(String(SIZE));
  });

  it('serves an empty object as 200 with no bytes', async () => {
    // Act
    const response = await get('/empty.mp3');

    // Assess
    expect(response.status).toBe(200);
    expect(response.body.length).toBe(0);
    expect(response.complete).toBe(true);
  });
});

describe('ranges', () => {
  it('answers the Safari probe bytes=0-1 with exactly 2 bytes and a truthful Content-Range', async () => {
    // Act
    const response = await get('/clip.mp4', { Range: 'bytes=0-1' });

    // Assess
    expectSlice(response, CLIP, 0, 1);
    expect(response.headers['x-amzn-remapped-content-length']).toBe('2');
  });

  it('answers an explicit range exactly', async () => {
    // Act
    const response = await get('/clip.mp4', { Range: 'bytes=1000-1999' });

    // Assess
    expectSlice(response, CLIP, 1000, 1999);
  });

  it('clamps a range that runs past the end', async () => {
    // Act
    const response = await get('/clip.mp4', { Range: `bytes=${SIZE - 10}-${SIZE + 1000}` });

    // Assess
    expectSlice(response, CLIP, SIZE - 10, SIZE - 1);
  });

  it("caps a browser's open-ended range at OPEN_RANGE_CAP_BYTES with a truthful Content-Range", async () => {
    // Act
    const response = await get('/clip.mp4', { Range: 'bytes=1000-', 'User-Agent': BROWSER_USER_AGENT });

    // Assess
    expectSlice(response, CLIP, 1000, 1000 + OPEN_RANGE_CAP - 1);
  });

  it.each([
    ['no User-Agent', {}],
    ['ffmpeg', { 'User-Agent': NON_FOLLOWING_USER_AGENTS.ffmpeg }],
    ['node fetch', { 'User-Agent': NON_FOLLOWING_USER_AGENTS.nodeFetch }],
  ])('answers an open-ended range from %s with the exact remainder, not capped', async (_name, headers) => {
    // Prepare
    expect(SIZE - 1000).toBeGreaterThan(OPEN_RANGE_CAP);

    // Act
    const response = await get('/clip.mp4', { Range: 'bytes=1000-', ...headers });

    // Assess
    expectSlice(response, CLIP, 1000, SIZE - 1);
    expect(response.headers['x-amzn-remapped-content-length']).toBe(String(SIZE - 1000));
  });

  it("answers a browser's open-ended range shorter than the cap up to the end", async () => {
    // Act
    const response = await get('/clip.mp4', { Range: `bytes=${SIZE - 700}-`, 'User-Agent': BROWSER_USER_AGENT });

    // Assess
    expectSlice(response, CLIP, SIZE - 700, SIZE - 1);
  });

  it('answers a suffix range with the last bytes', async () => {
    // Act
    const response = await get('/clip.mp4', { Range: 'bytes=-500' });

    // Assess
    expectSlice(response, CLIP, SIZE - 500, SIZE - 1);
  });

  it('answers several ranges with multipart/byteranges, each part byte-exact', async () => {
    // Prepare
    const ranges: Array<[number, number]> = [
      [0, 9],
      [100, 109],
      [200_000, 200_009],
    ];

    // Act
    const response = await get('/clip.mp4', { Range: `bytes=${ranges.map(([a, b]) => `${a}-${b}`).join(',')}` });

    // Assess
    expect(response.status).toBe(206);
    expect(response.complete).toBe(true);
    const parts = parseMultipartByteranges(response.body, boundaryOf(String(response.headers['content-type'])));
    expect(parts.map((part) => part.headers['content-range'])).toEqual(
      ranges.map(([a, b]) => `bytes ${a}-${b}/${SIZE}`),
    );
    parts.forEach((part, index) => {
      const [a, b] = ranges[index] as [number, number];
      expect(part.data.equals(CLIP.subarray(a, b + 1))).toBe(true);
      expect(part.headers['content-type']).toBe('video/mp4');
    });
  });

  it('answers an unsatisfiable range with 416 and Content-Range bytes */size', async () => {
    // Act
    const response = await get('/clip.mp4', { Range: `bytes=${SIZE}-` });

    // Assess
    expect(response.status).toBe(416);
    expect(response.headers['content-range']).toBe(`bytes */${SIZE}`);
    expect(response.body.includes(CLIP.subarray(0, 16))).toBe(false);
  });
});

describe('preconditions', () => {
  let etag: string;
  let lastModified: string;

  beforeAll(async () => {
    const head = await get('/clip.mp4', {}, 'HEAD');
    etag = String(head.headers.etag);
    lastModified = String(head.headers['last-modified']);
  });

  it('answers If-None-Match with the current ETag with 304 and no body', async () => {
    // Act
    const response = await get('/clip.mp4', { 'If-None-Match': etag });

    // Assess
    expect(response.status).toBe(304);
    expect(response.body.length).toBe(0);
    expect(response.headers.etag).toBe(etag);
  });

  it('answers If-Modified-Since equal to Last-Modified with 304', async () => {
    // Act
    const response = await get('/clip.mp4', { 'If-Modified-Since': lastModified });

    // Assess
    expect(response.status).toBe(304);
  });

  it('answers If-Modified-Since in the past with the whole object', async () => {
    // Act
    const response = await get('/clip.mp4', { 'If-Modified-Since': 'Sat, 01 Jan 2000 00:00:00 GMT' });

    // Assess
    expect(response.status).toBe(200);
    expect(response.body.equals(CLIP)).toBe(true);
  });

  it('answers If-Match with another ETag with 412', async () => {
    // Act
    const response = await get('/clip.mp4', { 'If-Match': '"0123456789abcdef0123456789abcdef"' });

    // Assess
    expect(response.status).toBe(412);
    expect(response.body.includes(CLIP.subarray(0, 16))).toBe(false);
  });

  it('answers If-Match with the current ETag and a Range with the range', async () => {
    // Act
    const response = await get('/clip.mp4', { 'If-Match': etag, Range: 'bytes=10-19' });

    // Assess
    expectSlice(response, CLIP, 10, 19);
  });

  it('answers If-Unmodified-Since in the past with 412', async () => {
    // Act
    const response = await get('/clip.mp4', { 'If-Unmodified-Since': 'Sat, 01 Jan 2000 00:00:00 GMT' });

    // Assess
    expect(response.status).toBe(412);
  });

  it('honours the Range when If-Range matches the ETag', async () => {
    // Act
    const response = await get('/clip.mp4', { 'If-Range': etag, Range: 'bytes=5-9' });

    // Assess
    expectSlice(response, CLIP, 5, 9);
  });

  it('ignores the Range and sends the whole object when If-Range names another ETag', async () => {
    // Act
    const response = await get('/clip.mp4', { 'If-Range': '"0123456789abcdef0123456789abcdef"', Range: 'bytes=5-9' });

    // Assess
    expect(response.status).toBe(200);
    expect(response.body.equals(CLIP)).toBe(true);
  });
});

describe('errors', () => {
  it('answers a missing key with 404', async () => {
    // Act
    const response = await get('/no-such-key.mp4');

    // Assess
    expect(response.status).toBe(404);
  });

  it.each([
    ['no key at all', '/'],
    ['a dot-dot segment hidden in percent-encoding', '/a/%2e%2e/clip.mp4'],
    ['an empty segment', '/a//clip.mp4'],
    ['a broken percent-escape', '/clip%zz.mp4'],
  ])('answers %s with 400', async (_label, target) => {
    // Act
    const response = await get(target);

    // Assess
    expect(response.status).toBe(400);
  });

  it.each(['POST', 'PUT', 'DELETE'])('answers %s with 405 and Allow', async (method) => {
    // Act
    const response = await get('/clip.mp4', {}, method);

    // Assess
    expect(response.status).toBe(405);
    expect(String(response.headers.allow)).toContain('GET');
  });
});

describe('CORS (answered by the function; the local stack allows "*")', () => {
  it('answers a preflight for a Range request', async () => {
    // Act
    const response = await get(
      '/clip.mp4',
      {
        Origin: 'http://127.0.0.1:9999',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'range',
      },
      'OPTIONS',
    );

    // Assess
    expect(response.status).toBeGreaterThanOrEqual(200);
    expect(response.status).toBeLessThan(300);
    expect(response.headers['access-control-allow-origin']).toBeDefined();
    expect(String(response.headers['access-control-allow-methods'])).toContain('GET');
    expect(String(response.headers['access-control-allow-headers']).toLowerCase()).toContain('range');
  });

  it('exposes the headers a cross-origin player needs', async () => {
    // Act
    const response = await get('/clip.mp4', { Origin: 'http://127.0.0.1:9999', Range: 'bytes=0-1' });

    // Assess
    expect(response.headers['access-control-allow-origin']).toBeDefined();
    const exposed = String(response.headers['access-control-expose-headers']).toLowerCase();
    for (const name of ['content-range', 'accept-ranges', 'etag']) expect(exposed).toContain(name);
    expectSlice(response, CLIP, 0, 1);
  });
});

describe('awkward keys', () => {
  const key = 'dir with space/a+b%c=d é.mp4';
  const stored = FILES[key] as Buffer;

  it.each([
    ['fully percent-encoded', '/dir%20with%20space/a%2Bb%25c%3Dd%20%C3%A9.mp4'],
    ['with a literal + and =', '/dir%20with%20space/a+b%25c=d%20%C3%A9.mp4'],
  ])('serves a key with spaces, +, %%, = and non-ASCII, %s', async (_label, target) => {
    // Act
    const response = await get(target, { Range: 'bytes=0-99' });

    // Assess
    expectSlice(response, stored, 0, 99);
  });

  it('serves a key with non-ASCII directory and file names', async () => {
    // Prepare
    const target = `/${encodeURIComponent('ünïcødé')}/${encodeURIComponent('日本語.webm')}`;

    // Act
    const response = await get(target);

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('video/webm');
    expect(response.body.equals(FILES['ünïcødé/日本語.webm'] as Buffer)).toBe(true);
  });
});
