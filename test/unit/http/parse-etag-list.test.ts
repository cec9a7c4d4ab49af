import fc from 'fast-check';
import type { EntityTag } from '../../../lambda/http/entity-tag.ts';
import { parseEtagList } from '../../../lambda/http/parse-etag-list.ts';

const strong = (opaque: string): EntityTag => ({ weak: false, opaque: `"${opaque}"` });
const weak = (opaque: string): EntityTag => ({ weak: true, opaque: `"${opaque}"` });

describe('parseEtagList', () => {
  test.each<[string, string, '*' | EntityTag[]]>([
    ['star', '*', '*'],
    ['star with OWS', ' * ', '*'],
    ['one strong tag', '"xyzzy"', [strong('xyzzy')]],
    [
      'RFC 9110 13.1.1 example',
      '"xyzzy", "r2d2xxxx", "c3piozzzz"',
      [strong('xyzzy'), strong('r2d2xxxx'), strong('c3piozzzz')],
    ],
    ['weak and strong mixed', 'W/"xyzzy", "c3piozzzz"', [weak('xyzzy'), strong('c3piozzzz')]],
    ['no spaces', '"a","b"', [strong('a'), strong('b')]],
    ['HTAB around comma', '"a"\t,\t"b"', [strong('a'), strong('b')]],
    ['empty list elements', ', "a",, ,"b" ,', [strong('a'), strong('b')]],
    ['a comma inside a tag is part of it', '"a,b"', [strong('a,b')]],
    ['empty field value is the empty list', '', []],
    ['only commas is the empty list', ' , ,', []],
  ])('%s: %j', (_name, value, expected) => {
    // Prepare: the value above
    // Act
    const list = parseEtagList(value);
    // Assess
    expect(list).toEqual(expected);
  });

  test.each([
    ['unquoted tag', 'xyzzy'],
    ['one unquoted member', '"a", b'],
    ['star mixed with tags', '*, "a"'],
    ['tag then star', '"a", *'],
    ['two stars', '*, *'],
    ['missing comma', '"a" "b"'],
    ['junk after a tag', '"a"x, "b"'],
    ['unterminated', '"a", "b'],
    ['lower-case weak prefix', 'w/"a"'],
    ['control character', '"a\u0000"'],
  ])('malformed -> the empty list, which matches nothing: %s', (_name, value) => {
    // Prepare: the value above
    // Act
    const list = parseEtagList(value);
    // Assess
    expect(list).toEqual([]);
  });

  test('property: a list written with any OWS and empty elements parses to its tags', () => {
    const tag = fc
      .tuple(fc.boolean(), fc.stringMatching(/^[0-9a-f-]{0,12}$/))
      .map(([w, o]) => (w ? weak(o) : strong(o)));
    const ows = fc.constantFrom('', ' ', '\t', ' \t ');
    fc.assert(
      fc.property(fc.array(fc.tuple(tag, ows, ows, fc.boolean()), { minLength: 1, maxLength: 10 }), (items) => {
        // Prepare
        const value = items
          .map(
            ([t, before, after, extraComma]) =>
              `${before}${t.weak ? 'W/' : ''}${t.opaque}${after}${extraComma ? ',' : ''}`,
          )
          .join(',');
        // Act
        const list = parseEtagList(value);
        // Assess
        expect(list).toEqual(items.map(([t]) => t));
      }),
    );
  });

  test('property: junk never throws', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('"', 'W', '/', ',', ' ', 'a', '*', '\t', '\u0000', '\u00e9') }),
        (value) => {
          // Prepare / Act
          const list = parseEtagList(value);
          // Assess
          expect(list === '*' || Array.isArray(list)).toBe(true);
        },
      ),
    );
  });
});
