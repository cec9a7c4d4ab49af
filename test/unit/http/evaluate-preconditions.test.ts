import fc from 'fast-check';
import { evaluatePreconditions } from '../../../lambda/http/evaluate-preconditions.ts';
import type { ObjectFacts, RequestFacts } from '../../../lambda/http/types.ts';

// Last-Modified has a sub-second part, as S3's may: HTTP-dates compare at one-second resolution.
const OBJECT: ObjectFacts = { size: 100, etag: '"abc"', lastModified: new Date(Date.UTC(2024, 0, 1, 12, 0, 0, 500)) };
const NO_ETAG: ObjectFacts = { size: 100, lastModified: OBJECT.lastModified as Date };
const NO_DATE: ObjectFacts = { size: 100, etag: '"abc"' };
const SAME = 'Mon, 01 Jan 2024 12:00:00 GMT';
const EARLIER = 'Mon, 01 Jan 2024 11:59:59 GMT';
const LATER = 'Mon, 01 Jan 2024 12:00:01 GMT';

const request = (headers: Record<string, string>, method = 'GET'): RequestFacts => ({ method, headers, query: {} });

describe('evaluatePreconditions (RFC 9110 13.2.2)', () => {
  test.each<[string, Record<string, string>, ObjectFacts, 'proceed' | 304 | 412, string?]>([
    ['no conditional headers', {}, OBJECT, 'proceed'],
    // step 1: If-Match, strong comparison
    ['If-Match same tag', { 'if-match': '"abc"' }, OBJECT, 'proceed'],
    ['If-Match weak tag never matches (strong comparison)', { 'if-match': 'W/"abc"' }, OBJECT, 412],
    ['If-Match other tag', { 'if-match': '"xyz"' }, OBJECT, 412],
    ['If-Match list containing the tag', { 'if-match': '"xyz", "abc"' }, OBJECT, 'proceed'],
    ['If-Match *', { 'if-match': '*' }, OBJECT, 'proceed'],
    ['If-Match * without a stored ETag', { 'if-match': '*' }, NO_ETAG, 'proceed'],
    ['If-Match tag without a stored ETag', { 'if-match': '"abc"' }, NO_ETAG, 412],
    ['If-Match malformed matches nothing', { 'if-match': 'abc' }, OBJECT, 412],
    ['If-Match empty value matches nothing', { 'if-match': '' }, OBJECT, 412],
    ['If-Match against a bare stored ETag', { 'if-match': '"abc"' }, { ...OBJECT, etag: 'abc' }, 'proceed'],
    [
      'If-Match fails although If-Unmodified-Since holds',
      { 'if-match': '"xyz"', 'if-unmodified-since': LATER },
      OBJECT,
      412,
    ],
    [
      'If-Match holds: If-Unmodified-Since is ignored',
      { 'if-match': '"abc"', 'if-unmodified-since': EARLIER },
      OBJECT,
      'proceed',
    ],
    // step 2: If-Unmodified-Since
    ['If-Unmodified-Since same second (ms ignored)', { 'if-unmodified-since': SAME }, OBJECT, 'proceed'],
    ['If-Unmodified-Since later', { 'if-unmodified-since': LATER }, OBJECT, 'proceed'],
    ['If-Unmodified-Since earlier: modified since', { 'if-unmodified-since': EARLIER }, OBJECT, 412],
    ['If-Unmodified-Since invalid date is ignored', { 'if-unmodified-since': 'yesterday' }, OBJECT, 'proceed'],
    [
      'If-Unmodified-Since list of dates is ignored',
      { 'if-unmodified-since': `${EARLIER}, ${EARLIER}` },
      OBJECT,
      'proceed',
    ],
    ['If-Unmodified-Since without Last-Modified is ignored', { 'if-unmodified-since': EARLIER }, NO_DATE, 'proceed'],
    ['If-Unmodified-Since in rfc850 form', { 'if-unmodified-since': 'Monday, 01-Jan-24 11:59:59 GMT' }, OBJECT, 412],
    // step 3: If-None-Match, weak comparison
    ['If-None-Match same tag', { 'if-none-match': '"abc"' }, OBJECT, 304],
    ['If-None-Match weak form matches (weak comparison)', { 'if-none-match': 'W/"abc"' }, OBJECT, 304],
    ['If-None-Match other tag', { 'if-none-match': '"xyz"' }, OBJECT, 'proceed'],
    ['If-None-Match list containing the tag', { 'if-none-match': '"xyz", W/"abc"' }, OBJECT, 304],
    ['If-None-Match *', { 'if-none-match': '*' }, OBJECT, 304],
    ['If-None-Match * without a stored ETag', { 'if-none-match': '*' }, NO_ETAG, 304],
    ['If-None-Match tag without a stored ETag', { 'if-none-match': '"abc"' }, NO_ETAG, 'proceed'],
    ['If-None-Match malformed matches nothing', { 'if-none-match': 'abc' }, OBJECT, 'proceed'],
    ['If-None-Match on HEAD', { 'if-none-match': '"abc"' }, OBJECT, 304, 'HEAD'],
    ['If-None-Match on another method', { 'if-none-match': '"abc"' }, OBJECT, 412, 'DELETE'],
    [
      'If-None-Match present: If-Modified-Since is ignored',
      { 'if-none-match': '"xyz"', 'if-modified-since': LATER },
      OBJECT,
      'proceed',
    ],
    // step 4: If-Modified-Since, GET and HEAD only
    ['If-Modified-Since same second (ms ignored)', { 'if-modified-since': SAME }, OBJECT, 304],
    ['If-Modified-Since later', { 'if-modified-since': LATER }, OBJECT, 304],
    ['If-Modified-Since earlier: modified since', { 'if-modified-since': EARLIER }, OBJECT, 'proceed'],
    [
      'If-Modified-Since invalid date is ignored',
      { 'if-modified-since': 'Mon, 01 Jan 2024 12:00:00 UTC' },
      OBJECT,
      'proceed',
    ],
    ['If-Modified-Since without Last-Modified is ignored', { 'if-modified-since': LATER }, NO_DATE, 'proceed'],
    ['If-Modified-Since on HEAD', { 'if-modified-since': SAME }, OBJECT, 304, 'HEAD'],
    ['If-Modified-Since on another method is ignored', { 'if-modified-since': SAME }, OBJECT, 'proceed', 'POST'],
    ['If-Modified-Since in asctime form', { 'if-modified-since': 'Mon Jan  1 12:00:00 2024' }, OBJECT, 304],
    // order between steps
    ['If-Match fails before If-None-Match matches', { 'if-match': '"xyz"', 'if-none-match': '"abc"' }, OBJECT, 412],
    [
      'If-Unmodified-Since fails before If-None-Match matches',
      { 'if-unmodified-since': EARLIER, 'if-none-match': '"abc"' },
      OBJECT,
      412,
    ],
    ['If-Match holds, then If-None-Match matches', { 'if-match': '"abc"', 'if-none-match': '"abc"' }, OBJECT, 304],
    [
      'If-Unmodified-Since holds, then If-Modified-Since',
      { 'if-unmodified-since': LATER, 'if-modified-since': LATER },
      OBJECT,
      304,
    ],
  ])('%s', (_name, headers, object, expected, method = 'GET') => {
    // Prepare
    const facts = request(headers, method);
    // Act
    const outcome = evaluatePreconditions(facts, object);
    // Assess
    expect(outcome).toBe(expected);
  });

  test('property: any header values give one of the three outcomes and never throw', () => {
    const value = fc.option(
      fc.oneof(fc.string(), fc.constantFrom('*', '"abc"', 'W/"abc"', '"xyz"', SAME, EARLIER, LATER, '')),
      { nil: undefined },
    );
    fc.assert(
      fc.property(
        fc.record({
          'if-match': value,
          'if-none-match': value,
          'if-modified-since': value,
          'if-unmodified-since': value,
        }),
        fc.constantFrom('GET', 'HEAD', 'POST'),
        (headers, method) => {
          // Prepare
          const facts: RequestFacts = { method, headers, query: {} };
          // Act
          const outcome = evaluatePreconditions(facts, OBJECT);
          // Assess
          expect(['proceed', 304, 412]).toContain(outcome);
          if (outcome === 304) expect(['GET', 'HEAD']).toContain(method);
        },
      ),
    );
  });
});
