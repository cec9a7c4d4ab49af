/**
 * The Location of a 307 for answers that would exceed the response budget (Lambda's streamed payload limit):
 * a short-lived presigned S3 URL for the same method, so HEAD stays HEAD (RFC 9110 section 15.4.8: 307 keeps
 * the method). Presigning is a local computation (no S3 request). The viewer re-sends its Range and
 * conditional headers to S3, which answers them natively for the single-range case.
 */
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ObjectLocation } from '../storage/read-object.ts';

export async function presignLocation(
  client: S3Client,
  location: ObjectLocation,
  method: string,
  expiresInSeconds: number,
): Promise<string> {
  const input = { Bucket: location.bucket, Key: location.key };
  const command = method === 'HEAD' ? new HeadObjectCommand(input) : new GetObjectCommand(input);
  return getSignedUrl(client, command, { expiresIn: expiresInSeconds });
}
