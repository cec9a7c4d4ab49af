import type { ByteRange, RangeSpec } from './types.ts';

/**
 * Resolve parsed range specs against a representation of `size` bytes (RFC 9110 14.1.1, 14.1.2).
 *
 * - `first-last`: satisfiable when first < size; a last-pos at or past the end means "up to the end", so it
 *   is clamped to size-1.
 * - `first-`: satisfiable when first < size; [first, size-1].
 * - `-n`: satisfiable when n > 0; the last n bytes, or the whole representation when n >= size.
 *
 * Unsatisfiable specs are dropped. When none is left the answer is 'unsatisfiable' (416, RFC 9110 15.5.17).
 * A zero-length representation has no bytes to select: a suffix with n > 0 is satisfiable (RFC 9110 14.1.1,
 * "if the selected representation is shorter than the specified suffix-length, the entire representation is
 * used") but selects nothing, which is reported as `[]`: send the whole, empty, representation with 200.
 * Ranges come back in request order, not sorted and not merged (see coalesceRanges).
 */
export function resolveRanges(specs: readonly RangeSpec[], size: number): ByteRange[] | 'unsatisfiable' {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new RangeError(`representation size must be a non-negative integer, got ${String(size)}`);
  }
  if (size === 0) {
    return specs.some((spec) => spec.kind === 'suffix' && spec.length > 0) ? [] : 'unsatisfiable';
  }
  const ranges: ByteRange[] = [];
  for (const spec of specs) {
    const range = resolveRange(spec, size);
    if (range !== undefined) ranges.push(range);
  }
  return ranges.length === 0 ? 'unsatisfiable' : ranges;
}

function resolveRange(spec: RangeSpec, size: number): ByteRange | undefined {
  switch (spec.kind) {
    case 'bounded':
      return spec.first < size ? { start: spec.first, end: Math.min(spec.last, size - 1) } : undefined;
    case 'open':
      return spec.first < size ? { start: spec.first, end: size - 1 } : undefined;
    case 'suffix':
      return spec.length > 0 ? { start: Math.max(0, size - spec.length), end: size - 1 } : undefined;
  }
}
