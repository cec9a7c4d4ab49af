import { strongMatch, weakMatch } from '../../../lambda/http/compare-etags.ts';
import { formatEntityTag, parseEntityTag } from '../../../lambda/http/entity-tag.ts';
import * as etag from '../../../lambda/http/etag.ts';
import { parseEtagList } from '../../../lambda/http/parse-etag-list.ts';
import { storedEtag } from '../../../lambda/http/stored-etag.ts';

describe('etag.ts (one import for the entity-tag functions)', () => {
  test('re-exports the same functions', () => {
    // Prepare
    const expected = { formatEntityTag, parseEntityTag, parseEtagList, storedEtag, strongMatch, weakMatch };
    // Act
    const exported = { ...etag };
    // Assess
    expect(exported).toEqual(expected);
  });
});
