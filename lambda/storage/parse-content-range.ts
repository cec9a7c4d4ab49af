/**
 * Parses the Content-Range S3 sends with a 206: `bytes <first>-<last>/<complete-length>` (RFC 9110 section
 * 14.4). The complete length is the object size; it is the only place a ranged GetObject reports it.
 * Returns undefined for anything else (including `bytes *\/size`, which only accompanies a 416), so that a
 * malformed value from an S3-compatible store is never trusted.
 */
import type { ByteRange } from '../http/types.ts';

export interface ContentRange {
  readonly range: ByteRange;
  readonly size: number;
}

const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+)$/;

export function parseContentRange(value: string | undefined): ContentRange | undefined {
  if (value === undefined) return undefined;
  const match = CONTENT_RANGE.exec(value.trim());
  if (match === null) return undefined;
  const start = Number(match[1]);
  const end = Number(match[2]);
  const size = Number(match[3]);
  if (![start, end, size].every(Number.isSafeInteger) || start > end || end >= size) return undefined;
  return { range: { start, end }, size };
}
