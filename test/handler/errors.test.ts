/**
 * Error answers through the real handler: status, generic text, base headers; never a bucket name, an S3
 * message or a stack in what the viewer receives. Also methods (405) and bad paths (400).
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { type FakeS3, type Fault, installFakeS3, type StoredObject, s3Error } from '../support/fake-s3.ts';
import { functionUrlEvent } from '../support/function-url-event.ts';
import { leakedBodies, patternBytes, resetBodies } from '../support/s3-body.ts';
import { BUCKET, type LoadedHandler, loadHandler } from './handler-harness.ts';

const objects = new Map<string, StoredObject>([
  ['clip.mp4', { body: patternBytes(100), etag: '"v1"', lastModified: new Date('2025-01-01T00:00:00Z') }],
]);

let loaded: LoadedHandler;
let fake: FakeS3 | undefined;

beforeAll(async () => {
  loaded = await loadHandler();
});
afterEach(() => {
  fake?.mock.restore();
  fake = undefined;
  expect(leakedBodies()).toEqual([]);
  resetBodies();
});

function serve(options: { listBucket?: boolean; fault?: Fault } = {}): FakeS3 {
  const { fault } = options;
  fake = installFakeS3({
    bucket: BUCKET,
    objects,
    ...(options.listBucket === undefined ? {} : { listBucket: options.listBucket }),
    ...(fault === undefined ? {} : { fault: () => fault }),
  });
  return fake;
}

/** Nothing from S3 or the deployment leaks into what the viewer receives. */
function expectNothingLeaked(wire: Buffer): void {
  const text = wire.toString('latin1');
  expect(text).not.toMatch(/secret-bucket-name|fake S3|NoSuchKey|AccessDenied|SlowDown|InvalidArgument|at .*\.ts:\d+/);
}

describe('S3 failures become clear HTTP errors', () => {
  test('404 for a missing key (NoSuchKey): short text, no-store, nosniff', async () => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(functionUrlEvent({ path: '/missing.mp4' }));

    // Assess
    expect(response.statusCode).toBe(404);
    expect(response.body.toString()).toBe('Not Found\n');
    expect(response.headers).toMatchObject({
      'content-type': 'text/plain; charset=utf-8',
      'content-length': '10',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    expect(response.cleanEnd).toBe(true);
    expectNothingLeaked(response.wire);
  });

  test('404 also when S3 says 403 AccessDenied (the role has no s3:ListBucket)', async () => {
    // Prepare
    serve({ listBucket: false });

    // Act
    const response = await loaded.invoke(functionUrlEvent({ path: '/missing.mp4' }));

    // Assess
    expect(response.statusCode).toBe(404);
    expectNothingLeaked(response.wire);
  });

  test('HEAD of a missing key: 404 with the headers and no body', async () => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(functionUrlEvent({ method: 'HEAD', path: '/missing.mp4' }));

    // Assess
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-length']).toBe('10');
    expect(response.body).toHaveLength(0);
  });

  test('503 with Retry-After when S3 throttles (SlowDown)', async () => {
    // Prepare
    serve({ fault: { reject: s3Error('SlowDown', 503) } });

    // Act
    const response = await loaded.invoke(functionUrlEvent({ path: '/clip.mp4' }));

    // Assess
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.body.toString()).toBe('Service Unavailable\n');
    expectNothingLeaked(response.wire);
  });

  test('504 when S3 does not answer in time (SDK TimeoutError)', async () => {
    // Prepare
    const timeout = Object.assign(new Error('a request has exceeded the configured 5000 ms requestTimeout'), {
      name: 'TimeoutError',
    });
    serve({ fault: { reject: timeout } });

    // Act
    const response = await loaded.invoke(functionUrlEvent({ path: '/clip.mp4' }));

    // Assess
    expect(response.statusCode).toBe(504);
    expect(response.body.toString()).toBe('Gateway Timeout\n');
  });

  test('500 for anything else: a generic message naming the request id, the cause only in the log', async () => {
    // Prepare
    const failure = s3Error('InvalidArgument', 400);
    serve({ fault: { reject: failure } });
    const before = loaded.logs.length;

    // Act
    const response = await loaded.invoke(functionUrlEvent({ path: '/clip.mp4' }), 'req-500-abc');
    const logs = await loaded.waitForLogs(before + 1);

    // Assess
    expect(response.statusCode).toBe(500);
    expect(response.body.toString()).toBe('Internal Server Error (request id req-500-abc)\n');
    expectNothingLeaked(response.wire);
    expect(logs[before]).toMatchObject({ requestId: 'req-500-abc', status: 500, outcome: 'complete' });
    expect(logs[before]?.error?.cause).toBe(failure);
  });

  test('500 for an unexpected answer (GetObject without a body), not a crash', async () => {
    // Prepare
    const mock = mockClient(S3Client);
    mock.on(GetObjectCommand).resolves({ ContentLength: 10, ETag: '"x"' });

    // Act
    const response = await loaded.invoke(functionUrlEvent({ path: '/clip.mp4' }), 'req-odd');
    mock.restore();

    // Assess
    expect(response.statusCode).toBe(500);
    expect(response.body.toString()).toBe('Internal Server Error (request id req-odd)\n');
    expect(response.cleanEnd).toBe(true);
  });
});

describe('bad requests never reach S3', () => {
  test.each([
    ['/', 'the path names no object'],
    ['/a/%2e%2e/b.mp4', 'the path has a "." or ".." segment'],
    ['/a//b.mp4', 'the path has an empty segment'],
    ['/bad%zzescape', 'the path has an invalid percent-encoding'],
    ['/ctl%0a.mp4', 'the path contains a control character'],
  ])('400 for %s', async (path, reason) => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(functionUrlEvent({ path }));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(response.body.toString()).toBe(`Bad Request: ${reason}\n`);
    expect(fake?.calls).toHaveLength(0);
  });

  test.each(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])('405 with Allow for %s (CORS off)', async (method) => {
    // Prepare
    serve();

    // Act
    const response = await loaded.invoke(functionUrlEvent({ method, path: '/clip.mp4' }));

    // Assess
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('GET, HEAD');
    expect(response.body).toHaveLength(0);
    expect(fake?.calls).toHaveLength(0);
  });
});
