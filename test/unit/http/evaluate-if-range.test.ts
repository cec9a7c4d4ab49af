import fc from 'fast-check';
import { evaluateIfRange } from '../../../lambda/http/evaluate-if-range.ts';
import type { ObjectFacts } from '../../../lambda/http/types.ts';

const OBJECT: ObjectFacts = { size: 100, etag: '"abc"', lastModified: new Date(Date.UTC(2024, 0, 1, 12, 0, 0, 750)) };

describe('evaluateIfRange (RFC 9110 13.1.5)', () => {
  test.each<[string, string | undefined, ObjectFacts, boolean]>([
    ['absent', undefined, OBJECT, true],
    ['same strong tag', '"abc"', OBJECT, true],
    ['same tag with OWS', ' "abc" ', OBJECT, true],
    ['other tag', '"xyz"', OBJECT, false],
    ['weak tag never matches', 'W/"abc"', OBJECT, false],
    ['tag against a weak stored ETag', '"abc"', { ...OBJECT, etag: 'W/"abc"' }, false],
    ['tag without a stored ETag', '"abc"', { size: 100 }, false],
    ['tag against a bare stored ETag', '"abc"', { ...OBJECT, etag: 'abc' }, true],
    ['a list is not a validator', '"abc", "xyz"', OBJECT, false],
    ['malformed tag', '"abc', OBJECT, false],
    ['date equal to Last-Modified (second resolution)', 'Mon, 01 Jan 2024 12:00:00 GMT', OBJECT, true],
    ['date equal in rfc850 form', 'Monday, 01-Jan-24 12:00:00 GMT', OBJECT, true],
    ['date one second later is not an exact match', 'Mon, 01 Jan 2024 12:00:01 GMT', OBJECT, false],
    ['date one second earlier', 'Mon, 01 Jan 2024 11:59:59 GMT', OBJECT, false],
    ['date without a stored Last-Modified', 'Mon, 01 Jan 2024 12:00:00 GMT', { size: 100, etag: '"abc"' }, false],
    ['invalid date', 'Mon, 01 Jan 2024 12:00:00 UTC', OBJECT, false],
    ['empty value', '', OBJECT, false],
    ['junk', 'yes please', OBJECT, false],
    ['star is not a validator', '*', OBJECT, false],
  ])('%s', (_name, value, object, expected) => {
    // Prepare: the value and object above
    // Act
    const holds = evaluateIfRange(value, object);
    // Assess
    expect(holds).toBe(expected);
  });

  test('property: junk never throws and only the exact validators hold', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        // Prepare / Act
        const holds = evaluateIfRange(value, OBJECT);
        // Assess
        if (holds) expect(['"abc"', 'Mon, 01 Jan 2024 12:00:00 GMT']).toContain(value.trim());
      }),
    );
  });
});
