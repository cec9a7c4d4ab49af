import fc from 'fast-check';
import { matchesResource } from '../../../lambda/signed-requests/match-resource.ts';

/** An independent oracle: the pattern as an anchored regular expression. */
function oracle(pattern: string, url: string): boolean {
  const source = [...pattern]
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 's').test(url);
}

describe('matchesResource', () => {
  test.each<[string, string, boolean]>([
    ['https://d.example/a.mp4', 'https://d.example/a.mp4', true],
    ['https://d.example/a.mp4', 'https://d.example/a.mp5', false],
    ['https://d.example/a.mp4', 'https://d.example/a.mp4?x=1', false],
    ['https://d.example/a.mp4', 'https://D.example/a.mp4', false],
    ['https://d.example/hls/*', 'https://d.example/hls/', true],
    ['https://d.example/hls/*', 'https://d.example/hls/a/b/c.ts?x=1', true],
    ['https://d.example/hls/*', 'https://d.example/hlsx/a.ts', false],
    ['https://d.example/hls*', 'https://d.example/hlsx/a.ts', true],
    ['https://d.example/?.ts', 'https://d.example/a.ts', true],
    ['https://d.example/?.ts', 'https://d.example/.ts', false],
    ['https://d.example/?.ts', 'https://d.example/ab.ts', false],
    ['*', '', true],
    ['*', 'anything at all', true],
    ['*://d.example/a', 'https://d.example/a', true],
    ['http*://*/a.mp4', 'https://x.example/a.mp4', true],
    ['https://*.example/a', 'https://d.example/a', true],
    ['https://d.example/a*b', 'https://d.example/ab', true],
    ['https://d.example/a*b', 'https://d.example/a/b/c', false],
    ['', '', true],
    ['', 'x', false],
    ['**', 'x', true],
    ['*a*a*a*a*a*a*a*a*b', 'a'.repeat(3000), false],
  ])('%s vs %s -> %s', (pattern, url, expected) => {
    // Act / Assess
    expect(matchesResource(pattern, url)).toBe(expected);
  });

  test('agrees with a regular-expression oracle', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', '/', '.', '?', '*'), maxLength: 10 });
    fc.assert(
      fc.property(text, fc.string({ unit: fc.constantFrom('a', 'b', '/', '.', '?', '*'), maxLength: 12 }), (p, u) => {
        expect(matchesResource(p, u)).toBe(oracle(p, u));
      }),
      { numRuns: 2000 },
    );
  });
});
