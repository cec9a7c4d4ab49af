import { GetObjectCommand, HeadObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { InternalServerError, NotFoundError } from '../../../lambda/errors.ts';
import { readObject } from '../../../lambda/storage/read-object.ts';
import { RangeNotSatisfiableSignal } from '../../../lambda/storage/storage-errors.ts';
import { s3Error } from '../../support/fake-s3.ts';
import { leakedBodies, resetBodies, sdkBody, testBody } from '../../support/s3-body.ts';

const s3Mock = mockClient(S3Client);
const client = new S3Client({ region: 'us-east-1' });
const location = { bucket: 'bucket', key: 'video/clip.mp4' };
const lastModified = new Date('2025-03-01T10:00:00Z');

beforeEach(() => {
  s3Mock.reset();
  resetBodies();
});
afterEach(() => {
  expect(leakedBodies()).toEqual([]);
});

describe('readObject GetObject', () => {
  test('a ranged answer: size from Content-Range, served slice from Content-Range, Range sent as given', async () => {
    // Prepare
    const body = testBody(Buffer.from('ab'));
    s3Mock.on(GetObjectCommand).resolves({
      Body: sdkBody(body),
      ContentRange: 'bytes 0-1/1000',
      ContentLength: 2,
      ETag: '"e1"',
      LastModified: lastModified,
      ContentType: 'video/mp4',
      CacheControl: 'max-age=60',
    });

    // Act
    const result = await readObject(client, location, { op: 'get', range: 'bytes=0-1' }, 'req');
    result.body?.destroy();

    // Assess
    expect(result.facts).toEqual({
      size: 1000,
      etag: '"e1"',
      lastModified,
      contentType: 'video/mp4',
      cacheControl: 'max-age=60',
    });
    expect(result.servedRange).toEqual({ start: 0, end: 1 });
    expect(result.body).toBe(body);
    const [call] = s3Mock.commandCalls(GetObjectCommand);
    expect(call?.args[0].input).toEqual({ Bucket: 'bucket', Key: 'video/clip.mp4', Range: 'bytes=0-1' });
  });

  test('a whole answer (S3 ignored or got no Range): size from Content-Length, served slice is the whole', async () => {
    // Prepare
    s3Mock.on(GetObjectCommand).resolves({ Body: sdkBody(testBody(Buffer.alloc(10))), ContentLength: 10, ETag: '"e"' });

    // Act
    const result = await readObject(client, location, { op: 'get', range: 'bytes=0-1,5-6' }, 'req');
    result.body?.destroy();

    // Assess
    expect(result.facts.size).toBe(10);
    expect(result.servedRange).toEqual({ start: 0, end: 9 });
  });

  test('an empty object serves nothing (null slice)', async () => {
    // Prepare
    s3Mock.on(GetObjectCommand).resolves({ Body: sdkBody(testBody(Buffer.alloc(0))), ContentLength: 0 });

    // Act
    const result = await readObject(client, location, { op: 'get' }, 'req');
    result.body?.destroy();

    // Assess
    expect(result.facts).toEqual({ size: 0 });
    expect(result.servedRange).toBeNull();
  });

  test('If-Match is sent when pinning', async () => {
    // Prepare
    s3Mock.on(GetObjectCommand).resolves({
      Body: sdkBody(testBody(Buffer.alloc(5))),
      ContentRange: 'bytes 5-9/10',
      ContentLength: 5,
      ETag: '"v1"',
    });

    // Act
    const result = await readObject(client, location, { op: 'get', range: 'bytes=5-9', ifMatch: '"v1"' }, 'req');
    result.body?.destroy();

    // Assess
    expect(s3Mock.commandCalls(GetObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: 'bucket',
      Key: 'video/clip.mp4',
      Range: 'bytes=5-9',
      IfMatch: '"v1"',
    });
  });

  test('an unparsable Content-Range is a 500, and the body is destroyed', async () => {
    // Prepare
    const body = testBody(Buffer.alloc(2));
    s3Mock.on(GetObjectCommand).resolves({ Body: sdkBody(body), ContentRange: 'bytes 0-1/*', ContentLength: 2 });

    // Act
    const act = readObject(client, location, { op: 'get', range: 'bytes=0-1' }, 'req-7');

    // Assess
    await expect(act).rejects.toThrow(InternalServerError);
    await expect(act).rejects.toThrow('Internal Server Error (request id req-7)');
    expect(body.destroyed).toBe(true);
  });

  test('errors come back mapped: NoSuchKey -> NotFoundError, InvalidRange -> RangeNotSatisfiableSignal', async () => {
    // Prepare
    s3Mock
      .on(GetObjectCommand)
      .rejectsOnce(new NoSuchKey({ $metadata: { httpStatusCode: 404 }, message: 'nope' }))
      .rejectsOnce(s3Error('InvalidRange', 416, { ActualObjectSize: '10' }));

    // Act
    const missing = readObject(client, location, { op: 'get' }, 'req');
    await expect(missing).rejects.toThrow(NotFoundError);
    const unsatisfiable = readObject(client, location, { op: 'get', range: 'bytes=20-' }, 'req');

    // Assess
    await expect(unsatisfiable).rejects.toThrow(RangeNotSatisfiableSignal);
    await expect(unsatisfiable).rejects.toMatchObject({ actualSize: 10 });
  });
});

describe('readObject HeadObject', () => {
  test('facts from the metadata, no body, no slice', async () => {
    // Prepare
    s3Mock.on(HeadObjectCommand).resolves({ ContentLength: 1000, ETag: '"h"', LastModified: lastModified });

    // Act
    const result = await readObject(client, location, { op: 'head' }, 'req');

    // Assess
    expect(result).toMatchObject({ facts: { size: 1000, etag: '"h"', lastModified }, servedRange: null });
    expect(result.body).toBeUndefined();
    expect(s3Mock.commandCalls(GetObjectCommand)).toHaveLength(0);
    expect(s3Mock.commandCalls(HeadObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: 'bucket',
      Key: 'video/clip.mp4',
    });
  });

  test('a HeadObject without Content-Length is a 500', async () => {
    // Prepare
    s3Mock.on(HeadObjectCommand).resolves({ ETag: '"h"' });

    // Act / Assess
    await expect(readObject(client, location, { op: 'head' }, 'req')).rejects.toThrow(InternalServerError);
  });
});
