import fc from 'fast-check';
import { EXPOSED_HEADERS } from '../../../lambda/http/cors-headers.ts';
import { multipartParts } from '../../../lambda/http/multipart.ts';
import { type HttpPolicy, planResponse } from '../../../lambda/http/plan-response.ts';
import type { ObjectFacts, RequestFacts, ResponsePlan } from '../../../lambda/http/types.ts';
import { anyUserAgent, byUserAgent, POLICY, userAgentHeader } from '../../support/http-policy-fixture.ts';
import { BROWSER_USER_AGENT, FOLLOWING_USER_AGENTS, NON_FOLLOWING_USER_AGENTS } from '../../support/user-agents.ts';

const KEY = 'media/clip.mp4';
const BOUNDARY = 'b0undary';
const LAST_MODIFIED = 'Mon, 01 Jan 2024 12:00:00 GMT';
const OBJECT: ObjectFacts = {
  size: 10000,
  etag: '"abc"',
  lastModified: new Date(Date.UTC(2024, 0, 1, 12, 0, 0, 250)),
  contentType: 'binary/octet-stream',
};
const REPRESENTATION = {
  'accept-ranges': 'bytes',
  'content-type': 'video/mp4',
  etag: '"abc"',
  'last-modified': LAST_MODIFIED,
  'cache-control': 'public, max-age=86400',
  'x-content-type-options': 'nosniff',
};

const req = (
  headers: Record<string, string> = {},
  method = 'GET',
  query: Record<string, string> = {},
): RequestFacts => ({
  method,
  headers,
  query,
});
const plan = (request: RequestFacts, object: ObjectFacts = OBJECT, policy: Partial<HttpPolicy> = {}): ResponsePlan =>
  planResponse(request, KEY, object, { ...POLICY, ...policy }, BOUNDARY);

/** The body bytes the transport will write for a plan (HEAD writes none whatever Content-Length says). */
const bodyBytes = (p: ResponsePlan): number => {
  switch (p.body.kind) {
    case 'single':
      return p.body.range === null ? 0 : p.body.range.end - p.body.range.start + 1;
    case 'multipart':
      return (
        p.body.parts.reduce(
          (sum, part) => sum + Buffer.byteLength(part.head) + part.range.end - part.range.start + 1,
          0,
        ) + Buffer.byteLength(p.body.tail)
      );
    default:
      return 0;
  }
};

describe('planResponse', () => {
  describe('whole representation', () => {
    test('GET without Range: 200 with every representation header and the whole object', () => {
      // Prepare
      const request = req();
      // Act
      const result = plan(request);
      // Assess
      expect(result).toEqual({
        status: 200,
        headers: { ...REPRESENTATION, 'content-length': '10000' },
        body: { kind: 'single', range: { start: 0, end: 9999 } },
      });
    });

    test('HEAD: the same headers as GET, no body (RFC 9110 9.3.2)', () => {
      // Prepare
      const request = req({}, 'HEAD');
      // Act
      const result = plan(request);
      // Assess
      expect(result).toEqual({
        status: 200,
        headers: { ...REPRESENTATION, 'content-length': '10000' },
        body: { kind: 'none' },
      });
    });

    test('HEAD with Range: Range is ignored, 200 (RFC 9110 14.2)', () => {
      // Prepare
      const request = req({ range: 'bytes=0-1' }, 'HEAD');
      // Act
      const result = plan(request);
      // Assess
      expect(result.status).toBe(200);
      expect(result.headers['content-length']).toBe('10000');
      expect(result.headers['content-range']).toBeUndefined();
      expect(result.body).toEqual({ kind: 'none' });
    });

    test.each([
      ['invalid Range', { range: 'bytes=5-1' }],
      ['unknown unit', { range: 'items=0-1' }],
      ['If-Range mismatch', { range: 'bytes=0-1', 'if-range': '"other"' }],
      ['If-Range weak tag', { range: 'bytes=0-1', 'if-range': 'W/"abc"' }],
      ['too many specs', { range: `bytes=${Array.from({ length: 101 }, (_, i) => `${i * 2}-${i * 2}`).join(',')}` }],
    ])('%s: 200 whole', (_name, headers) => {
      // Prepare
      const request = req(headers);
      // Act
      const result = plan(request);
      // Assess
      expect(result).toEqual({
        status: 200,
        headers: { ...REPRESENTATION, 'content-length': '10000' },
        body: { kind: 'single', range: { start: 0, end: 9999 } },
      });
    });

    test('empty object: 200 with Content-Length 0 and nothing to send', () => {
      // Prepare
      const request = req();
      // Act
      const result = plan(request, { ...OBJECT, size: 0 });
      // Assess
      expect(result).toEqual({
        status: 200,
        headers: { ...REPRESENTATION, 'content-length': '0' },
        body: { kind: 'single', range: null },
      });
    });

    test('object without validators or type: no ETag, no Last-Modified, type from the key', () => {
      // Prepare
      const request = req();
      // Act
      const result = plan(request, { size: 5 });
      // Assess
      expect(result.headers).toEqual({
        'accept-ranges': 'bytes',
        'content-type': 'video/mp4',
        'cache-control': 'public, max-age=86400',
        'x-content-type-options': 'nosniff',
        'content-length': '5',
      });
    });

    test.each<[string, string | undefined, string]>([
      ['stored Cache-Control is used', 'public, max-age=31536000, immutable', 'public, max-age=31536000, immutable'],
      ['missing uses the default', undefined, 'public, max-age=86400'],
      ['blank uses the default', '  ', 'public, max-age=86400'],
      ['with CR LF uses the default', 'no-cache\r\nx: y', 'public, max-age=86400'],
    ])('%s', (_name, cacheControl, expected) => {
      // Prepare
      const object = cacheControl === undefined ? OBJECT : { ...OBJECT, cacheControl };
      // Act
      const result = plan(req(), object);
      // Assess
      expect(result.headers['cache-control']).toBe(expected);
    });

    test('a bare stored ETag is sent quoted', () => {
      // Prepare
      const object = { ...OBJECT, etag: 'abc' };
      // Act
      const result = plan(req(), object);
      // Assess
      expect(result.headers.etag).toBe('"abc"');
    });

    test('?download adds Content-Disposition, also on HEAD and on 206', () => {
      // Prepare
      const requests = [
        req({}, 'GET', { download: 'holiday.mp4' }),
        req({}, 'HEAD', { download: 'holiday.mp4' }),
        req({ range: 'bytes=0-1' }, 'GET', { download: '' }),
      ];
      // Act
      const results = requests.map((request) => plan(request));
      // Assess
      expect(results.map((r) => r.headers['content-disposition'])).toEqual([
        `attachment; filename="holiday.mp4"; filename*=UTF-8''holiday.mp4`,
        `attachment; filename="holiday.mp4"; filename*=UTF-8''holiday.mp4`,
        `attachment; filename="clip.mp4"; filename*=UTF-8''clip.mp4`,
      ]);
    });
  });

  describe('single range', () => {
    test.each<[string, string, number, number]>([
      // RFC 9110 14.1.2 examples on 10000 bytes
      ['first 500 bytes', 'bytes=0-499', 0, 499],
      ['second 500 bytes', 'bytes=500-999', 500, 999],
      ['final 500 bytes', 'bytes=-500', 9500, 9999],
      ['from 9500', 'bytes=9500-', 9500, 9999],
      // players
      ['Safari probe', 'bytes=0-1', 0, 1],
      ['Chrome open range on a small object', 'bytes=0-', 0, 9999],
      ['clamped at EOF', 'bytes=9990-20000', 9990, 9999],
      ['suffix longer than the object', 'bytes=-20000', 0, 9999],
      ['adjacent specs coalesced into one', 'bytes=0-0,1-1', 0, 1],
    ])('%s (%s): 206 with Content-Range', (_name, range, start, end) => {
      // Prepare
      const request = req({ range });
      // Act
      const result = plan(request);
      // Assess
      expect(result).toEqual({
        status: 206,
        headers: {
          ...REPRESENTATION,
          'content-length': String(end - start + 1),
          'content-range': `bytes ${start}-${end}/10000`,
        },
        body: { kind: 'single', range: { start, end } },
      });
    });

    test("a browser's open range is capped, with a truthful Content-Range", () => {
      // Prepare
      const request = req({ range: 'bytes=100-', 'user-agent': BROWSER_USER_AGENT });
      // Act
      const result = plan(request, OBJECT, { openRangeCapBytes: 1000 });
      // Assess
      expect(result.status).toBe(206);
      expect(result.headers['content-range']).toBe('bytes 100-1099/10000');
      expect(result.headers['content-length']).toBe('1000');
      expect(result.body).toEqual({ kind: 'single', range: { start: 100, end: 1099 } });
    });

    const userAgents = byUserAgent(1099, 9999);
    test.each(userAgents)('open range from %s (%s): 206 up to byte %d', (_name, userAgent, end) => {
      // Prepare
      const request = req({ range: 'bytes=100-', ...userAgentHeader(userAgent) });
      // Act
      const result = plan(request, OBJECT, { openRangeCapBytes: 1000 });
      // Assess: RFC-exact remainder for anyone not known to read on after a short 206
      expect(result).toEqual({
        status: 206,
        headers: {
          ...REPRESENTATION,
          'content-length': String(end - 100 + 1),
          'content-range': `bytes 100-${end}/10000`,
        },
        body: { kind: 'single', range: { start: 100, end } },
      });
    });

    test('explicit bounded and suffix ranges are not capped', () => {
      // Prepare
      const requests = [req({ range: 'bytes=0-4999' }), req({ range: 'bytes=-5000' })];
      // Act
      const results = requests.map((request) => plan(request, OBJECT, { openRangeCapBytes: 1000 }));
      // Assess
      expect(results.map((r) => r.headers['content-range'])).toEqual(['bytes 0-4999/10000', 'bytes 5000-9999/10000']);
    });

    test('If-Range with the same ETag or the exact date honours the range', () => {
      // Prepare
      const requests = [
        req({ range: 'bytes=0-1', 'if-range': '"abc"' }),
        req({ range: 'bytes=0-1', 'if-range': LAST_MODIFIED }),
      ];
      // Act
      const results = requests.map((request) => plan(request));
      // Assess
      expect(results.map((r) => r.status)).toEqual([206, 206]);
    });
  });

  describe('unsatisfiable', () => {
    test.each([
      ['start past EOF', 'bytes=10000-'],
      ['suffix 0', 'bytes=-0'],
      ['every spec past EOF', 'bytes=10000-10001,20000-'],
    ])('%s: 416 with Content-Range bytes */size and no body', (_name, range) => {
      // Prepare
      const request = req({ range });
      // Act
      const result = plan(request);
      // Assess
      expect(result).toEqual({
        status: 416,
        headers: {
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
          'accept-ranges': 'bytes',
          'content-range': 'bytes */10000',
          'content-length': '0',
        },
        body: { kind: 'none' },
      });
    });

    test.each([
      ['bytes=0-', 416],
      ['bytes=0-0', 416],
      ['bytes=-0', 416],
      ['bytes=-1', 200],
      ['bytes=0-1,-1', 200],
    ])('empty object never gets a 206: %s -> %p', (range, status) => {
      // Prepare
      const request = req({ range });
      // Act
      const result = plan(request, { ...OBJECT, size: 0 });
      // Assess
      expect(result.status).toBe(status);
      if (status === 416) expect(result.headers['content-range']).toBe('bytes */0');
      if (status === 200) expect(result.body).toEqual({ kind: 'single', range: null });
    });
  });

  describe('several ranges', () => {
    test('RFC 9110 14.1.2 bytes=0-999,4500-5499,-1000: 206 multipart/byteranges', () => {
      // Prepare
      const request = req({ range: 'bytes=0-999,4500-5499,-1000' });
      const ranges = [
        { start: 0, end: 999 },
        { start: 4500, end: 5499 },
        { start: 9000, end: 9999 },
      ];
      const expected = multipartParts(ranges, 10000, 'video/mp4', BOUNDARY);
      // Act
      const result = plan(request);
      // Assess
      expect(result).toEqual({
        status: 206,
        headers: {
          ...REPRESENTATION,
          'content-type': `multipart/byteranges; boundary=${BOUNDARY}`,
          'content-length': String(expected.length),
        },
        body: { kind: 'multipart', parts: expected.parts, tail: expected.tail },
      });
      expect(result.headers['content-range']).toBeUndefined();
    });

    test('bytes=0-0,-1: two one-byte parts', () => {
      // Prepare
      const request = req({ range: 'bytes=0-0,-1' });
      // Act
      const result = plan(request);
      // Assess
      expect(result.status).toBe(206);
      expect(result.body.kind === 'multipart' && result.body.parts.map((p) => p.range)).toEqual([
        { start: 0, end: 0 },
        { start: 9999, end: 9999 },
      ]);
      expect(result.body.kind === 'multipart' && result.body.parts[0]?.head).toBe(
        `\r\n--${BOUNDARY}\r\nContent-Type: video/mp4\r\nContent-Range: bytes 0-0/10000\r\n\r\n`,
      );
    });

    test('more parts than maxRangeParts: 200 whole', () => {
      // Prepare
      const request = req({ range: 'bytes=0-0,10-10,20-20' });
      // Act
      const result = plan(request, OBJECT, { maxRangeParts: 2 });
      // Assess
      expect(result.status).toBe(200);
      expect(result.body).toEqual({ kind: 'single', range: { start: 0, end: 9999 } });
    });

    test('overlapping ranges adding up to the size: 200 whole', () => {
      // Prepare
      const request = req({ range: 'bytes=0-5999,0-5999,8000-8099' });
      // Act
      const result = plan(request);
      // Assess
      expect(result.status).toBe(200);
    });

    test('a multipart body at least as large as the object: 200 whole', () => {
      // Prepare: two 1-byte parts of a 100-byte object need far more than 100 bytes of framing
      const request = req({ range: 'bytes=0-0,50-50' });
      // Act
      const result = plan(request, { ...OBJECT, size: 100 });
      // Assess
      expect(result).toEqual({
        status: 200,
        headers: { ...REPRESENTATION, 'content-length': '100' },
        body: { kind: 'single', range: { start: 0, end: 99 } },
      });
    });
  });

  describe('preconditions come first (RFC 9110 13.2.2)', () => {
    test('If-None-Match match: 304 with validators and caching headers, no Content-Length (RFC 9110 15.4.5)', () => {
      // Prepare
      const request = req({ 'if-none-match': '"abc"', range: 'bytes=0-1' });
      // Act
      const result = plan(request, { ...OBJECT, cacheControl: 'max-age=60' });
      // Assess
      expect(result).toEqual({
        status: 304,
        headers: {
          etag: '"abc"',
          'last-modified': LAST_MODIFIED,
          'cache-control': 'max-age=60',
          'x-content-type-options': 'nosniff',
        },
        body: { kind: 'none' },
      });
    });

    test('If-Modified-Since not modified: 304, also for HEAD', () => {
      // Prepare
      const requests = [
        req({ 'if-modified-since': LAST_MODIFIED }),
        req({ 'if-modified-since': LAST_MODIFIED }, 'HEAD'),
      ];
      // Act
      const results = requests.map((request) => plan(request));
      // Assess
      expect(results.map((r) => r.status)).toEqual([304, 304]);
    });

    test('If-Match mismatch: 412 with Content-Length 0, before Range', () => {
      // Prepare
      const request = req({ 'if-match': '"other"', range: 'bytes=20000-' });
      // Act
      const result = plan(request);
      // Assess
      expect(result).toEqual({
        status: 412,
        headers: { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'content-length': '0' },
        body: { kind: 'none' },
      });
    });

    test('a 304 outranks a 416 and a redirect', () => {
      // Prepare
      const request = req({ 'if-none-match': '*', range: 'bytes=20000-' });
      // Act
      const result = plan(request, OBJECT, { maxResponseBytes: 1 });
      // Assess
      expect(result.status).toBe(304);
    });
  });

  describe('response budget', () => {
    test('a whole object over the budget: 307, private no-store, no body (the transport adds Location)', () => {
      // Prepare
      const request = req();
      // Act
      const result = plan(request, OBJECT, { maxResponseBytes: 9999 });
      // Assess
      expect(result).toEqual({
        status: 307,
        headers: { 'cache-control': 'private, no-store', 'x-content-type-options': 'nosniff', 'content-length': '0' },
        body: { kind: 'redirect' },
      });
    });

    test('exactly the budget is streamed', () => {
      // Prepare
      const request = req();
      // Act
      const result = plan(request, OBJECT, { maxResponseBytes: 10000 });
      // Assess
      expect(result.status).toBe(200);
    });

    test('HEAD is judged as the GET it mirrors', () => {
      // Prepare
      const request = req({}, 'HEAD');
      // Act
      const result = plan(request, OBJECT, { maxResponseBytes: 9999 });
      // Assess
      expect(result.status).toBe(307);
      expect(result.body).toEqual({ kind: 'redirect' });
    });

    test('a bounded range over the budget is redirected; a small one is not', () => {
      // Prepare
      const requests = [req({ range: 'bytes=0-5000' }), req({ range: 'bytes=0-1' })];
      // Act
      const results = requests.map((request) => plan(request, OBJECT, { maxResponseBytes: 5000 }));
      // Assess
      expect(results.map((r) => r.status)).toEqual([307, 206]);
    });

    test("a browser's open range capped under the budget is streamed", () => {
      // Prepare
      const request = req({ range: 'bytes=0-', 'user-agent': BROWSER_USER_AGENT });
      // Act
      const result = plan(request, OBJECT, { openRangeCapBytes: 100, maxResponseBytes: 5000 });
      // Assess
      expect(result.status).toBe(206);
      expect(result.headers['content-range']).toBe('bytes 0-99/10000');
    });

    test("another client's open range over the budget is redirected; within it, streamed whole", () => {
      // Prepare
      const requests = [
        req({ range: 'bytes=0-', 'user-agent': NON_FOLLOWING_USER_AGENTS.ffmpeg }),
        req({ range: 'bytes=5000-', 'user-agent': NON_FOLLOWING_USER_AGENTS.ffmpeg }),
      ];
      // Act
      const results = requests.map((request) =>
        plan(request, OBJECT, { openRangeCapBytes: 100, maxResponseBytes: 5000 }),
      );
      // Assess
      expect(results.map((r) => r.status)).toEqual([307, 206]);
      expect(results[1]?.headers['content-range']).toBe('bytes 5000-9999/10000');
    });

    test('a multipart body over the budget is redirected', () => {
      // Prepare
      const request = req({ range: 'bytes=0-999,4500-5499' });
      // Act
      const result = plan(request, OBJECT, { maxResponseBytes: 2000 });
      // Assess
      expect(result.status).toBe(307);
    });
  });

  describe('CORS on every answer', () => {
    const cors = { allowedOrigins: ['https://player.example'] };
    const origin = 'https://player.example';
    test.each<[string, Record<string, string>, string, Partial<HttpPolicy>, number]>([
      ['200', {}, 'GET', {}, 200],
      ['206', { range: 'bytes=0-1' }, 'GET', {}, 206],
      ['206 multipart', { range: 'bytes=0-99,500-599' }, 'GET', {}, 206],
      ['HEAD', {}, 'HEAD', {}, 200],
      ['304', { 'if-none-match': '"abc"' }, 'GET', {}, 304],
      ['412', { 'if-match': '"x"' }, 'GET', {}, 412],
      ['416', { range: 'bytes=20000-' }, 'GET', {}, 416],
      ['307', {}, 'GET', { maxResponseBytes: 1 }, 307],
    ])('%s', (_name, headers, method, policy, status) => {
      // Prepare
      const request = req({ ...headers, origin }, method);
      // Act
      const result = plan(request, OBJECT, { ...policy, cors });
      // Assess
      expect(result.status).toBe(status);
      expect(result.headers['access-control-allow-origin']).toBe(origin);
      expect(result.headers['access-control-expose-headers']).toBe(EXPOSED_HEADERS);
      expect(result.headers.vary).toBe('Origin');
    });
  });

  describe('refuses unusable input loudly', () => {
    test.each([-1, 1.5, Number.NaN])('object size %p', (size) => {
      // Prepare / Act
      const act = (): unknown => plan(req(), { ...OBJECT, size });
      // Assess
      expect(act).toThrow(RangeError);
    });

    test('a policy with a typo', () => {
      // Prepare / Act
      const act = (): unknown => plan(req(), OBJECT, { maxRangeParts: 0 });
      // Assess
      expect(act).toThrow(/maxRangeParts/);
    });
  });

  describe('properties', () => {
    const rangeHeader = fc.oneof(
      fc.constant(undefined),
      fc
        .array(
          fc.oneof(
            fc
              .tuple(fc.nat({ max: 3000 }), fc.nat({ max: 3000 }))
              .map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
            fc.nat({ max: 3000 }).map((a) => `${a}-`),
            fc.nat({ max: 3000 }).map((a) => `-${a}`),
          ),
          { minLength: 1, maxLength: 12 },
        )
        .map((specs) => `bytes=${specs.join(',')}`),
      fc.string(),
    );
    const requestArb = fc.record({
      method: fc.constantFrom('GET', 'HEAD'),
      range: rangeHeader,
      ifRange: fc.option(fc.constantFrom('"abc"', '"zzz"', 'W/"abc"', LAST_MODIFIED, 'junk'), { nil: undefined }),
      ifNoneMatch: fc.option(fc.constantFrom('"abc"', '"zzz"', '*', 'junk'), { nil: undefined }),
      ifMatch: fc.option(fc.constantFrom('"abc"', '"zzz"', '*', 'junk'), { nil: undefined }),
      download: fc.option(fc.string(), { nil: undefined }),
      userAgent: fc.option(fc.constantFrom(BROWSER_USER_AGENT, NON_FOLLOWING_USER_AGENTS.ffmpeg), { nil: undefined }),
    });
    const policyArb = fc.record({
      openRangeCapBytes: fc.integer({ min: 1, max: 5000 }),
      maxResponseBytes: fc.integer({ min: 1, max: 5000 }),
      maxRangeParts: fc.integer({ min: 1, max: 10 }),
      defaultCacheControl: fc.constant('public, max-age=60'),
      cors: fc.constantFrom(undefined, { allowedOrigins: '*' as const }),
    });
    const sizeArb = fc.oneof(fc.constant(0), fc.constant(1), fc.integer({ min: 0, max: 3000 }));
    type RawRequest = typeof requestArb extends fc.Arbitrary<infer T> ? T : never;
    const toRequest = (r: RawRequest): RequestFacts => {
      const headers: Record<string, string> = {};
      if (r.range !== undefined) headers.range = r.range;
      if (r.ifRange !== undefined) headers['if-range'] = r.ifRange;
      if (r.ifNoneMatch !== undefined) headers['if-none-match'] = r.ifNoneMatch;
      if (r.ifMatch !== undefined) headers['if-match'] = r.ifMatch;
      if (r.userAgent !== undefined) headers['user-agent'] = r.userAgent;
      return { method: r.method, headers, query: r.download === undefined ? {} : { download: r.download } };
    };

    test('property: sound plans for any request, size and policy', () => {
      fc.assert(
        fc.property(requestArb, sizeArb, policyArb, (raw, size, policy) => {
          // Prepare
          const request = toRequest(raw);
          const object = { ...OBJECT, size };
          // Act
          const result = planResponse(request, KEY, object, policy, BOUNDARY);
          // Assess
          expect([200, 206, 304, 307, 412, 416]).toContain(result.status);
          if (size === 0) expect(result.status).not.toBe(206);
          expect(result.headers['content-encoding']).toBeUndefined();
          for (const value of Object.values(result.headers)) expect(value).not.toMatch(/[\r\n]/);
          if (request.method === 'HEAD') expect(['none', 'redirect']).toContain(result.body.kind);

          const sent = bodyBytes(result);
          if (result.body.kind === 'redirect') {
            expect(result.headers['content-length']).toBe('0');
          } else {
            expect(sent).toBeLessThanOrEqual(policy.maxResponseBytes);
          }
          if (request.method === 'GET' && result.status !== 304)
            expect(result.headers['content-length']).toBe(String(sent));
          if (result.status === 304) expect(result.headers['content-length']).toBeUndefined();
          if (request.method === 'HEAD' && result.status === 200)
            expect(result.headers['content-length']).toBe(String(size));

          if (result.body.kind === 'single' && result.status === 206 && result.body.range !== null) {
            const { start, end } = result.body.range;
            expect(0 <= start && start <= end && end <= size - 1).toBe(true);
            expect(result.headers['content-range']).toBe(`bytes ${start}-${end}/${size}`);
          }
          if (result.body.kind === 'multipart') {
            const ranges = result.body.parts.map((part) => part.range);
            expect(ranges.length).toBeGreaterThan(1);
            expect(ranges.length).toBeLessThanOrEqual(policy.maxRangeParts);
            for (const [i, range] of ranges.entries()) {
              expect(0 <= range.start && range.start <= range.end && range.end <= size - 1).toBe(true);
              const next = ranges[i + 1];
              if (next !== undefined) expect(next.start).toBeGreaterThan(range.end + 1);
            }
            expect(sent).toBeLessThan(size);
          }
          if (result.status === 416) expect(result.headers['content-range']).toBe(`bytes */${size}`);
        }),
        { numRuns: 3000 },
      );
    });

    test('property: a single open range is capped for a follower, the exact remainder for anyone else', () => {
      fc.assert(
        fc.property(
          fc.nat({ max: 3000 }),
          fc.integer({ min: 1, max: 3000 }),
          fc.integer({ min: 1, max: 500 }),
          anyUserAgent(),
          (first, size, cap, userAgent) => {
            // Prepare
            const request = req({
              range: `bytes=${first}-`,
              ...userAgentHeader(userAgent),
            });
            const follower = (Object.values(FOLLOWING_USER_AGENTS) as string[]).includes(userAgent ?? '');
            // Act
            const result = plan(request, { ...OBJECT, size }, { openRangeCapBytes: cap });
            // Assess
            if (first >= size) expect(result.status).toBe(416);
            else
              expect(result.body).toEqual({
                kind: 'single',
                range: { start: first, end: follower ? Math.min(size - 1, first + cap - 1) : size - 1 },
              });
          },
        ),
      );
    });

    test('property: random header junk never throws', () => {
      const header = fc.option(fc.string({ unit: 'binary' }), { nil: undefined });
      fc.assert(
        fc.property(
          fc.record({
            range: header,
            'if-range': header,
            'if-match': header,
            'if-none-match': header,
            'if-modified-since': header,
            'if-unmodified-since': header,
            origin: header,
          }),
          fc.constantFrom('GET', 'HEAD'),
          (headers, method) => {
            // Prepare
            const request: RequestFacts = { method, headers, query: {} };
            // Act
            const result = plan(request, OBJECT, { cors: { allowedOrigins: ['https://a.example'] } });
            // Assess
            expect(typeof result.status).toBe('number');
          },
        ),
      );
    });
  });
});
