import { followsShortRanges } from './follows-short-ranges.ts';
import { formatRangeHeader } from './format-range-header.ts';
import type { HttpPolicy } from './http-policy.ts';
import { parseRangeHeader } from './parse-range-header.ts';
import type { ByteRange, RangeSpec, RequestFacts } from './types.ts';

/**
 * The largest object S3 stores is 5 TiB (S3 User Guide). Range positions sent to S3 stay below it: S3 answers
 * a Range it does not accept with 200 and the WHOLE object, which must never be streamed by mistake.
 */
export const MAX_OBJECT_BYTES = 5 * 1024 ** 4;

export type ReadPlan = { readonly op: 'head' } | { readonly op: 'get'; readonly range?: string };

/**
 * What to ask S3 first, so that a plain GET or a single-range GET costs exactly ONE S3 request: the response
 * metadata (size, ETag, Last-Modified...) arrives with the bytes that planResponse will most likely send.
 *
 * - HEAD -> HeadObject.
 * - GET without Range, or with one planResponse ignores (invalid, other unit, too many specs) -> whole GetObject.
 * - GET with exactly one spec -> GetObject with that one range, rewritten into numbers S3 accepts:
 *   `a-b` -> `a-min(b, 5 TiB - 1)`; `-n` -> `-min(n, 5 TiB)`; `a-` -> `a-(a + openRangeCapBytes - 1)` for a
 *   client that follows a short 206 (the capped answer planResponse gives, see followsShortRanges), else `a-`
 *   unchanged (the exact remainder; past the response budget planResponse redirects and the body is
 *   discarded, as for a plain GET). S3 clamps at the end of the object exactly as RFC 9110 does.
 *   A start at or past 5 TiB, or `-0`, is unsatisfiable whatever the object: HeadObject, because the
 *   preconditions still need the metadata (a 304 or 412 outranks the 416).
 * - GET with several specs -> HeadObject: multipart needs the size first; each part is then its own GetObject
 *   pinned with If-Match.
 *
 * Costs beyond one request, by design: If-Range is not evaluated here (the handler compares validators after
 * the first response and, when If-Range fails, re-reads the whole object), a multipart answer costs
 * 1 + parts requests, and a 304/412 reached through GetObject leaves a body for the handler to destroy.
 * Use sameRange to check whether the first GetObject's slice already equals the plan's range.
 */
export function planRead(request: RequestFacts, policy: Pick<HttpPolicy, 'openRangeCapBytes'>): ReadPlan {
  if (request.method !== 'GET') return { op: 'head' };
  const specs = parseRangeHeader(request.headers.range);
  if (specs === undefined) return { op: 'get' };
  const [spec] = specs;
  if (spec === undefined || specs.length !== 1) return { op: 'head' };
  const cap = followsShortRanges(request.headers['user-agent']) ? policy.openRangeCapBytes : undefined;
  const range = s3Range(spec, cap);
  return range === undefined ? { op: 'head' } : { op: 'get', range: formatRangeHeader([range]) };
}

/** `cap` undefined: an open range is read to the end of the object. */
function s3Range(spec: RangeSpec, cap: number | undefined): RangeSpec | undefined {
  switch (spec.kind) {
    case 'bounded':
      return spec.first < MAX_OBJECT_BYTES
        ? { kind: 'bounded', first: spec.first, last: Math.min(spec.last, MAX_OBJECT_BYTES - 1) }
        : undefined;
    case 'open':
      if (spec.first >= MAX_OBJECT_BYTES) return undefined;
      return cap === undefined
        ? spec
        : { kind: 'bounded', first: spec.first, last: Math.min(spec.first + cap - 1, MAX_OBJECT_BYTES - 1) };
    case 'suffix':
      return spec.length > 0 ? { kind: 'suffix', length: Math.min(spec.length, MAX_OBJECT_BYTES) } : undefined;
  }
}

/** Whether two slices are the same bytes; `null` (nothing, an empty object) equals only `null`. */
export function sameRange(a: ByteRange | null, b: ByteRange | null): boolean {
  if (a === null || b === null) return a === b;
  return a.start === b.start && a.end === b.end;
}
