import fc from 'fast-check';
import { trimOws } from '../../../lambda/http/trim-ows.ts';

describe('trimOws', () => {
  test.each([
    ['abc', 'abc'],
    ['  abc  ', 'abc'],
    ['\tabc\t', 'abc'],
    [' \t a b \t ', 'a b'],
    ['   ', ''],
    ['', ''],
    ['\u00a0abc\u00a0', '\u00a0abc\u00a0'], // NBSP is not OWS
    ['\r\nabc\r\n', '\r\nabc\r\n'], // CR LF are not OWS
  ])('%j -> %j', (input, expected) => {
    // Prepare: the input above
    // Act
    const trimmed = trimOws(input);
    // Assess
    expect(trimmed).toBe(expected);
  });

  test('property: equals the SP/HTAB-only regular-expression trim', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(' ', '\t', 'a', '\n', '\u00a0') }), (text) => {
        // Prepare
        const expected = text.replace(/^[ \t]*/, '').replace(/[ \t]*$/, '');
        // Act
        const trimmed = trimOws(text);
        // Assess
        expect(trimmed).toBe(expected);
      }),
    );
  });
});
