import type { ByteRange } from './types.ts';

/**
 * A Content-Range field value (RFC 9110 14.4): `bytes first-last/complete-length` for a 206 or a multipart
 * part, `bytes * /complete-length` (without the space) for a 416 (`unsatisfied-range`, RFC 9110 15.5.17).
 */
export function contentRange(size: number, range?: ByteRange): string {
  return range === undefined ? `bytes */${size}` : `bytes ${range.start}-${range.end}/${size}`;
}
