import type { ByteRange } from './types.ts';

/**
 * Merge overlapping and adjacent ranges and sort the result ascending.
 *
 * RFC 9110 14.6 lets a server coalesce ranges that overlap or are separated by a gap smaller than the
 * overhead of another part; merging adjacent ones (gap of zero) is the exact, lossless case. The union of
 * the bytes is unchanged, every byte is sent once, and each part becomes a forward read of the object.
 * (RFC 9110 14.6 says parts SHOULD follow request order; ascending order is the documented exception here:
 * each part carries its own Content-Range, which is what recipients rely on.)
 */
export function coalesceRanges(ranges: readonly ByteRange[]): ByteRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: ByteRange[] = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && range.start <= last.end + 1) {
      merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, range.end) };
    } else {
      merged.push({ start: range.start, end: range.end });
    }
  }
  return merged;
}
