/**
 * Conditional requests through the real handler: 304, 412, If-Range (RFC 9110 section 13.1.5; S3 has no
 * If-Range, so the handler compares validators and re-reads when it fails), preconditions outranking a 416,
 * and the object being replaced between two reads of one request.
 */
import { afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { type FakeS3, installFakeS3, type StoredObject } from '../support/fake-s3.ts';
import { functionUrlEvent } from '../support/function-url-event.ts';
import { boundaryOf, parseMultipartByteranges } from '../support/parse-multipart.ts';
import { created, leakedBodies, patternBytes, resetBodies } from '../support/s3-body.ts';
import { BUCKET, type LoadedHandler, loadHandler } from './handler-harness.ts';

const v1 = patternBytes(1000, 11);
const v2 = patternBytes(1000, 22);
const lastModified = new Date('2025-01-02T03:04:05Z');
const stored = (body: Buffer, etag: string): StoredObject => ({ body, etag, lastModified, contentType: 'video/mp4' });

let loaded: LoadedHandler;
let fake: FakeS3;

beforeAll(async () => {
  loaded = await loadHandler();
});
afterEach(() => {
  fake.mock.restore();
  expect(leakedBodies()).toEqual([]);
  resetBodies();
});

function serve(
  objects = new Map([['clip.mp4', stored(v1, '"v1"')]]),
  fault?: Parameters<typeof installFakeS3>[0]['fault'],
) {
  fake = installFakeS3({ bucket: BUCKET, objects, ...(fault === undefined ? {} : { fault }) });
  return fake;
}

describe('preconditions', () => {
  test('If-None-Match matching: 304 with validators, the GetObject body destroyed unread, one S3 request', async () => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(functionUrlEvent({ path: '/clip.mp4', headers: { 'if-none-match': '"v1"' } }));

    // Assess
    expect(response.statusCode).toBe(304);
    expect(response.headers.etag).toBe('"v1"');
    expect(response.body).toHaveLength(0);
    expect(response.cleanEnd).toBe(true);
    expect(fake.calls).toHaveLength(1);
    expect(created[0]?.destroyed).toBe(true);
    expect(created[0]?.offset).toBeLessThan(1000);
  });

  test('If-Match not matching: 412, no body', async () => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(functionUrlEvent({ path: '/clip.mp4', headers: { 'if-match': '"other"' } }));

    // Assess
    expect(response.statusCode).toBe(412);
    expect(response.body).toHaveLength(0);
    expect(fake.calls).toHaveLength(1);
  });

  test('If-None-Match outranks Range: 304, not 206', async () => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(
      functionUrlEvent({ path: '/clip.mp4', headers: { range: 'bytes=0-1', 'if-none-match': '"v1"' } }),
    );

    // Assess
    expect(response.statusCode).toBe(304);
  });

  test('If-None-Match outranks an unsatisfiable range: S3 416 -> HeadObject -> 304', async () => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(
      functionUrlEvent({ path: '/clip.mp4', headers: { range: 'bytes=5000-', 'if-none-match': '"v1"' } }),
    );

    // Assess
    expect(response.statusCode).toBe(304);
    expect(fake.calls.map((call) => call.command)).toEqual(['GetObject', 'HeadObject']);
  });
});

describe('If-Range', () => {
  test('matching ETag: the range is honoured with one S3 request', async () => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(
      functionUrlEvent({ path: '/clip.mp4', headers: { range: 'bytes=10-19', 'if-range': '"v1"' } }),
    );

    // Assess
    expect(response.statusCode).toBe(206);
    expect(response.body.equals(v1.subarray(10, 20))).toBe(true);
    expect(fake.calls).toHaveLength(1);
  });

  test('stale ETag: 200 with the whole object; the ranged body is destroyed and the whole re-read pinned', async () => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(
      functionUrlEvent({ path: '/clip.mp4', headers: { range: 'bytes=10-19', 'if-range': '"old"' } }),
    );

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-range']).toBeUndefined();
    expect(response.body.equals(v1)).toBe(true);
    expect(fake.getInputs()).toEqual([
      { Bucket: BUCKET, Key: 'clip.mp4', Range: 'bytes=10-19' },
      { Bucket: BUCKET, Key: 'clip.mp4', Range: 'bytes=0-999', IfMatch: '"v1"' },
    ]);
    expect(created[0]?.destroyed).toBe(true);
  });

  test('a date older than Last-Modified: 200 with the whole object', async () => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(
      functionUrlEvent({
        path: '/clip.mp4',
        headers: { range: 'bytes=10-19', 'if-range': 'Wed, 01 Jan 2025 00:00:00 GMT' },
      }),
    );

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.body.equals(v1)).toBe(true);
  });
});

describe('the object is replaced while one request reads it', () => {
  test('between HeadObject and the first part: 412 to If-Match, the request starts over on the new version', async () => {
    // Prepare: the first part's GetObject finds v2 in place of the v1 the HeadObject described.
    const objects = new Map([['clip.mp4', stored(v1, '"v1"')]]);
    serve(objects, (call) => {
      if (call.index === 1) objects.set('clip.mp4', stored(v2, '"v2"'));
      return undefined;
    });

    // Act
    const response = await loaded.invoke(
      functionUrlEvent({ path: '/clip.mp4', headers: { range: 'bytes=0-9,500-509' } }),
    );

    // Assess
    expect(response.statusCode).toBe(206);
    expect(response.headers.etag).toBe('"v2"');
    const parts = parseMultipartByteranges(response.body, boundaryOf(response.headers['content-type']));
    for (const part of parts) expect(part.data.equals(v2.subarray(part.start, part.end + 1))).toBe(true);
    expect(fake.calls.map((call) => [call.command, 'IfMatch' in call.input ? call.input.IfMatch : undefined])).toEqual([
      ['HeadObject', undefined],
      ['GetObject', '"v1"'],
      ['HeadObject', undefined],
      ['GetObject', '"v2"'],
      ['GetObject', '"v2"'],
    ]);
  });

  test('replaced on every read: 503 with Retry-After instead of spliced bytes', async () => {
    // Prepare
    const objects = new Map([['clip.mp4', stored(v1, '"v0"')]]);
    serve(objects, (call) => {
      objects.set('clip.mp4', stored(call.index % 2 === 0 ? v1 : v2, `"v${call.index + 1}"`));
      return undefined;
    });

    // Act
    const response = await loaded.invoke(
      functionUrlEvent({ path: '/clip.mp4', headers: { range: 'bytes=0-9,500-509' } }),
    );

    // Assess
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
  });
});
