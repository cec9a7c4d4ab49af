/**
 * The seed pattern as a Lambda function: the blog-post streaming origin — `streamifyResponse`, the viewer's Range
 * passed to GetObject, S3's status and headers copied, `pipeline(body, stream)` — with the same S3 client
 * defaults as bench/peer-server.ts. Built like the product's bundle and run by the same AWS runtime interface
 * client, it is what the bench's targets compare the deployed bundle with (cold start, CPU per request and per
 * GiB, memory): what the runtime and the SDK cost any streaming origin, so the deployed bundle's excess over it
 * is its own. Bench-only code: none of the product's rules (caps, budgets, multi-range, If-Range, resume).
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, type GetObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { s3StatusOf } from '../support/s3-status.ts';

const endpoint = process.env.S3_ENDPOINT;
const bucket = process.env.BUCKET_NAME;
const s3 = new S3Client(endpoint === undefined ? {} : { endpoint, forcePathStyle: true });

export const handler = awslambda.streamifyResponse(
  async (event: LambdaFunctionURLEvent, responseStream: awslambda.HttpResponseStream): Promise<void> => {
    const range = event.headers.range;
    let object: GetObjectCommandOutput;
    try {
      object = await s3.send(
        new GetObjectCommand({ Bucket: bucket, Key: decodeURIComponent(event.rawPath.slice(1)), Range: range }),
      );
    } catch (error) {
      awslambda.HttpResponseStream.from(responseStream, { statusCode: s3StatusOf(error) }).end();
      return;
    }
    const headers: Record<string, string> = { 'accept-ranges': 'bytes' };
    if (object.ContentType !== undefined) headers['content-type'] = object.ContentType;
    if (object.ContentRange !== undefined) headers['content-range'] = object.ContentRange;
    if (object.ETag !== undefined) headers.etag = object.ETag;
    if (object.LastModified !== undefined) headers['last-modified'] = object.LastModified.toUTCString();
    const stream = awslambda.HttpResponseStream.from(responseStream, {
      statusCode: object.$metadata.httpStatusCode ?? 200,
      headers,
    });
    if (!(object.Body instanceof Readable)) throw new Error('GetObject answered without a Node.js Readable body');
    await pipeline(object.Body, stream);
  },
);
