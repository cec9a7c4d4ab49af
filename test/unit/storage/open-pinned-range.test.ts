import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { openPinnedRange } from '../../../lambda/storage/open-pinned-range.ts';
import { ObjectChangedError } from '../../../lambda/storage/storage-errors.ts';
import { s3Error } from '../../support/fake-s3.ts';
import { leakedBodies, resetBodies, sdkBody, testBody } from '../../support/s3-body.ts';

const s3Mock = mockClient(S3Client);
const client = new S3Client({ region: 'us-east-1' });
const location = { bucket: 'bucket', key: 'clip.mp4' };

beforeEach(() => {
  s3Mock.reset();
  resetBodies();
});
afterEach(() => {
  expect(leakedBodies()).toEqual([]);
});

describe('openPinnedRange', () => {
  test('asks for exactly the range, pinned with If-Match, and counts the request', async () => {
    // Prepare
    s3Mock.on(GetObjectCommand).resolves({
      Body: sdkBody(testBody(Buffer.alloc(10))),
      ContentRange: 'bytes 10-19/100',
      ContentLength: 10,
      ETag: '"v1"',
    });
    let requests = 0;
    const open = openPinnedRange({ client, location, etag: '"v1"', requestId: 'r', onRequest: () => (requests += 1) });

    // Act
    const opened = await open({ start: 10, end: 19 });
    opened.body.destroy();

    // Assess
    expect(opened.servedRange).toEqual({ start: 10, end: 19 });
    expect(requests).toBe(1);
    expect(s3Mock.commandCalls(GetObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: 'bucket',
      Key: 'clip.mp4',
      Range: 'bytes=10-19',
      IfMatch: '"v1"',
    });
  });

  test('412 from S3 means the object changed', async () => {
    // Prepare
    s3Mock.on(GetObjectCommand).rejects(s3Error('PreconditionFailed', 412));
    const open = openPinnedRange({ client, location, etag: '"v1"', requestId: 'r' });

    // Act / Assess
    await expect(open({ start: 0, end: 9 })).rejects.toThrow(ObjectChangedError);
  });

  test('a store that ignores If-Match and serves another version is caught by the ETag, body destroyed', async () => {
    // Prepare
    const body = testBody(Buffer.alloc(10));
    s3Mock.on(GetObjectCommand).resolves({
      Body: sdkBody(body),
      ContentRange: 'bytes 0-9/100',
      ContentLength: 10,
      ETag: '"v2"',
    });
    const open = openPinnedRange({ client, location, etag: '"v1"', requestId: 'r' });

    // Act / Assess
    await expect(open({ start: 0, end: 9 })).rejects.toThrow(ObjectChangedError);
    expect(body.destroyed).toBe(true);
  });

  test('without an ETag nothing can be pinned: no If-Match is sent', async () => {
    // Prepare
    s3Mock.on(GetObjectCommand).resolves({
      Body: sdkBody(testBody(Buffer.alloc(10))),
      ContentRange: 'bytes 0-9/100',
      ContentLength: 10,
    });
    const open = openPinnedRange({ client, location, etag: undefined, requestId: 'r' });

    // Act
    const opened = await open({ start: 0, end: 9 });
    opened.body.destroy();

    // Assess
    expect(s3Mock.commandCalls(GetObjectCommand)[0]?.args[0].input).not.toHaveProperty('IfMatch');
  });
});
