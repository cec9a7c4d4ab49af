import { formatRangeHeader } from '../../../lambda/http/format-range-header.ts';
import type { RangeSpec } from '../../../lambda/http/types.ts';

describe('formatRangeHeader', () => {
  test.each<[RangeSpec[], string]>([
    [[{ kind: 'bounded', first: 0, last: 499 }], 'bytes=0-499'],
    [[{ kind: 'open', first: 9500 }], 'bytes=9500-'],
    [[{ kind: 'suffix', length: 500 }], 'bytes=-500'],
    [
      [
        { kind: 'bounded', first: 0, last: 0 },
        { kind: 'suffix', length: 1 },
      ],
      'bytes=0-0,-1',
    ],
  ])('%j -> %s', (specs, expected) => {
    // Prepare: the specs above
    // Act
    const header = formatRangeHeader(specs);
    // Assess
    expect(header).toBe(expected);
  });

  test.each<[string, RangeSpec[]]>([
    ['no spec', []],
    ['negative', [{ kind: 'open', first: -1 }]],
    ['fraction', [{ kind: 'suffix', length: 1.5 }]],
    ['NaN', [{ kind: 'bounded', first: 0, last: Number.NaN }]],
    ['first > last', [{ kind: 'bounded', first: 2, last: 1 }]],
    ['unsafe integer', [{ kind: 'open', first: 2 ** 60 }]],
  ])('refuses %s', (_name, specs) => {
    // Prepare / Act
    const act = (): string => formatRangeHeader(specs);
    // Assess
    expect(act).toThrow(RangeError);
  });
});
