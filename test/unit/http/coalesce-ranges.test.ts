import fc from 'fast-check';
import { coalesceRanges } from '../../../lambda/http/coalesce-ranges.ts';
import type { ByteRange } from '../../../lambda/http/types.ts';

const r = (start: number, end: number): ByteRange => ({ start, end });

describe('coalesceRanges', () => {
  test.each<[string, ByteRange[], ByteRange[]]>([
    ['nothing', [], []],
    ['one range', [r(5, 9)], [r(5, 9)]],
    ['disjoint stay apart', [r(0, 0), r(9999, 9999)], [r(0, 0), r(9999, 9999)]],
    ['sorted ascending', [r(100, 199), r(0, 9)], [r(0, 9), r(100, 199)]],
    ['overlapping merge', [r(0, 5), r(3, 8)], [r(0, 8)]],
    ['adjacent merge', [r(0, 4), r(5, 9)], [r(0, 9)]],
    ['gap of one byte stays apart', [r(0, 4), r(6, 9)], [r(0, 4), r(6, 9)]],
    ['contained', [r(0, 99), r(10, 20)], [r(0, 99)]],
    ['duplicates', [r(3, 4), r(3, 4), r(3, 4)], [r(3, 4)]],
    ['chain through adjacency', [r(10, 19), r(0, 9), r(20, 29)], [r(0, 29)]],
    [
      'RFC example 0-999,4500-5499,9000-9999',
      [r(0, 999), r(4500, 5499), r(9000, 9999)],
      [r(0, 999), r(4500, 5499), r(9000, 9999)],
    ],
  ])('%s', (_name, input, expected) => {
    // Prepare: the ranges above
    // Act
    const merged = coalesceRanges(input);
    // Assess
    expect(merged).toEqual(expected);
  });

  test('does not modify its input', () => {
    // Prepare
    const input = [r(5, 9), r(0, 5)];
    // Act
    coalesceRanges(input);
    // Assess
    expect(input).toEqual([r(5, 9), r(0, 5)]);
  });

  const range = fc
    .tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 }))
    .map(([x, y]) => r(Math.min(x, y), Math.max(x, y)));

  test('property: sorted, disjoint, non-adjacent, and covering exactly the union', () => {
    fc.assert(
      fc.property(fc.array(range, { maxLength: 30 }), (input) => {
        // Prepare
        const union = new Set<number>();
        for (const one of input) for (let i = one.start; i <= one.end; i++) union.add(i);
        // Act
        const merged = coalesceRanges(input);
        // Assess
        const covered = new Set<number>();
        for (const [index, one] of merged.entries()) {
          expect(one.start).toBeLessThanOrEqual(one.end);
          const next = merged[index + 1];
          if (next !== undefined) expect(next.start).toBeGreaterThan(one.end + 1);
          for (let i = one.start; i <= one.end; i++) covered.add(i);
        }
        expect([...covered].sort((a, z) => a - z)).toEqual([...union].sort((a, z) => a - z));
      }),
    );
  });

  test('property: idempotent', () => {
    fc.assert(
      fc.property(fc.array(range, { maxLength: 30 }), (input) => {
        // Prepare
        const once = coalesceRanges(input);
        // Act
        const twice = coalesceRanges(once);
        // Assess
        expect(twice).toEqual(once);
      }),
    );
  });
});
