/**
 * The control for every player test: the same object straight from the S3-compatible server
 * (the embedded fauxqs), through a presigned GetObject URL, as a player would get it from S3 itself.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { LocalStack } from './stack.ts';

export function s3DirectUrl(stack: LocalStack, key: string, expiresIn = 3600): Promise<string> {
  return getSignedUrl(stack.s3.client, new GetObjectCommand({ Bucket: stack.s3.bucket, Key: key }), { expiresIn });
}

/**
 * The URL map a player's request hook needs to play a manifest or playlist straight from S3: a manifest's
 * relative URLs resolve against the presigned URL and lose its query (RFC 3986 section 5.2.2), so every key is
 * presigned here, keyed by the unsigned URL it resolves to (origin + path, no query).
 */
export async function presignedRewrite(stack: LocalStack, keys: readonly string[]): Promise<Record<string, string>> {
  const entries = await Promise.all(
    keys.map(async (key) => {
      const signed = await s3DirectUrl(stack, key);
      const { origin, pathname } = new URL(signed);
      return [origin + pathname, signed] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** The bucket's base URL on the S3-compatible server: a presigned URL's path is this plus the key. */
export function bucketBaseUrl(stack: LocalStack): string {
  return `${stack.s3.endpoint.replace(/\/$/, '')}/${stack.s3.bucket}/`;
}
