/**
 * The seed pattern's one step: GetObject with the viewer's Range, S3's status and headers copied. Shared by the
 * seed pattern as a plain streaming handler (handler.ts) and the same inside middy with a request log line
 * (middy-handler.ts), so the two differ only in what wraps this step.
 */
import { Readable } from 'node:stream';
import { GetObjectCommand, type GetObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { s3StatusOf } from '../support/s3-status.ts';

export interface SeedAnswer {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  /** Absent when S3 answered with an error. */
  readonly body?: Readable;
  /** The body's length, from S3's Content-Length. */
  readonly contentLength?: number;
}

const endpoint = process.env.S3_ENDPOINT;
const bucket = process.env.BUCKET_NAME;
const s3 = new S3Client(endpoint === undefined ? {} : { endpoint, forcePathStyle: true });

export async function seedGet(event: LambdaFunctionURLEvent): Promise<SeedAnswer> {
  let object: GetObjectCommandOutput;
  try {
    object = await s3.send(
      new GetObjectCommand({
        Bucket: bucket,
        Key: decodeURIComponent(event.rawPath.slice(1)),
        Range: event.headers.range,
      }),
    );
  } catch (error) {
    return { statusCode: s3StatusOf(error), headers: {} };
  }
  const headers: Record<string, string> = { 'accept-ranges': 'bytes' };
  if (object.ContentType !== undefined) headers['content-type'] = object.ContentType;
  if (object.ContentRange !== undefined) headers['content-range'] = object.ContentRange;
  if (object.ETag !== undefined) headers.etag = object.ETag;
  if (object.LastModified !== undefined) headers['last-modified'] = object.LastModified.toUTCString();
  if (!(object.Body instanceof Readable)) throw new Error('GetObject answered without a Node.js Readable body');
  return {
    statusCode: object.$metadata.httpStatusCode ?? 200,
    headers,
    body: object.Body,
    ...(object.ContentLength === undefined ? {} : { contentLength: object.ContentLength }),
  };
}
