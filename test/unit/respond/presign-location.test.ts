import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, test } from '@jest/globals';
import { presignLocation } from '../../../lambda/respond/presign-location.ts';
import { createS3Client } from '../../../lambda/storage/create-s3-client.ts';

const credentials = { accessKeyId: 'AKIATESTTESTTESTTEST', secretAccessKey: 'secret' };

describe('presignLocation', () => {
  test('GET: a SigV4 URL for the key that expires after the configured seconds', async () => {
    // Prepare
    const client = new S3Client({ region: 'us-east-1', credentials });

    // Act
    const url = new URL(await presignLocation(client, { bucket: 'media-bucket', key: 'videos/a b.mp4' }, 'GET', 300));

    // Assess
    expect(url.protocol).toBe('https:');
    expect(url.hostname).toBe('media-bucket.s3.us-east-1.amazonaws.com');
    expect(url.pathname).toBe('/videos/a%20b.mp4');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  });

  test('HEAD is signed for HEAD (a 307 keeps the method), so its signature differs from GET', async () => {
    // Prepare
    const client = new S3Client({ region: 'us-east-1', credentials, systemClockOffset: 0 });
    const location = { bucket: 'media-bucket', key: 'clip.mp4' };

    // Act
    const [get, head] = await Promise.all([
      presignLocation(client, location, 'GET', 60),
      presignLocation(client, location, 'HEAD', 60),
    ]);

    // Assess
    const signature = (url: string) => new URL(url).searchParams.get('X-Amz-Signature');
    const date = (url: string) => new URL(url).searchParams.get('X-Amz-Date');
    expect(date(get)).toBe(date(head));
    expect(signature(get)).not.toBe(signature(head));
  });

  test('with an S3-compatible endpoint the URL is path-style on that endpoint', async () => {
    // Prepare
    const client = new S3Client({
      region: 'us-east-1',
      credentials,
      endpoint: 'http://127.0.0.1:9000',
      forcePathStyle: true,
    });

    // Act
    const url = new URL(await presignLocation(client, { bucket: 'media', key: 'clip.mp4' }, 'GET', 300));

    // Assess
    expect(url.origin).toBe('http://127.0.0.1:9000');
    expect(url.pathname).toBe('/media/clip.mp4');
  });

  test('S3 response overrides and a version id become signed query parameters', async () => {
    // Prepare
    const client = new S3Client({ region: 'us-east-1', credentials });
    const location = { bucket: 'media-bucket', key: 'clip.mp4' };

    // Act
    const url = new URL(
      await presignLocation(client, location, 'GET', 21_600, {
        overrides: { contentType: 'video/mp4', contentDisposition: 'attachment; filename="a.mp4"' },
        versionId: '3sL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY',
      }),
    );
    const plain = new URL(await presignLocation(client, location, 'GET', 21_600, { versionId: 'null' }));

    // Assess
    expect(url.searchParams.get('response-content-type')).toBe('video/mp4');
    expect(url.searchParams.get('response-content-disposition')).toBe('attachment; filename="a.mp4"');
    expect(url.searchParams.get('versionId')).toBe('3sL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('21600');
    // S3 reports "null" for objects written before versioning was enabled: not a version to pin.
    expect(plain.searchParams.get('versionId')).toBeNull();
    expect(plain.searchParams.get('response-content-type')).toBeNull();
  });
});

describe('presignLocation with the function client (createS3Client)', () => {
  test('the URL carries no request-checksum parameters: a GET has no payload to checksum', async () => {
    // Prepare
    process.env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
    const client = createS3Client({
      region: 'us-east-1',
      s3ConnectTimeoutMs: 1000,
      s3FirstByteTimeoutMs: 1000,
      s3IdleTimeoutMs: 1000,
      s3Endpoint: undefined,
    });

    // Act
    const url = new URL(await presignLocation(client, { bucket: 'media-bucket', key: 'clip.mp4' }, 'GET', 60));

    // Assess
    const names = [...url.searchParams.keys()];
    expect(names.filter((name) => /checksum/i.test(name))).toEqual([]);
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  });
});
