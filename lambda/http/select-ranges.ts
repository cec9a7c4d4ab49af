import { coalesceRanges } from './coalesce-ranges.ts';
import { evaluateIfRange } from './evaluate-if-range.ts';
import { followsShortRanges } from './follows-short-ranges.ts';
import type { HttpPolicy } from './http-policy.ts';
import { parseRangeHeader } from './parse-range-header.ts';
import { resolveRanges } from './resolve-ranges.ts';
import type { ByteRange, ObjectFacts, RequestFacts } from './types.ts';

export type RangeSelection =
  | { readonly kind: 'whole' }
  | { readonly kind: 'unsatisfiable' }
  /** One or more disjoint, non-adjacent ranges in ascending order. */
  | { readonly kind: 'ranges'; readonly ranges: readonly ByteRange[] };

/**
 * Decide which bytes of the object a request selects (RFC 9110 14.2), after preconditions passed:
 *
 * - Range is honoured for GET only: for any other method range handling is not defined and the field MUST be
 *   ignored (RFC 9110 14.2), so HEAD answers like a plain GET.
 * - If-Range false (RFC 9110 13.1.5), an absent, unknown-unit or invalid Range -> whole.
 * - No satisfiable spec -> unsatisfiable (416). On an empty object a positive suffix selects the whole,
 *   empty, representation -> whole.
 * - A single open-ended spec `bytes=N-` from a client known to read on after a short 206 (browsers,
 *   AVFoundation: see followsShortRanges) is cut to `openRangeCapBytes`; the Content-Range says exactly what
 *   was sent (RFC 9110 15.3.7). Any other client (ffmpeg, VLC, curl, no User-Agent...) gets the exact
 *   remainder: ffmpeg takes the end of a short 206 as the end of the file. Bounded and suffix specs are
 *   honoured exactly, only clamped at the end of the object (hls.js and DASH players depend on that).
 * - Several ranges: coalesced (overlapping and adjacent merged, ascending). When more than `maxRangeParts`
 *   remain, or the requested ranges add up (overlaps counted) to at least the whole object, the Range header
 *   is ignored -> whole (RFC 9110 14.2 allows ignoring many or overlapping ranges).
 */
export function selectRanges(request: RequestFacts, object: ObjectFacts, policy: HttpPolicy): RangeSelection {
  if (request.method !== 'GET') return { kind: 'whole' };
  const header = request.headers.range;
  if (header === undefined || !evaluateIfRange(request.headers['if-range'], object)) return { kind: 'whole' };
  const specs = parseRangeHeader(header);
  if (specs === undefined) return { kind: 'whole' };
  const resolved = resolveRanges(specs, object.size);
  if (resolved === 'unsatisfiable') return { kind: 'unsatisfiable' };
  if (resolved.length === 0) return { kind: 'whole' };

  const ranges = coalesceRanges(resolved);
  const [only] = ranges;
  if (ranges.length === 1 && only !== undefined) {
    const [spec] = specs;
    if (specs.length === 1 && spec?.kind === 'open' && followsShortRanges(request.headers['user-agent'])) {
      return {
        kind: 'ranges',
        ranges: [{ start: only.start, end: Math.min(only.end, only.start + policy.openRangeCapBytes - 1) }],
      };
    }
    return { kind: 'ranges', ranges };
  }
  const requested = resolved.reduce((sum, range) => sum + (range.end - range.start + 1), 0);
  if (ranges.length > policy.maxRangeParts || requested >= object.size) return { kind: 'whole' };
  return { kind: 'ranges', ranges };
}
