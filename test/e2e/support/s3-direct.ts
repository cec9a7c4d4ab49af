/**
 * The control for every player test (common brief): the same object straight from the S3-compatible server
 * (the embedded fauxqs), through a presigned GetObject URL, as a player would get it from S3 itself.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { LocalStack } from './stack.ts';

export function s3DirectUrl(stack: LocalStack, key: string, expiresIn = 3600): Promise<string> {
  return getSignedUrl(stack.s3.client, new GetObjectCommand({ Bucket: stack.s3.bucket, Key: key }), { expiresIn });
}
