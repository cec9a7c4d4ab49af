import type { EntityTag } from '../../../lambda/http/entity-tag.ts';
import { storedEtag } from '../../../lambda/http/stored-etag.ts';

describe('storedEtag', () => {
  test.each<[string, string | undefined, EntityTag | undefined]>([
    ['missing', undefined, undefined],
    [
      'S3 quoted tag',
      '"9b2cf535f27731c974343645a3985328"',
      { weak: false, opaque: '"9b2cf535f27731c974343645a3985328"' },
    ],
    [
      'S3 multipart tag',
      '"d41d8cd98f00b204e9800998ecf8427e-2"',
      { weak: false, opaque: '"d41d8cd98f00b204e9800998ecf8427e-2"' },
    ],
    ['a weak tag stays weak', 'W/"abc"', { weak: true, opaque: '"abc"' }],
    ['a bare tag from an emulator is quoted', '9b2cf535', { weak: false, opaque: '"9b2cf535"' }],
    ['empty', '', undefined],
    ['an embedded quote', 'ab"c', undefined],
    ['a space', 'a b', undefined],
    ['a control character', 'ab\u0000', undefined],
    ['CR LF', 'ab\r\nx', undefined],
  ])('%s', (_name, raw, expected) => {
    // Prepare: the raw value above
    // Act
    const tag = storedEtag(raw);
    // Assess
    expect(tag).toEqual(expected);
  });
});
