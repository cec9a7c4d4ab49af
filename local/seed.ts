/**
 * Seeds a bucket from a directory: every regular file becomes an object whose key is its path relative to the
 * directory (posix separators), with a Content-Type from its extension. Players need the right type (an object
 * stored as binary/octet-stream does not play on iOS; HLS playlists need application/vnd.apple.mpegurl), so the
 * type comes from the same pure helper the handler uses for objects stored with a generic type.
 *
 * Uploads go through @aws-sdk/lib-storage's Upload, which switches to multipart for files larger than one part,
 * so large media never sits in memory whole (and stays under the embedded store's 11 MiB request body limit).
 */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { CreateBucketCommand, HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { contentTypeFor } from '../lambda/http/content-type.ts';

/** 8 MiB parts: above S3's 5 MiB minimum, below fauxqs' 11 MiB body limit. */
const PART_SIZE = 8 * 1024 * 1024;

export interface SeededObject {
  readonly key: string;
  readonly size: number;
  readonly contentType: string;
}

export class SeedError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'SeedError';
  }
}

/** Creates `bucket` when it does not exist yet. */
export async function ensureBucket(client: S3Client, bucket: string): Promise<void> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
    return;
  } catch (error) {
    if (httpStatusOf(error) !== 404) {
      throw new SeedError(`cannot reach bucket "${bucket}": ${describe(error)}`, { cause: error });
    }
  }
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    // Another process may have created it between the two calls.
    if (error instanceof Error && error.name === 'BucketAlreadyOwnedByYou') return;
    throw new SeedError(`cannot create bucket "${bucket}": ${describe(error)}`, { cause: error });
  }
}

/** Uploads every file under `dir` into `bucket` (created when missing); returns what it uploaded, sorted by key. */
export async function seedBucket(client: S3Client, bucket: string, dir: string): Promise<SeededObject[]> {
  const info = await stat(dir).catch((error: unknown) => {
    throw new SeedError(`media directory "${dir}" cannot be read: ${describe(error)}`, { cause: error });
  });
  if (!info.isDirectory()) {
    throw new SeedError(`media directory "${dir}" is not a directory`, { cause: undefined });
  }
  await ensureBucket(client, bucket);
  const seeded: SeededObject[] = [];
  for (const file of await listFiles(dir)) {
    const key = relative(dir, file).split(sep).join('/');
    const contentType = contentTypeFor(key, undefined);
    const { size } = await stat(file);
    const upload = new Upload({
      client,
      params: { Bucket: bucket, Key: key, Body: createReadStream(file), ContentType: contentType },
      partSize: PART_SIZE,
      queueSize: 2,
    });
    try {
      await upload.done();
    } catch (error) {
      throw new SeedError(`uploading "${file}" as "${key}" failed: ${describe(error)}`, { cause: error });
    }
    seeded.push({ key, size, contentType });
  }
  return seeded;
}

/** Every regular file under `dir` (symlinks followed), sorted for a stable upload order. */
async function listFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const kind = entry.isSymbolicLink() ? await stat(path) : entry;
    if (kind.isDirectory()) files.push(...(await listFiles(path)));
    else if (kind.isFile()) files.push(path);
  }
  return files.sort();
}

function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('$metadata' in error)) return undefined;
  const metadata = (error as { $metadata?: { httpStatusCode?: number } }).$metadata;
  return metadata?.httpStatusCode;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
