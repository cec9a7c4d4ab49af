import { trimOws } from './trim-ows.ts';
import type { RangeSpec } from './types.ts';

export type { RangeSpec } from './types.ts';

/**
 * A server MAY ignore a Range header with many small ranges (RFC 9110 14.2, "thousands of tiny ranges"):
 * past this many specs the header is ignored, which bounds the work one request can ask for.
 */
export const DEFAULT_MAX_RANGE_SPECS = 100;

/** `int-range` (`first-[last]`) or `suffix-range` (`-length`); `\d` without the `u` flag is ASCII 0-9 only. */
const RANGE_SPEC = /^(\d*)-(\d*)$/;

/**
 * Parse a Range header field value into its range specs, independent of any representation size.
 *
 * RFC 9110 14.1.1: `ranges-specifier = range-unit "=" range-set`, `range-set = 1#range-spec`.
 * Returns undefined when the header must be ignored (RFC 9110 14.2: the answer is then a plain 200):
 * absent, a unit other than `bytes` (compared case-insensitively, RFC 9110 14.1), invalid syntax anywhere
 * (one bad spec spoils the whole header), `first-pos > last-pos`, no spec at all, or more than `maxSpecs` specs.
 *
 * Lenient only where RFC 9110 5.6.1.2 asks recipients to be: empty list elements (`bytes=,0-1,,`) and
 * optional whitespace around each spec. Numbers of any length are compared exactly, then saturated to
 * Number.MAX_SAFE_INTEGER (RFC 9110 14.1.1 notes they may exceed any fixed-size integer).
 */
export function parseRangeHeader(
  value: string | undefined,
  maxSpecs: number = DEFAULT_MAX_RANGE_SPECS,
): RangeSpec[] | undefined {
  if (!Number.isSafeInteger(maxSpecs) || maxSpecs < 1) {
    throw new RangeError(`maxSpecs must be a positive integer, got ${String(maxSpecs)}`);
  }
  if (value === undefined) return undefined;
  // A field value excludes leading and trailing whitespace (RFC 9110 5.5).
  const field = trimOws(value);
  const equals = field.indexOf('=');
  if (equals === -1) return undefined;
  if (field.slice(0, equals).toLowerCase() !== 'bytes') return undefined;

  const specs: RangeSpec[] = [];
  for (const element of field.slice(equals + 1).split(',')) {
    const text = trimOws(element);
    if (text === '') continue; // empty list element (RFC 9110 5.6.1.2)
    const spec = parseRangeSpec(text);
    if (spec === undefined) return undefined;
    specs.push(spec);
    if (specs.length > maxSpecs) return undefined;
  }
  return specs.length === 0 ? undefined : specs;
}

function parseRangeSpec(text: string): RangeSpec | undefined {
  const match = RANGE_SPEC.exec(text);
  if (match === null) return undefined;
  const first = match[1] ?? '';
  const last = match[2] ?? '';
  if (first === '') {
    // suffix-range = "-" suffix-length; suffix-length = 1*DIGIT
    return last === '' ? undefined : { kind: 'suffix', length: saturate(last) };
  }
  if (last === '') return { kind: 'open', first: saturate(first) };
  // "A range-spec is invalid if the last-pos value is present and less than the first-pos" (RFC 9110 14.1.1).
  if (compareDigits(first, last) > 0) return undefined;
  return { kind: 'bounded', first: saturate(first), last: saturate(last) };
}

function stripLeadingZeros(digits: string): string {
  let i = 0;
  while (i < digits.length - 1 && digits[i] === '0') i++;
  return digits.slice(i);
}

/** Exact comparison of two non-negative decimal numbers of any length. */
function compareDigits(a: string, b: string): number {
  const x = stripLeadingZeros(a);
  const y = stripLeadingZeros(b);
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}

function saturate(digits: string): number {
  const x = stripLeadingZeros(digits);
  // 16 digits or fewer fit a double closely enough to compare with MAX_SAFE_INTEGER (9007199254740991).
  if (x.length > 16) return Number.MAX_SAFE_INTEGER;
  return Math.min(Number(x), Number.MAX_SAFE_INTEGER);
}
