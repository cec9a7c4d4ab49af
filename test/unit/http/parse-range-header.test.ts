import fc from 'fast-check';
import { formatRangeHeader } from '../../../lambda/http/format-range-header.ts';
import { DEFAULT_MAX_RANGE_SPECS, parseRangeHeader } from '../../../lambda/http/parse-range-header.ts';
import type { RangeSpec } from '../../../lambda/http/types.ts';

const MAX = Number.MAX_SAFE_INTEGER;
const b = (first: number, last: number): RangeSpec => ({ kind: 'bounded', first, last });
const o = (first: number): RangeSpec => ({ kind: 'open', first });
const s = (length: number): RangeSpec => ({ kind: 'suffix', length });

describe('parseRangeHeader', () => {
  test.each<[string, string, RangeSpec[]]>([
    // RFC 9110 14.1.2 examples
    ['first 500 bytes', 'bytes=0-499', [b(0, 499)]],
    ['second 500 bytes', 'bytes=500-999', [b(500, 999)]],
    ['final 500 bytes (suffix)', 'bytes=-500', [s(500)]],
    ['final bytes from 9500 (open)', 'bytes=9500-', [o(9500)]],
    ['first and last byte', 'bytes=0-0,-1', [b(0, 0), s(1)]],
    ['three ranges', 'bytes=0-999,4500-5499,-1000', [b(0, 999), b(4500, 5499), s(1000)]],
    // players
    ['Safari/AVFoundation probe', 'bytes=0-1', [b(0, 1)]],
    ['Chrome/Firefox open range', 'bytes=0-', [o(0)]],
    // unit is case-insensitive (RFC 9110 14.1)
    ['upper-case unit', 'BYTES=0-1', [b(0, 1)]],
    ['mixed-case unit', 'Bytes=0-1', [b(0, 1)]],
    // OWS and empty list elements (RFC 9110 5.6.1.2)
    ['OWS around comma', 'bytes=0-1 , 3-4', [b(0, 1), b(3, 4)]],
    ['HTAB around comma', 'bytes=0-1\t,\t3-4', [b(0, 1), b(3, 4)]],
    ['OWS after =', 'bytes= 0-1', [b(0, 1)]],
    ['field OWS', '  bytes=0-1 \t', [b(0, 1)]],
    ['leading empty element', 'bytes=,0-1', [b(0, 1)]],
    ['trailing empty element', 'bytes=0-1,', [b(0, 1)]],
    ['inner empty elements', 'bytes=0-1,, ,2-3', [b(0, 1), b(2, 3)]],
    // numbers
    ['leading zeros', 'bytes=000-0001', [b(0, 1)]],
    ['single byte', 'bytes=5-5', [b(5, 5)]],
    ['zero suffix is syntactically valid', 'bytes=-0', [s(0)]],
    ['overlapping specs are kept as sent', 'bytes=0-5,3-8', [b(0, 5), b(3, 8)]],
    ['order is kept', 'bytes=10-20,0-5', [b(10, 20), b(0, 5)]],
    ['MAX_SAFE_INTEGER exactly', 'bytes=9007199254740991-', [o(MAX)]],
    ['just below MAX_SAFE_INTEGER', 'bytes=9007199254740990-', [o(9007199254740990)]],
    ['2^53 saturates', 'bytes=9007199254740992-', [o(MAX)]],
    ['huge last-pos saturates', 'bytes=0-99999999999999999999', [b(0, MAX)]],
    ['huge pair compared exactly, then saturated', 'bytes=99999999999999999998-99999999999999999999', [b(MAX, MAX)]],
    ['huge suffix saturates', 'bytes=-123456789012345678901234567890', [s(MAX)]],
    ['long run of leading zeros', `bytes=${'0'.repeat(40)}1-2`, [b(1, 2)]],
  ])('%s: %j', (_name, header, expected) => {
    // Prepare: the header above
    // Act
    const specs = parseRangeHeader(header);
    // Assess
    expect(specs).toEqual(expected);
  });

  test.each<[string, string | undefined]>([
    ['absent', undefined],
    ['empty', ''],
    ['unit only', 'bytes'],
    ['no specs', 'bytes='],
    ['only a dash', 'bytes=-'],
    ['only commas', 'bytes=,'],
    ['only empty elements', 'bytes= , ,'],
    ['first > last', 'bytes=5-1'],
    ['first > last by one', 'bytes=1-0'],
    ['huge first > huge last (exact comparison)', 'bytes=99999999999999999999-99999999999999999998'],
    ['first > last only beyond 2^53', 'bytes=9007199254740993-9007199254740992'],
    ['one bad spec spoils the header', 'bytes=0-1,5-1'],
    ['plus sign', 'bytes=+1-2'],
    ['plus in suffix', 'bytes=-+1'],
    ['negative last', 'bytes=1--2'],
    ['double dash', 'bytes=--1'],
    ['suffix with last', 'bytes=-1-2'],
    ['three parts', 'bytes=1-2-3'],
    ['space inside number', 'bytes=1 0-20'],
    ['space after dash', 'bytes=1- 2'],
    ['space before dash', 'bytes=1 -2'],
    ['hex', 'bytes=0x10-0x20'],
    ['exponent', 'bytes=1e3-2e3'],
    ['decimal point', 'bytes=1.5-2'],
    ['semicolon separator', 'bytes=0-1;2-3'],
    ['junk element', 'bytes=0-1,x'],
    ['letters', 'bytes=abc'],
    ['repeated Range fields joined by a proxy', 'bytes=0-1, bytes=2-3'],
    ['unknown unit', 'items=0-1'],
    ['unit prefix of bytes', 'byte=0-1'],
    ['space before =', 'bytes =0-1'],
    ['missing unit', '=0-1'],
    ['missing =', 'bytes0-1'],
    ['full-width digits', 'bytes=\uff10-\uff11'],
    ['Arabic-Indic digits', 'bytes=\u0660-\u0661'],
    ['NBSP is not OWS', 'bytes=\u00a00-1'],
    ['CR LF inside', 'bytes=0-1\r\n,2-3'],
  ])('ignored (undefined): %s', (_name, header) => {
    // Prepare: the header above
    // Act
    const specs = parseRangeHeader(header);
    // Assess
    expect(specs).toBeUndefined();
  });

  test('accepts exactly the default maximum of specs and ignores one more', () => {
    // Prepare
    const specs = (n: number): string =>
      `bytes=${Array.from({ length: n }, (_, i) => `${i * 10}-${i * 10 + 1}`).join(',')}`;
    // Act
    const atLimit = parseRangeHeader(specs(DEFAULT_MAX_RANGE_SPECS));
    const overLimit = parseRangeHeader(specs(DEFAULT_MAX_RANGE_SPECS + 1));
    // Assess
    expect(DEFAULT_MAX_RANGE_SPECS).toBe(100);
    expect(atLimit).toHaveLength(100);
    expect(overLimit).toBeUndefined();
  });

  test('maxSpecs counts specs, not empty list elements', () => {
    // Prepare
    const header = 'bytes=0-1,,,,2-3,';
    // Act
    const two = parseRangeHeader(header, 2);
    const one = parseRangeHeader(header, 1);
    // Assess
    expect(two).toEqual([b(0, 1), b(2, 3)]);
    expect(one).toBeUndefined();
  });

  test('thousands of tiny ranges are ignored', () => {
    // Prepare
    const header = `bytes=${Array.from({ length: 5000 }, (_, i) => `${i}-${i}`).join(',')}`;
    // Act
    const specs = parseRangeHeader(header);
    // Assess
    expect(specs).toBeUndefined();
  });

  test.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('maxSpecs %p is refused loudly', (maxSpecs) => {
    // Prepare / Act
    const act = (): unknown => parseRangeHeader('bytes=0-1', maxSpecs);
    // Assess
    expect(act).toThrow(RangeError);
  });

  const safe = fc.integer({ min: 0, max: MAX });
  const spec: fc.Arbitrary<RangeSpec> = fc.oneof(
    fc.tuple(safe, safe).map(([x, y]) => b(Math.min(x, y), Math.max(x, y))),
    safe.map(o),
    safe.map(s),
  );

  test('property: parse(format(specs)) round-trips', () => {
    fc.assert(
      fc.property(fc.array(spec, { minLength: 1, maxLength: 100 }), (specs) => {
        // Prepare
        const header = formatRangeHeader(specs);
        // Act
        const parsed = parseRangeHeader(header);
        // Assess
        expect(parsed).toEqual(specs);
      }),
    );
  });

  test('property: OWS, empty elements and unit case do not change the result', () => {
    const ows = fc.constantFrom('', ' ', '\t', '  ', ' \t');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(spec, ows, ows, fc.boolean()), { minLength: 1, maxLength: 30 }),
        fc.constantFrom('bytes', 'BYTES', 'Bytes', 'bYtEs'),
        (items, unit) => {
          // Prepare
          const elements = items.map(([one, before, after, emptyToo]) => {
            const text = `${before}${formatRangeHeader([one]).slice('bytes='.length)}${after}`;
            return emptyToo ? `${text},${before}` : text;
          });
          const header = `${unit}=${elements.join(',')}`;
          // Act
          const parsed = parseRangeHeader(header);
          // Assess
          expect(parsed).toEqual(items.map(([one]) => one));
        },
      ),
    );
  });

  test('property: numbers of any size compare exactly and saturate', () => {
    const big = fc.bigInt({ min: 0n, max: 10n ** 30n });
    fc.assert(
      fc.property(big, big, (first, last) => {
        // Prepare
        const header = `bytes=${first}-${last}`;
        const saturate = (n: bigint): number => (n > BigInt(MAX) ? MAX : Number(n));
        // Act
        const parsed = parseRangeHeader(header);
        // Assess
        if (first > last) expect(parsed).toBeUndefined();
        else expect(parsed).toEqual([b(saturate(first), saturate(last))]);
      }),
    );
  });

  test('property: junk never throws and yields only well-formed specs', () => {
    const junk = fc.oneof(
      fc.string(),
      fc
        .string({ unit: fc.constantFrom('0', '1', '9', '-', ',', ' ', '\t', '=', 'b', '+', 'x') })
        .map((t) => `bytes=${t}`),
      fc.string({ unit: 'binary' }),
    );
    fc.assert(
      fc.property(junk, (header) => {
        // Prepare: the junk header
        // Act
        const parsed = parseRangeHeader(header);
        // Assess
        if (parsed === undefined) return;
        expect(parsed.length).toBeGreaterThan(0);
        expect(parsed.length).toBeLessThanOrEqual(DEFAULT_MAX_RANGE_SPECS);
        for (const one of parsed) {
          const numbers =
            one.kind === 'bounded' ? [one.first, one.last] : [one.kind === 'open' ? one.first : one.length];
          for (const n of numbers) expect(Number.isSafeInteger(n) && n >= 0).toBe(true);
          if (one.kind === 'bounded') expect(one.first).toBeLessThanOrEqual(one.last);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
