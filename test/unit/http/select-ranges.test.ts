import type { HttpPolicy } from '../../../lambda/http/http-policy.ts';
import { type RangeSelection, selectRanges } from '../../../lambda/http/select-ranges.ts';
import type { ByteRange, ObjectFacts } from '../../../lambda/http/types.ts';
import { byUserAgent, POLICY, userAgentHeader } from '../../support/http-policy-fixture.ts';
import { BROWSER_USER_AGENT } from '../../support/user-agents.ts';

const OBJECT: ObjectFacts = { size: 10000, etag: '"abc"', lastModified: new Date(Date.UTC(2024, 0, 1, 12)) };
const r = (start: number, end: number): ByteRange => ({ start, end });
const ranges = (...list: ByteRange[]): RangeSelection => ({ kind: 'ranges', ranges: list });
const WHOLE: RangeSelection = { kind: 'whole' };
const UNSATISFIABLE: RangeSelection = { kind: 'unsatisfiable' };
const BROWSER = { 'user-agent': BROWSER_USER_AGENT };

describe('selectRanges', () => {
  test.each<[string, string, Record<string, string>, Partial<HttpPolicy>, ObjectFacts, RangeSelection]>([
    ['no Range', 'GET', {}, {}, OBJECT, WHOLE],
    ['HEAD ignores Range (RFC 9110 14.2)', 'HEAD', { range: 'bytes=0-1' }, {}, OBJECT, WHOLE],
    ['other methods ignore Range', 'POST', { range: 'bytes=0-1' }, {}, OBJECT, WHOLE],
    ['invalid Range is ignored', 'GET', { range: 'bytes=5-1' }, {}, OBJECT, WHOLE],
    ['unknown unit is ignored', 'GET', { range: 'items=0-1' }, {}, OBJECT, WHOLE],
    // RFC 9110 14.1.2 examples on 10000 bytes
    ['bytes=0-499', 'GET', { range: 'bytes=0-499' }, {}, OBJECT, ranges(r(0, 499))],
    ['bytes=500-999', 'GET', { range: 'bytes=500-999' }, {}, OBJECT, ranges(r(500, 999))],
    ['bytes=-500', 'GET', { range: 'bytes=-500' }, {}, OBJECT, ranges(r(9500, 9999))],
    ['bytes=9500- (under the cap)', 'GET', { range: 'bytes=9500-' }, {}, OBJECT, ranges(r(9500, 9999))],
    ['bytes=0-0,-1', 'GET', { range: 'bytes=0-0,-1' }, {}, OBJECT, ranges(r(0, 0), r(9999, 9999))],
    [
      'bytes=0-999,4500-5499,-1000',
      'GET',
      { range: 'bytes=0-999,4500-5499,-1000' },
      {},
      OBJECT,
      ranges(r(0, 999), r(4500, 5499), r(9000, 9999)),
    ],
    // players
    ['Safari probe bytes=0-1', 'GET', { range: 'bytes=0-1' }, {}, OBJECT, ranges(r(0, 1))],
    [
      'Chrome bytes=0- is capped',
      'GET',
      { range: 'bytes=0-', ...BROWSER },
      { openRangeCapBytes: 100 },
      OBJECT,
      ranges(r(0, 99)),
    ],
    [
      'bytes=0- without a User-Agent: the whole remainder',
      'GET',
      { range: 'bytes=0-' },
      { openRangeCapBytes: 100 },
      OBJECT,
      ranges(r(0, 9999)),
    ],
    [
      'open range capped mid-object',
      'GET',
      { range: 'bytes=9500-', ...BROWSER },
      { openRangeCapBytes: 100 },
      OBJECT,
      ranges(r(9500, 9599)),
    ],
    [
      'open range cap past EOF clamps at EOF',
      'GET',
      { range: 'bytes=9950-', ...BROWSER },
      { openRangeCapBytes: 100 },
      OBJECT,
      ranges(r(9950, 9999)),
    ],
    [
      'bounded ranges are not capped',
      'GET',
      { range: 'bytes=0-4999', ...BROWSER },
      { openRangeCapBytes: 100 },
      OBJECT,
      ranges(r(0, 4999)),
    ],
    [
      'suffix ranges are not capped',
      'GET',
      { range: 'bytes=-5000', ...BROWSER },
      { openRangeCapBytes: 100 },
      OBJECT,
      ranges(r(5000, 9999)),
    ],
    ['bounded range clamped at EOF', 'GET', { range: 'bytes=9000-20000' }, {}, OBJECT, ranges(r(9000, 9999))],
    // unsatisfiable
    ['start past EOF', 'GET', { range: 'bytes=20000-' }, {}, OBJECT, UNSATISFIABLE],
    ['start at EOF', 'GET', { range: 'bytes=10000-10005' }, {}, OBJECT, UNSATISFIABLE],
    ['suffix 0', 'GET', { range: 'bytes=-0' }, {}, OBJECT, UNSATISFIABLE],
    ['unsatisfiable specs dropped', 'GET', { range: 'bytes=20000-,0-1' }, {}, OBJECT, ranges(r(0, 1))],
    // coalescing
    ['adjacent specs coalesce to one range', 'GET', { range: 'bytes=0-0,1-1' }, {}, OBJECT, ranges(r(0, 1))],
    ['overlapping specs coalesce', 'GET', { range: 'bytes=0-5,3-8' }, {}, OBJECT, ranges(r(0, 8))],
    [
      'several open specs are not the single open spec: not capped',
      'GET',
      { range: 'bytes=0-,0-', ...BROWSER },
      { openRangeCapBytes: 100 },
      OBJECT,
      ranges(r(0, 9999)),
    ],
    ['parts sorted ascending', 'GET', { range: 'bytes=500-599,0-99' }, {}, OBJECT, ranges(r(0, 99), r(500, 599))],
    // many or excessive ranges -> whole
    ['more parts than maxRangeParts', 'GET', { range: 'bytes=0-0,2-2,4-4' }, { maxRangeParts: 2 }, OBJECT, WHOLE],
    [
      'exactly maxRangeParts',
      'GET',
      { range: 'bytes=0-0,2-2' },
      { maxRangeParts: 2 },
      OBJECT,
      ranges(r(0, 0), r(2, 2)),
    ],
    [
      'parts counted after coalescing',
      'GET',
      { range: 'bytes=0-0,1-1,4-4' },
      { maxRangeParts: 2 },
      OBJECT,
      ranges(r(0, 1), r(4, 4)),
    ],
    ['overlapping ranges adding up to the size', 'GET', { range: 'bytes=0-5999,0-5999,8000-8099' }, {}, OBJECT, WHOLE],
    [
      'ranges adding up to just under the size',
      'GET',
      { range: 'bytes=0-4999,5001-9999' },
      {},
      OBJECT,
      ranges(r(0, 4999), r(5001, 9999)),
    ],
    // If-Range (RFC 9110 13.1.5)
    ['If-Range same ETag', 'GET', { range: 'bytes=0-1', 'if-range': '"abc"' }, {}, OBJECT, ranges(r(0, 1))],
    ['If-Range other ETag', 'GET', { range: 'bytes=0-1', 'if-range': '"xyz"' }, {}, OBJECT, WHOLE],
    ['If-Range weak ETag', 'GET', { range: 'bytes=0-1', 'if-range': 'W/"abc"' }, {}, OBJECT, WHOLE],
    [
      'If-Range exact date',
      'GET',
      { range: 'bytes=0-1', 'if-range': 'Mon, 01 Jan 2024 12:00:00 GMT' },
      {},
      OBJECT,
      ranges(r(0, 1)),
    ],
    [
      'If-Range other date',
      'GET',
      { range: 'bytes=0-1', 'if-range': 'Mon, 01 Jan 2024 12:00:01 GMT' },
      {},
      OBJECT,
      WHOLE,
    ],
    [
      'If-Range false beats an unsatisfiable range',
      'GET',
      { range: 'bytes=20000-', 'if-range': '"xyz"' },
      {},
      OBJECT,
      WHOLE,
    ],
    ['If-Range without Range', 'GET', { 'if-range': '"xyz"' }, {}, OBJECT, WHOLE],
    // tiny and empty objects
    ['one-byte object, bytes=0-1', 'GET', { range: 'bytes=0-1' }, {}, { size: 1 }, ranges(r(0, 0))],
    ['empty object, suffix: the whole empty representation', 'GET', { range: 'bytes=-5' }, {}, { size: 0 }, WHOLE],
    ['empty object, bytes=0-', 'GET', { range: 'bytes=0-' }, {}, { size: 0 }, UNSATISFIABLE],
    ['empty object, bytes=0-1', 'GET', { range: 'bytes=0-1' }, {}, { size: 0 }, UNSATISFIABLE],
  ])('%s', (_name, method, headers, policy, object, expected) => {
    // Prepare
    const request = { method, headers, query: {} };
    // Act
    const selection = selectRanges(request, object, { ...POLICY, ...policy });
    // Assess
    expect(selection).toEqual(expected);
  });

  describe('the open-range cap applies only to clients known to follow a short 206', () => {
    const cases = byUserAgent(ranges(r(500, 599)), ranges(r(500, 9999)));
    test.each(cases)('%s (%s): bytes=500- with a 100-byte cap', (_name, userAgent, expected) => {
      // Prepare
      const headers = { range: 'bytes=500-', ...userAgentHeader(userAgent) };
      // Act
      const selection = selectRanges({ method: 'GET', headers, query: {} }, OBJECT, {
        ...POLICY,
        openRangeCapBytes: 100,
      });
      // Assess
      expect(selection).toEqual(expected);
    });
  });
});
