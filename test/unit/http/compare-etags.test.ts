import { strongMatch, weakMatch } from '../../../lambda/http/compare-etags.ts';
import { parseEntityTag } from '../../../lambda/http/entity-tag.ts';

const tag = (text: string) => {
  const parsed = parseEntityTag(text);
  if (parsed === undefined) throw new Error(`bad fixture ${text}`);
  return parsed;
};

describe('strongMatch and weakMatch', () => {
  // RFC 9110 8.8.3.2, the comparison table
  test.each([
    ['W/"1"', 'W/"1"', false, true],
    ['W/"1"', 'W/"2"', false, false],
    ['W/"1"', '"1"', false, true],
    ['"1"', '"1"', true, true],
    ['"1"', '"2"', false, false],
    ['"a"', '"A"', false, false], // opaque-tags compare character by character, case-sensitively
  ])('%s vs %s: strong %p, weak %p', (a, b, strong, weak) => {
    // Prepare
    const [x, y] = [tag(a), tag(b)];
    // Act
    const results = [strongMatch(x, y), weakMatch(x, y), strongMatch(y, x), weakMatch(y, x)];
    // Assess
    expect(results).toEqual([strong, weak, strong, weak]);
  });
});
