/**
 * The benchmark's objects: random bytes (AES-CTR keystream, see keystream.ts) streamed into the S3 server with
 * @aws-sdk/lib-storage, so the bench process holds at most a few parts of even the 1 GiB object at a time.
 */
import { CreateBucketCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Keystream } from './keystream.ts';

export interface BenchObject {
  readonly key: string;
  readonly size: number;
  readonly etag: string;
}

export function benchS3Client(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
}

export async function createBucket(client: S3Client, bucket: string): Promise<void> {
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    const name = (error as { name?: unknown } | null)?.name;
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
  }
}

/** 8 MiB parts: above S3's 5 MiB minimum, below fauxqs' 11 MiB request body limit (fauxqs dist/app.js). */
const PART_SIZE = 8 * 1024 * 1024;

export async function uploadObject(
  client: S3Client,
  bucket: string,
  key: string,
  size: number,
  keystream: Keystream,
): Promise<BenchObject> {
  const upload = new Upload({
    client,
    // queueSize 4 x 8 MiB parts: bounded memory in the bench process, still fast on loopback.
    queueSize: 4,
    partSize: PART_SIZE,
    params: {
      Bucket: bucket,
      Key: key,
      Body: keystream.stream(size, 4 * 1024 * 1024),
      ContentType: 'video/mp4',
    },
  });
  await upload.done();
  const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  if (head.ContentLength !== size || !head.ETag) {
    throw new Error(`uploaded ${key}: store reports ${head.ContentLength} bytes (expected ${size}), ETag ${head.ETag}`);
  }
  return { key, size, etag: head.ETag };
}
