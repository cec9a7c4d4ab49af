import fc from 'fast-check';
import { parseRangeHeader } from '../../../lambda/http/parse-range-header.ts';
import { MAX_OBJECT_BYTES, planRead, type ReadPlan, sameRange } from '../../../lambda/http/plan-read.ts';
import { type HttpPolicy, planResponse } from '../../../lambda/http/plan-response.ts';
import { resolveRanges } from '../../../lambda/http/resolve-ranges.ts';
import type { RequestFacts } from '../../../lambda/http/types.ts';
import { anyUserAgent, byUserAgent, POLICY, userAgentHeader } from '../../support/http-policy-fixture.ts';
import { BROWSER_USER_AGENT } from '../../support/user-agents.ts';

const req = (headers: Record<string, string> = {}, method = 'GET'): RequestFacts => ({ method, headers, query: {} });
const TIB5 = 5 * 1024 ** 4;
const BROWSER = { 'user-agent': BROWSER_USER_AGENT };

describe('planRead', () => {
  test('5 TiB is the largest S3 object', () => {
    // Prepare / Act / Assess
    expect(MAX_OBJECT_BYTES).toBe(5_497_558_138_880);
  });

  test.each<[string, RequestFacts, Partial<HttpPolicy>, ReadPlan]>([
    ['HEAD', req({}, 'HEAD'), {}, { op: 'head' }],
    ['HEAD with Range', req({ range: 'bytes=0-1' }, 'HEAD'), {}, { op: 'head' }],
    ['other method', req({}, 'POST'), {}, { op: 'head' }],
    ['plain GET: one whole GetObject', req(), {}, { op: 'get' }],
    ['invalid Range is ignored: whole', req({ range: 'bytes=5-1' }), {}, { op: 'get' }],
    ['unknown unit is ignored: whole', req({ range: 'items=0-1' }), {}, { op: 'get' }],
    ['Safari probe', req({ range: 'bytes=0-1' }), {}, { op: 'get', range: 'bytes=0-1' }],
    ['bounded', req({ range: 'bytes=500-999' }), {}, { op: 'get', range: 'bytes=500-999' }],
    [
      'bounded with OWS is sent normalized',
      req({ range: 'Bytes= 500-999 ,' }),
      {},
      { op: 'get', range: 'bytes=500-999' },
    ],
    [
      'Chrome bytes=0-: the capped slice',
      req({ range: 'bytes=0-', ...BROWSER }),
      {},
      { op: 'get', range: 'bytes=0-5242879' },
    ],
    [
      'bytes=0- without a User-Agent: the whole remainder',
      req({ range: 'bytes=0-' }),
      {},
      { op: 'get', range: 'bytes=0-' },
    ],
    [
      'open with a small cap',
      req({ range: 'bytes=100-', ...BROWSER }),
      { openRangeCapBytes: 10 },
      { op: 'get', range: 'bytes=100-109' },
    ],
    ['suffix', req({ range: 'bytes=-500' }), {}, { op: 'get', range: 'bytes=-500' }],
    ['suffix 0 is unsatisfiable: metadata only', req({ range: 'bytes=-0' }), {}, { op: 'head' }],
    [
      'huge last-pos clamped under 5 TiB',
      req({ range: 'bytes=0-99999999999999999999' }),
      {},
      { op: 'get', range: `bytes=0-${TIB5 - 1}` },
    ],
    [
      'huge suffix clamped to 5 TiB',
      req({ range: 'bytes=-99999999999999999999' }),
      {},
      { op: 'get', range: `bytes=-${TIB5}` },
    ],
    ['start at 5 TiB cannot be satisfied', req({ range: `bytes=${TIB5}-` }), {}, { op: 'head' }],
    ['start at 5 TiB, browser', req({ range: `bytes=${TIB5}-`, ...BROWSER }), {}, { op: 'head' }],
    ['bounded start at 5 TiB cannot be satisfied', req({ range: `bytes=${TIB5}-${TIB5 + 1}` }), {}, { op: 'head' }],
    [
      'open start just below 5 TiB, browser',
      req({ range: `bytes=${TIB5 - 1}-`, ...BROWSER }),
      { openRangeCapBytes: 10 },
      { op: 'get', range: `bytes=${TIB5 - 1}-${TIB5 - 1}` },
    ],
    [
      'open start just below 5 TiB, no User-Agent',
      req({ range: `bytes=${TIB5 - 1}-` }),
      { openRangeCapBytes: 10 },
      { op: 'get', range: `bytes=${TIB5 - 1}-` },
    ],
    [
      'a browser User-Agent changes nothing for a bounded range',
      req({ range: 'bytes=100-199', ...BROWSER }),
      { openRangeCapBytes: 10 },
      { op: 'get', range: 'bytes=100-199' },
    ],
    ['several ranges: size first', req({ range: 'bytes=0-1,5-6' }), {}, { op: 'head' }],
    ['several specs even if they coalesce', req({ range: 'bytes=0-0,1-1' }), {}, { op: 'head' }],
    [
      'If-Range does not change the first read',
      req({ range: 'bytes=0-1', 'if-range': '"x"' }),
      {},
      { op: 'get', range: 'bytes=0-1' },
    ],
  ])('%s', (_name, request, policy, expected) => {
    // Prepare: the request and policy above
    // Act
    const read = planRead(request, { ...POLICY, ...policy });
    // Assess
    expect(read).toEqual(expected);
  });

  describe('the open-range cap follows the User-Agent, as planResponse does', () => {
    const cases = byUserAgent<ReadPlan>({ op: 'get', range: 'bytes=100-109' }, { op: 'get', range: 'bytes=100-' });
    test.each(cases)('%s (%s): bytes=100- with a 10-byte cap', (_name, userAgent, expected) => {
      // Prepare
      const request = req({ range: 'bytes=100-', ...userAgentHeader(userAgent) });
      // Act
      const read = planRead(request, { ...POLICY, openRangeCapBytes: 10 });
      // Assess
      expect(read).toEqual(expected);
    });
  });

  test('property: the first GetObject already carries what planResponse sends (one S3 request)', () => {
    const spec = fc.oneof(
      fc.tuple(fc.nat({ max: 5000 }), fc.nat({ max: 5000 })).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
      fc.nat({ max: 5000 }).map((a) => `${a}-`),
      fc.nat({ max: 5000 }).map((a) => `-${a}`),
    );
    fc.assert(
      fc.property(
        fc.option(spec, { nil: undefined }),
        fc.integer({ min: 0, max: 4000 }),
        fc.integer({ min: 1, max: 3000 }),
        anyUserAgent(),
        (one, size, cap, userAgent) => {
          // Prepare
          const request = req({
            ...(one === undefined ? {} : { range: `bytes=${one}` }),
            ...userAgentHeader(userAgent),
          });
          const policy = { ...POLICY, openRangeCapBytes: cap };
          // Act
          const read = planRead(request, policy);
          const plan = planResponse(request, 'k.mp4', { size, etag: '"e"' }, policy, 'b');
          // Assess: S3 resolves a single range with the same RFC 9110 rules
          if (read.op === 'head') {
            expect(plan.status).toBe(416);
            return;
          }
          const s3Specs = read.range === undefined ? undefined : parseRangeHeader(read.range);
          const s3 = s3Specs === undefined ? 'whole' : resolveRanges(s3Specs, size);
          if (s3 === 'unsatisfiable') {
            expect(plan.status).toBe(416); // the handler falls back to HeadObject
            return;
          }
          const served =
            s3 === 'whole' || s3.length === 0 ? (size === 0 ? null : { start: 0, end: size - 1 }) : (s3[0] ?? null);
          expect(plan.body.kind).toBe('single');
          if (plan.body.kind === 'single') expect(sameRange(served, plan.body.range)).toBe(true);
        },
      ),
    );
  });
});

describe('sameRange', () => {
  test.each([
    [{ start: 0, end: 1 }, { start: 0, end: 1 }, true],
    [{ start: 0, end: 1 }, { start: 0, end: 2 }, false],
    [{ start: 1, end: 1 }, { start: 0, end: 1 }, false],
    [null, null, true],
    [null, { start: 0, end: 0 }, false],
    [{ start: 0, end: 0 }, null, false],
  ])('%j vs %j -> %p', (a, b, expected) => {
    // Prepare: the ranges above
    // Act
    const same = sameRange(a, b);
    // Assess
    expect(same).toBe(expected);
  });
});
