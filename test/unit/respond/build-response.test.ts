import { S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import type { ResponsePlan } from '../../../lambda/http/types.ts';
import { type BuildResponseOptions, buildResponse, PlanLengthError } from '../../../lambda/respond/build-response.ts';
import { openPinnedRange } from '../../../lambda/storage/open-pinned-range.ts';
import type { OpenedBody } from '../../../lambda/storage/resumable-body.ts';
import { ObjectChangedError } from '../../../lambda/storage/storage-errors.ts';
import { collect } from '../../support/collect-stream.ts';
import { type FakeS3, installFakeS3 } from '../../support/fake-s3.ts';
import { created, leakedBodies, patternBytes, resetBodies, testBody } from '../../support/s3-body.ts';

const object = patternBytes(1000);
const etag = '"v1"';
const client = new S3Client({ region: 'us-east-1' });
const location = { bucket: 'bucket', key: 'clip.mp4' };
let fake: FakeS3;

beforeEach(() => {
  resetBodies();
  fake = installFakeS3({
    bucket: 'bucket',
    objects: new Map([['clip.mp4', { body: object, etag, lastModified: new Date('2025-01-01T00:00:00Z') }]]),
  });
});
afterEach(() => {
  fake.mock.restore();
  expect(leakedBodies()).toEqual([]);
});

function options(first: OpenedBody | undefined, presigned = 'https://signed.example/clip.mp4?X-Amz-Signature=1') {
  let presignCalls = 0;
  const built: BuildResponseOptions = {
    first,
    openRange: openPinnedRange({ client, location, etag, requestId: 'req' }),
    presign: async () => {
      presignCalls += 1;
      return presigned;
    },
    resumeAttempts: 3,
    idleTimeoutMs: 10_000,
    backoffMs: () => 0,
  };
  return { built, presignCalls: () => presignCalls };
}

const firstBody = (start: number, end: number): OpenedBody => ({
  body: testBody(object.subarray(start, end + 1)),
  servedRange: { start, end },
});

const single = (start: number, end: number, status = 206): ResponsePlan => ({
  status,
  headers: { 'content-length': String(end - start + 1), 'content-range': `bytes ${start}-${end}/1000` },
  body: { kind: 'single', range: { start, end } },
});

describe('buildResponse: single slice', () => {
  test('the first body carrying exactly the slice is used: no further S3 request', async () => {
    // Prepare
    const { built } = options(firstBody(0, 1));

    // Act
    const response = await buildResponse(single(0, 1), built);
    const result = await collect(response.body);

    // Assess
    expect(response.statusCode).toBe(206);
    expect(response.headers['content-range']).toBe('bytes 0-1/1000');
    expect(response.expectedBytes).toBe(2);
    expect(result.data).toEqual(object.subarray(0, 2));
    expect(fake.calls).toHaveLength(0);
  });

  test('a first body that is not the slice (If-Range failed -> 200) is destroyed; the slice is re-read pinned', async () => {
    // Prepare
    const first = firstBody(500, 599);
    const { built } = options(first);

    // Act
    const response = await buildResponse(single(0, 999, 200), built);
    const result = await collect(response.body);

    // Assess
    expect(first.body.destroyed).toBe(true);
    expect(fake.getInputs()).toEqual([{ Bucket: 'bucket', Key: 'clip.mp4', Range: 'bytes=0-999', IfMatch: etag }]);
    expect(result.data.equals(object)).toBe(true);
  });

  test('an empty object: no body bytes, the first body is released', async () => {
    // Prepare
    const first: OpenedBody = { body: testBody(Buffer.alloc(0)), servedRange: null };
    const { built } = options(first);

    // Act
    const response = await buildResponse(
      { status: 200, headers: { 'content-length': '0' }, body: { kind: 'single', range: null } },
      built,
    );
    const result = await collect(response.body);

    // Assess
    expect(result).toEqual({ data: Buffer.alloc(0), ended: true, error: undefined });
    expect(response.expectedBytes).toBe(0);
    expect(first.body.destroyed).toBe(true);
  });

  test('a re-read refused with 412 (object replaced) surfaces before any byte, with the first body released', async () => {
    // Prepare
    fake.mock.restore();
    fake = installFakeS3({
      bucket: 'bucket',
      objects: new Map([['clip.mp4', { body: object, etag: '"v2"', lastModified: new Date() }]]),
    });
    const first = firstBody(500, 599);
    const { built } = options(first);

    // Act
    const act = buildResponse(single(0, 9), built);

    // Assess
    await expect(act).rejects.toThrow(ObjectChangedError);
    expect(first.body.destroyed).toBe(true);
  });

  test('a plan whose Content-Length disagrees with its body is refused before any byte', async () => {
    // Prepare
    const first = firstBody(0, 9);
    const { built } = options(first);
    const plan: ResponsePlan = {
      status: 206,
      headers: { 'content-length': '11' },
      body: { kind: 'single', range: { start: 0, end: 9 } },
    };

    // Act / Assess
    await expect(buildResponse(plan, built)).rejects.toThrow(PlanLengthError);
    expect(first.body.destroyed).toBe(true);
  });
});

describe('buildResponse: bodyless and redirect', () => {
  test.each([304, 412, 416])('%i: empty body and the first body destroyed unread', async (status) => {
    // Prepare
    const first = firstBody(0, 999);
    const { built } = options(first);

    // Act
    const response = await buildResponse({ status, headers: { 'content-length': '0' }, body: { kind: 'none' } }, built);
    const result = await collect(response.body);

    // Assess
    expect(response.statusCode).toBe(status);
    expect(result.data).toHaveLength(0);
    expect(first.body.destroyed).toBe(true);
    expect(created[0]?.offset).toBeLessThan(1000);
  });

  test('HEAD keeps the Content-Length of the GET it mirrors but sends no body', async () => {
    // Prepare
    const { built } = options(undefined);

    // Act
    const response = await buildResponse(
      { status: 200, headers: { 'content-length': '1000' }, body: { kind: 'none' } },
      built,
    );

    // Assess
    expect(response.headers['content-length']).toBe('1000');
    expect(response.expectedBytes).toBe(0);
    expect(fake.calls).toHaveLength(0);
  });

  test('redirect: Location is the presigned URL, the first body is destroyed', async () => {
    // Prepare
    const first = firstBody(0, 999);
    const { built, presignCalls } = options(first, 'https://bucket.s3.amazonaws.com/clip.mp4?X-Amz-Expires=300');

    // Act
    const response = await buildResponse(
      {
        status: 307,
        headers: { 'content-length': '0', 'cache-control': 'private, no-store' },
        body: { kind: 'redirect' },
      },
      built,
    );

    // Assess
    expect(response.statusCode).toBe(307);
    expect(response.headers.location).toBe('https://bucket.s3.amazonaws.com/clip.mp4?X-Amz-Expires=300');
    expect(presignCalls()).toBe(1);
    expect(first.body.destroyed).toBe(true);
    expect((await collect(response.body)).data).toHaveLength(0);
  });
});

describe('buildResponse: multipart/byteranges', () => {
  const parts = [
    { head: '\r\n--B\r\nContent-Range: bytes 0-9/1000\r\n\r\n', range: { start: 0, end: 9 } },
    { head: '\r\n--B\r\nContent-Range: bytes 100-109/1000\r\n\r\n', range: { start: 100, end: 109 } },
    { head: '\r\n--B\r\nContent-Range: bytes 990-999/1000\r\n\r\n', range: { start: 990, end: 999 } },
  ];
  const tail = '\r\n--B--\r\n';
  const length = parts.reduce((sum, part) => sum + Buffer.byteLength(part.head) + 10, 0) + Buffer.byteLength(tail);
  const plan: ResponsePlan = {
    status: 206,
    headers: { 'content-type': 'multipart/byteranges; boundary=B', 'content-length': String(length) },
    body: { kind: 'multipart', parts, tail },
  };
  const expected = Buffer.concat([
    ...parts.flatMap((part) => [Buffer.from(part.head), object.subarray(part.range.start, part.range.end + 1)]),
    Buffer.from(tail),
  ]);

  test('heads, each part from its own GetObject pinned with If-Match, in order, then the tail', async () => {
    // Prepare
    const { built } = options(undefined);

    // Act
    const response = await buildResponse(plan, built);
    const openedBeforeStreaming = fake.calls.length;
    const result = await collect(response.body);

    // Assess
    expect(result.data).toEqual(expected);
    expect(result.ended).toBe(true);
    expect(response.expectedBytes).toBe(length);
    expect(openedBeforeStreaming).toBe(1);
    expect(fake.getInputs()).toEqual([
      { Bucket: 'bucket', Key: 'clip.mp4', Range: 'bytes=0-9', IfMatch: etag },
      { Bucket: 'bucket', Key: 'clip.mp4', Range: 'bytes=100-109', IfMatch: etag },
      { Bucket: 'bucket', Key: 'clip.mp4', Range: 'bytes=990-999', IfMatch: etag },
    ]);
  });

  test('destroying the response mid-way destroys the open part and opens no more', async () => {
    // Prepare
    fake.mock.restore();
    fake = installFakeS3({
      bucket: 'bucket',
      objects: new Map([['clip.mp4', { body: object, etag, lastModified: new Date() }]]),
      fault: (call) => (call.index === 1 ? { body: { fault: 'stall', after: 4 } } : undefined),
    });
    const { built } = options(undefined);
    const response = await buildResponse(plan, built);
    let received = 0;
    response.body.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received >= Buffer.byteLength(parts[0]?.head ?? '') + 10 + Buffer.byteLength(parts[1]?.head ?? '') + 4) {
        response.body.destroy();
      }
    });

    // Act
    await new Promise((resolve) => response.body.once('close', resolve));

    // Assess
    expect(fake.calls).toHaveLength(2);
    expect(created.every((body) => body.destroyed)).toBe(true);
  });
});
