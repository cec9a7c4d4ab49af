import type { RangeSpec } from './types.ts';

/**
 * Serialize range specs as a Range header field value (RFC 9110 14.1.1), e.g. `bytes=0-499,-500`.
 * The inverse of parseRangeHeader for specs it can return; used for the single range asked of S3.
 */
export function formatRangeHeader(specs: readonly RangeSpec[]): string {
  if (specs.length === 0) throw new RangeError('a range-set needs at least one range-spec');
  return `bytes=${specs.map(formatRangeSpec).join(',')}`;
}

function formatRangeSpec(spec: RangeSpec): string {
  const numbers = spec.kind === 'bounded' ? [spec.first, spec.last] : [spec.kind === 'open' ? spec.first : spec.length];
  if (!numbers.every((n) => Number.isSafeInteger(n) && n >= 0)) {
    throw new RangeError(`range-spec positions must be non-negative integers: ${JSON.stringify(spec)}`);
  }
  if (spec.kind === 'bounded' && spec.first > spec.last) {
    throw new RangeError(`range-spec first-pos ${spec.first} is past last-pos ${spec.last}`);
  }
  switch (spec.kind) {
    case 'bounded':
      return `${spec.first}-${spec.last}`;
    case 'open':
      return `${spec.first}-`;
    case 'suffix':
      return `-${spec.length}`;
  }
}
