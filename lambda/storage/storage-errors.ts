/**
 * Storage outcomes that are not HTTP answers by themselves. The HTTP layer decides what they mean:
 * - RangeNotSatisfiableSignal: S3 answered 416 InvalidRange (start beyond the end, or `-0`). The handler then
 *   reads the metadata with HeadObject and lets the pure plan answer 416, 304, 412 or 200 (S3 has no If-Range,
 *   and the conditional headers outrank the range: RFC 9110 section 13.2.2).
 * - ObjectChangedError: S3 answered 412 to one of OUR pinned re-reads (If-Match = the ETag first served): the
 *   object was overwritten in between. Splicing bytes of two versions is never acceptable.
 * - BodyIncompleteError: the body failed after the status line was sent and could not be resumed; the response
 *   stream is destroyed with it so the transfer is visibly incomplete (never a clean, short end).
 */
import type { ByteRange } from '../http/types.ts';

export class RangeNotSatisfiableSignal extends Error {
  override readonly name = 'RangeNotSatisfiableSignal';
  /** Object size when S3 reported it (ActualObjectSize in the 416 error body). */
  readonly actualSize: number | undefined;
  constructor(actualSize: number | undefined, options: { readonly cause?: unknown } = {}) {
    super('S3 answered 416 InvalidRange', options);
    this.actualSize = actualSize;
  }
}

export class ObjectChangedError extends Error {
  override readonly name = 'ObjectChangedError';
  readonly etag: string | undefined;
  constructor(etag: string | undefined, options: { readonly cause?: unknown } = {}) {
    super(`object no longer matches ETag ${etag ?? '(none)'}`, options);
    this.etag = etag;
  }
}

export class BodyIncompleteError extends Error {
  override readonly name = 'BodyIncompleteError';
  /** The slice that was promised to the viewer. */
  readonly range: ByteRange;
  /** How many bytes of it were delivered before giving up. */
  readonly delivered: number;
  /** Resume attempts made before giving up. */
  readonly attempts: number;
  constructor(
    range: ByteRange,
    delivered: number,
    attempts: number,
    reason: string,
    options: { readonly cause?: unknown } = {},
  ) {
    super(
      `body for bytes ${range.start}-${range.end} incomplete after ${delivered} bytes and ${attempts} resume attempts: ${reason}`,
      options,
    );
    this.range = range;
    this.delivered = delivered;
    this.attempts = attempts;
  }
}
