import fc from 'fast-check';
import { resolveRanges } from '../../../lambda/http/resolve-ranges.ts';
import type { ByteRange, RangeSpec } from '../../../lambda/http/types.ts';

const b = (first: number, last: number): RangeSpec => ({ kind: 'bounded', first, last });
const o = (first: number): RangeSpec => ({ kind: 'open', first });
const s = (length: number): RangeSpec => ({ kind: 'suffix', length });
const r = (start: number, end: number): ByteRange => ({ start, end });

describe('resolveRanges', () => {
  test.each<[string, RangeSpec[], number, ByteRange[] | 'unsatisfiable']>([
    // RFC 9110 14.1.2 examples on a 10000-byte representation
    ['bytes=0-499', [b(0, 499)], 10000, [r(0, 499)]],
    ['bytes=500-999', [b(500, 999)], 10000, [r(500, 999)]],
    ['bytes=-500', [s(500)], 10000, [r(9500, 9999)]],
    ['bytes=9500-', [o(9500)], 10000, [r(9500, 9999)]],
    ['bytes=0-0,-1', [b(0, 0), s(1)], 10000, [r(0, 0), r(9999, 9999)]],
    [
      'bytes=0-999,4500-5499,-1000',
      [b(0, 999), b(4500, 5499), s(1000)],
      10000,
      [r(0, 999), r(4500, 5499), r(9000, 9999)],
    ],
    // players
    ['Safari probe bytes=0-1', [b(0, 1)], 10000, [r(0, 1)]],
    ['Chrome bytes=0-', [o(0)], 10000, [r(0, 9999)]],
    // clamping and edges
    ['last-pos past the end clamps', [b(9000, 20000)], 10000, [r(9000, 9999)]],
    ['last-pos exactly the end', [b(0, 9999)], 10000, [r(0, 9999)]],
    ['huge last-pos clamps', [b(0, Number.MAX_SAFE_INTEGER)], 10000, [r(0, 9999)]],
    ['first-pos at the end is unsatisfiable', [b(10000, 10001)], 10000, 'unsatisfiable'],
    ['first-pos past the end is unsatisfiable', [o(20000)], 10000, 'unsatisfiable'],
    ['open at the last byte', [o(9999)], 10000, [r(9999, 9999)]],
    ['open at the end is unsatisfiable', [o(10000)], 10000, 'unsatisfiable'],
    ['suffix longer than the representation selects all', [s(20000)], 10000, [r(0, 9999)]],
    ['suffix equal to the size selects all', [s(10000)], 10000, [r(0, 9999)]],
    ['suffix 0 is unsatisfiable', [s(0)], 10000, 'unsatisfiable'],
    ['unsatisfiable specs are dropped', [o(20000), b(5, 6), s(0)], 10000, [r(5, 6)]],
    ['request order is kept', [b(100, 199), b(0, 9)], 10000, [r(100, 199), r(0, 9)]],
    ['one-byte object, bytes=0-0', [b(0, 0)], 1, [r(0, 0)]],
    ['one-byte object, bytes=-5', [s(5)], 1, [r(0, 0)]],
    ['one-byte object, bytes=1-', [o(1)], 1, 'unsatisfiable'],
    // zero-length representation
    ['empty object, positive suffix selects the empty whole', [s(1)], 0, []],
    ['empty object, suffix among others', [b(0, 5), s(3)], 0, []],
    ['empty object, bytes=0-', [o(0)], 0, 'unsatisfiable'],
    ['empty object, bytes=0-0', [b(0, 0)], 0, 'unsatisfiable'],
    ['empty object, bytes=-0', [s(0)], 0, 'unsatisfiable'],
  ])('%s on %#', (_name, specs, size, expected) => {
    // Prepare: the specs above
    // Act
    const resolved = resolveRanges(specs, size);
    // Assess
    expect(resolved).toEqual(expected);
  });

  test.each([-1, 1.5, Number.NaN, 2 ** 60])('refuses size %p', (size) => {
    // Prepare / Act
    const act = (): unknown => resolveRanges([o(0)], size);
    // Assess
    expect(act).toThrow(RangeError);
  });

  const size = fc.integer({ min: 0, max: 2 ** 40 });
  const pos = fc.oneof(fc.integer({ min: 0, max: 2 ** 41 }), fc.constant(Number.MAX_SAFE_INTEGER));
  const spec: fc.Arbitrary<RangeSpec> = fc.oneof(
    fc.tuple(pos, pos).map(([x, y]) => b(Math.min(x, y), Math.max(x, y))),
    pos.map(o),
    pos.map(s),
  );

  test('property: resolved ranges lie within [0, size-1] and start <= end', () => {
    fc.assert(
      fc.property(fc.array(spec, { minLength: 1, maxLength: 20 }), size, (specs, n) => {
        // Prepare: random specs and size
        // Act
        const resolved = resolveRanges(specs, n);
        // Assess
        if (resolved === 'unsatisfiable') return;
        if (n === 0) {
          expect(resolved).toEqual([]);
          return;
        }
        expect(resolved.length).toBeGreaterThan(0);
        for (const range of resolved) {
          expect(range.start).toBeGreaterThanOrEqual(0);
          expect(range.start).toBeLessThanOrEqual(range.end);
          expect(range.end).toBeLessThanOrEqual(n - 1);
        }
      }),
    );
  });

  test('property: unsatisfiable exactly when no spec can select a byte', () => {
    fc.assert(
      fc.property(fc.array(spec, { minLength: 1, maxLength: 20 }), size, (specs, n) => {
        // Prepare
        const satisfiable = (one: RangeSpec): boolean =>
          one.kind === 'suffix' ? one.length > 0 : n > 0 && one.first < n;
        // Act
        const resolved = resolveRanges(specs, n);
        // Assess
        expect(resolved === 'unsatisfiable').toBe(!specs.some(satisfiable));
        if (resolved !== 'unsatisfiable' && n > 0) expect(resolved).toHaveLength(specs.filter(satisfiable).length);
      }),
    );
  });
});
