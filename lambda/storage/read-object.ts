/**
 * One S3 read: GetObject (optionally ranged and pinned with If-Match) or HeadObject, turned into the facts the
 * pure HTTP layer needs plus the slice actually served. Failures are thrown already mapped (map-s3-error.ts),
 * so callers never see a raw SDK error.
 *
 * The served slice comes from the response, never from what was asked: S3 answers several or malformed ranges
 * with the whole object (200), a too-long suffix with the whole object (206), and S3-compatible stores differ
 * further (docs/platform.md). Whatever arrives is described truthfully and the caller reconciles.
 */
import { Readable } from 'node:stream';
import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { InternalServerError } from '../errors.ts';
import type { ByteRange, ObjectFacts } from '../http/types.ts';
import { mapS3Error } from './map-s3-error.ts';
import { parseContentRange } from './parse-content-range.ts';

export interface ObjectLocation {
  readonly bucket: string;
  readonly key: string;
}

export type ReadRequest =
  | { readonly op: 'head' }
  | {
      readonly op: 'get';
      /** S3 Range header value, e.g. `bytes=0-1`. */
      readonly range?: string;
      /** Pin to one version: S3 answers 412 if the object's ETag differs. */
      readonly ifMatch?: string;
    };

export interface ReadResult {
  readonly facts: ObjectFacts;
  /** The slice of the object in `body`; null for HeadObject and for an empty object. */
  readonly servedRange: ByteRange | null;
  /** Present for GetObject. The caller owns it: it must be consumed or destroyed (aws-sdk-js-v3 #6691). */
  readonly body?: Readable;
  /** Milliseconds from sending the request to S3's response headers. */
  readonly firstByteMs: number;
  /** S3's x-amz-version-id (versioned buckets only): pins a presigned redirect to this version. */
  readonly versionId?: string;
}

interface ResponseMetadata {
  readonly ETag?: string | undefined;
  readonly LastModified?: Date | undefined;
  readonly ContentType?: string | undefined;
  readonly CacheControl?: string | undefined;
}

function factsOf(size: number, output: ResponseMetadata): ObjectFacts {
  return {
    size,
    ...(output.ETag === undefined ? {} : { etag: output.ETag }),
    ...(output.LastModified === undefined ? {} : { lastModified: output.LastModified }),
    ...(output.ContentType === undefined ? {} : { contentType: output.ContentType }),
    ...(output.CacheControl === undefined ? {} : { cacheControl: output.CacheControl }),
  };
}

function versionOf(output: { readonly VersionId?: string | undefined }): { versionId?: string } {
  return output.VersionId === undefined ? {} : { versionId: output.VersionId };
}

function sizeFromLength(length: number | undefined, requestId: string, what: string): number {
  if (length === undefined || !Number.isSafeInteger(length) || length < 0) {
    throw new InternalServerError(requestId, { cause: new Error(`${what} answered without a usable Content-Length`) });
  }
  return length;
}

export async function readObject(
  client: S3Client,
  location: ObjectLocation,
  request: ReadRequest,
  requestId: string,
): Promise<ReadResult> {
  const startedAt = performance.now();
  if (request.op === 'head') {
    let output: HeadObjectCommandOutput;
    try {
      output = await client.send(new HeadObjectCommand({ Bucket: location.bucket, Key: location.key }));
    } catch (error) {
      throw mapS3Error(error, requestId);
    }
    const firstByteMs = performance.now() - startedAt;
    const size = sizeFromLength(output.ContentLength, requestId, 'HeadObject');
    return { facts: factsOf(size, output), servedRange: null, firstByteMs, ...versionOf(output) };
  }

  let output: GetObjectCommandOutput;
  try {
    output = await client.send(
      new GetObjectCommand({
        Bucket: location.bucket,
        Key: location.key,
        ...(request.range === undefined ? {} : { Range: request.range }),
        ...(request.ifMatch === undefined ? {} : { IfMatch: request.ifMatch }),
      }),
    );
  } catch (error) {
    throw mapS3Error(error, requestId, request.ifMatch);
  }
  const firstByteMs = performance.now() - startedAt;
  const body = output.Body;
  if (!(body instanceof Readable)) {
    // Only a Node Readable can be piped and destroyed; anything else is a wiring mistake, not a viewer problem.
    throw new InternalServerError(requestId, {
      cause: new Error('GetObject answered without a Node.js Readable body'),
    });
  }
  try {
    if (output.ContentRange !== undefined) {
      const contentRange = parseContentRange(output.ContentRange);
      if (contentRange === undefined) {
        throw new InternalServerError(requestId, {
          cause: new Error(`GetObject answered an unparsable Content-Range ${JSON.stringify(output.ContentRange)}`),
        });
      }
      return {
        facts: factsOf(contentRange.size, output),
        servedRange: contentRange.range,
        body,
        firstByteMs,
        ...versionOf(output),
      };
    }
    const size = sizeFromLength(output.ContentLength, requestId, 'GetObject');
    const servedRange = size === 0 ? null : { start: 0, end: size - 1 };
    return { facts: factsOf(size, output), servedRange, body, firstByteMs, ...versionOf(output) };
  } catch (error) {
    body.destroy();
    throw error;
  }
}
