/**
 * Opens ranged GetObjects pinned to one object version with If-Match = the ETag first served (RFC 9110
 * section 13.1.1; S3 answers 412 when it no longer matches). Used for every read after the first: re-reads
 * that reconcile the first body with the plan, multipart parts, and resumes after a mid-body failure. The
 * answer's ETag is checked as well, because some S3-compatible stores ignore If-Match (docs/platform.md,
 * s3rver): bytes of two versions are never spliced into one response.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { InternalServerError } from '../errors.ts';
import type { ByteRange } from '../http/types.ts';
import { discard } from './discard-body.ts';
import { type ObjectLocation, readObject } from './read-object.ts';
import type { OpenRange } from './resumable-body.ts';
import { ObjectChangedError } from './storage-errors.ts';

export interface PinnedRangeOptions {
  readonly client: S3Client;
  readonly location: ObjectLocation;
  /** The version to pin; undefined only for stores that send no ETag (then reads cannot be pinned). */
  readonly etag: string | undefined;
  readonly requestId: string;
  /** Called before every S3 request (the request count in the log line). */
  readonly onRequest?: () => void;
}

export function rangeHeader(range: ByteRange): string {
  return `bytes=${range.start}-${range.end}`;
}

export function openPinnedRange(options: PinnedRangeOptions): OpenRange {
  const { client, location, etag, requestId, onRequest } = options;
  return async (range) => {
    onRequest?.();
    const result = await readObject(
      client,
      location,
      { op: 'get', range: rangeHeader(range), ...(etag === undefined ? {} : { ifMatch: etag }) },
      requestId,
    );
    if (result.body === undefined) {
      throw new InternalServerError(requestId, { cause: new Error('GetObject answered without a body') });
    }
    if (etag !== undefined && result.facts.etag !== etag) {
      discard(result.body);
      throw new ObjectChangedError(etag, {
        cause: new Error(`store ignored If-Match: served ETag ${result.facts.etag ?? '(none)'}`),
      });
    }
    return { body: result.body, servedRange: result.servedRange };
  };
}
