import fc from 'fast-check';
import { type EntityTag, formatEntityTag, parseEntityTag, readEntityTag } from '../../../lambda/http/entity-tag.ts';

describe('parseEntityTag', () => {
  test.each<[string, string, EntityTag]>([
    ['strong', '"xyzzy"', { weak: false, opaque: '"xyzzy"' }],
    ['weak', 'W/"xyzzy"', { weak: true, opaque: '"xyzzy"' }],
    ['empty opaque-tag', '""', { weak: false, opaque: '""' }],
    [
      'S3 multipart tag',
      '"9b2cf535f27731c974343645a3985328-3"',
      { weak: false, opaque: '"9b2cf535f27731c974343645a3985328-3"' },
    ],
    [
      '%x21 and %x23-7E',
      '"!#$%&\'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~"',
      { weak: false, opaque: '"!#$%&\'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~"' },
    ],
    ['obs-text', '"caf\u00e9"', { weak: false, opaque: '"caf\u00e9"' }],
    ['non-ASCII decoded from UTF-8', '"\u20ac"', { weak: false, opaque: '"\u20ac"' }],
    ['surrounding OWS', ' \t"a"\t ', { weak: false, opaque: '"a"' }],
  ])('%s: %j', (_name, value, expected) => {
    // Prepare: the value above
    // Act
    const tag = parseEntityTag(value);
    // Assess
    expect(tag).toEqual(expected);
  });

  test.each([
    ['empty', ''],
    ['unquoted', 'xyzzy'],
    ['lower-case weak prefix', 'w/"xyzzy"'],
    ['weak prefix alone', 'W/'],
    ['space after W/', 'W/ "x"'],
    ['missing closing quote', '"xyzzy'],
    ['missing opening quote', 'xyzzy"'],
    ['quote inside', '"a"b"'],
    ['space inside', '"a b"'],
    ['DEL inside', '"a\u007fb"'],
    ['control character inside', '"a\u0001b"'],
    ['two tags', '"a", "b"'],
    ['star', '*'],
    ['junk after', '"a"x'],
  ])('invalid: %s', (_name, value) => {
    // Prepare: the value above
    // Act
    const tag = parseEntityTag(value);
    // Assess
    expect(tag).toBeUndefined();
  });

  test('readEntityTag reports where the tag ends', () => {
    // Prepare
    const text = 'x W/"abc", "d"';
    // Act
    const read = readEntityTag(text, 2);
    // Assess
    expect(read).toEqual({ tag: { weak: true, opaque: '"abc"' }, next: 9 });
  });

  test('property: format then parse round-trips', () => {
    const etagc = fc.oneof(
      fc.integer({ min: 0x23, max: 0x7e }).map((c) => String.fromCharCode(c)),
      fc.constant('!'),
      fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)),
    );
    fc.assert(
      fc.property(fc.boolean(), fc.string({ unit: etagc }), (weak, inner) => {
        // Prepare
        const tag: EntityTag = { weak, opaque: `"${inner}"` };
        // Act
        const parsed = parseEntityTag(formatEntityTag(tag));
        // Assess
        expect(parsed).toEqual(tag);
      }),
    );
  });
});
