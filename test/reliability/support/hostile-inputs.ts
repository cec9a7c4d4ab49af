/**
 * fast-check generators for hostile requests (issue 5, "Hostile input"): Range headers that are almost right,
 * very wrong, enormous or numerous; conditional headers with wrong, weak, starred and malformed validators;
 * paths that try to leave KEY_PREFIX (`/../`, `%2e%2e`, `%2F..%2F`, backslashes), NUL and other controls,
 * over-long keys; and download names built to break out of Content-Disposition (CR/LF, quotes, `;`).
 * Shared by the in-process fuzz (many cases) and the real-HTTP fuzz (fewer), so both see the same shapes.
 */
import fc from 'fast-check';

/** Numbers a parser must survive: edges of the object, of int32, of safe integers, and far beyond. */
export function hostileNumber(size: number): fc.Arbitrary<string> {
  return fc.oneof(
    fc.integer({ min: 0, max: size + 2 }).map(String),
    fc.constantFrom(
      '0',
      '00000000000000000001',
      String(size - 1),
      String(size),
      '2147483647',
      '2147483648',
      '4294967296',
      '9007199254740991',
      '9007199254740992',
      '99999999999999999999999999999',
      '1e3',
      '0x10',
      '-1',
      '+5',
      ' 1',
      '1.5',
      '',
    ),
  );
}

/** One range-spec: first-last, first-, -suffix, or junk around them. */
function rangeSpec(size: number): fc.Arbitrary<string> {
  const n = hostileNumber(size);
  return fc.oneof(
    { weight: 4, arbitrary: fc.tuple(n, n).map(([a, b]) => `${a}-${b}`) },
    { weight: 2, arbitrary: n.map((a) => `${a}-`) },
    { weight: 2, arbitrary: n.map((b) => `-${b}`) },
    { weight: 1, arbitrary: fc.constantFrom('-', '--1', '1--2', '1-2-3', ' 1 - 2 ', '', 'a-b', '1-\t2') },
  );
}

/** Range header values, from valid to garbage (RFC 9110 section 14.2 grammar and its neighbours). */
export function rangeHeader(size: number): fc.Arbitrary<string> {
  const specs = fc.array(rangeSpec(size), { minLength: 1, maxLength: 12 });
  return fc.oneof(
    { weight: 6, arbitrary: specs.map((list) => `bytes=${list.join(',')}`) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.constantFrom('bytes', 'BYTES', 'Bytes', 'items', 'bytes ', ' bytes', 'byte', 'bits', ''),
          specs,
          fc.constantFrom(',', ', ', ' ,', ',,', ' , '),
        )
        .map(([unit, list, separator]) => `${unit}=${list.join(separator)}`),
    },
    { weight: 1, arbitrary: specs.map((list) => `bytes=${list.join(',')},`) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }).filter(isHeaderSafe) },
    { weight: 1, arbitrary: tinyRanges(size) },
  );
}

/** `bytes=0-0,2-2,4-4,...`: thousands of one-byte ranges (the multipart amplification attack, RFC 9110 15.3.7). */
export function tinyRanges(size: number): fc.Arbitrary<string> {
  return fc
    .tuple(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 3 }), fc.boolean())
    .map(([count, step, overlapping]) => {
      const parts: string[] = [];
      for (let i = 0; i < count; i += 1) {
        const start = (i * step) % Math.max(1, size);
        parts.push(overlapping ? `${start}-${start + 1}` : `${start}-${start}`);
      }
      return `bytes=${parts.join(',')}`;
    });
}

/** Entity-tag lists and validators (RFC 9110 section 8.8.3, 13.1.1). */
export function etagHeader(etag: string): fc.Arbitrary<string> {
  const one = fc.constantFrom(etag, `W/${etag}`, '"nope"', 'W/"nope"', 'unquoted', '"', '""', `${etag.slice(0, -1)}`);
  return fc.oneof(
    fc.constant('*'),
    fc.array(one, { minLength: 1, maxLength: 4 }).map((list) => list.join(', ')),
    fc.string({ maxLength: 20 }).filter(isHeaderSafe),
  );
}

/** HTTP-date and near misses (RFC 9110 section 5.6.7): IMF-fixdate, obsolete forms, garbage, far past/future. */
export function dateHeader(lastModified: Date): fc.Arbitrary<string> {
  return fc.oneof(
    fc
      .integer({ min: -400 * 86_400, max: 400 * 86_400 })
      .map((s) => new Date(lastModified.getTime() + s * 1000).toUTCString()),
    fc.constantFrom(
      lastModified.toUTCString(),
      'Sunday, 06-Nov-94 08:49:37 GMT',
      'Sun Nov  6 08:49:37 1994',
      'Thu, 01 Jan 1970 00:00:00 GMT',
      'Fri, 31 Dec 9999 23:59:59 GMT',
      'yesterday',
      '0',
      '',
      'Mon, 32 Foo 2020 25:61:61 GMT',
    ),
  );
}

export interface HostileHeaders {
  readonly method: 'GET' | 'HEAD';
  readonly headers: Readonly<Record<string, string>>;
}

/** A request's method and headers: Range plus any combination of the five conditionals. */
export function hostileHeaders(size: number, etag: string, lastModified: Date): fc.Arbitrary<HostileHeaders> {
  return fc
    .record(
      {
        method: fc.constantFrom<'GET' | 'HEAD'>('GET', 'GET', 'GET', 'HEAD'),
        range: rangeHeader(size),
        ifRange: fc.oneof(etagHeader(etag), dateHeader(lastModified)),
        ifMatch: etagHeader(etag),
        ifNoneMatch: etagHeader(etag),
        ifModifiedSince: dateHeader(lastModified),
        ifUnmodifiedSince: dateHeader(lastModified),
      },
      { requiredKeys: ['method'] },
    )
    .map(({ method, range, ifRange, ifMatch, ifNoneMatch, ifModifiedSince, ifUnmodifiedSince }) => {
      const headers: Record<string, string> = {};
      if (range !== undefined) headers.range = range;
      if (ifRange !== undefined) headers['if-range'] = ifRange;
      if (ifMatch !== undefined) headers['if-match'] = ifMatch;
      if (ifNoneMatch !== undefined) headers['if-none-match'] = ifNoneMatch;
      if (ifModifiedSince !== undefined) headers['if-modified-since'] = ifModifiedSince;
      if (ifUnmodifiedSince !== undefined) headers['if-unmodified-since'] = ifUnmodifiedSince;
      return { method, headers };
    });
}

/** Path segments that try to escape the prefix or smuggle bytes past the key check. */
const HOSTILE_SEGMENTS = [
  '..',
  '.',
  '%2e%2e',
  '%2E%2E',
  '%2e',
  '.%2e',
  '%2e.',
  '%252e%252e',
  '..%2F..',
  '%2F..%2F',
  '%2f',
  '%5c..%5c',
  '..\\..',
  '%00',
  'clip.bin%00.mp4',
  '%0d%0aX-Injected:%201',
  '%0a',
  '%7f',
  '%c2%85',
  '%',
  '%zz',
  '%e2%82',
  '%c0%ae%c0%ae',
  '%ed%a0%80',
  '',
  '~',
  'outside',
  'secret.bin',
  'media',
  'clip.bin',
  'a%20b',
  '%e2%80%ae',
  'x'.repeat(300),
];

/** Raw request paths (percent-encoded as sent on the wire), mostly hostile, sometimes valid. */
export function hostilePath(): fc.Arbitrary<string> {
  const segment = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...HOSTILE_SEGMENTS) },
    { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9._~-]{1,12}$/) },
    {
      weight: 1,
      arbitrary: fc.string({ unit: 'binary', maxLength: 8 }).map((s) => encodeURIComponent(s.toWellFormed())),
    },
  );
  return fc.oneof(
    { weight: 8, arbitrary: fc.array(segment, { minLength: 1, maxLength: 8 }).map((list) => `/${list.join('/')}`) },
    // Over-long keys: past S3's 1024 bytes, with and without multi-byte characters.
    { weight: 1, arbitrary: fc.integer({ min: 1000, max: 4000 }).map((n) => `/${'a'.repeat(n)}`) },
    { weight: 1, arbitrary: fc.integer({ min: 300, max: 1200 }).map((n) => `/${'%e2%82%ac'.repeat(n)}`) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('/', '//', '/clip.bin', '/./clip.bin', '/x/../clip.bin', '/../outside/secret.bin'),
    },
  );
}

/** `?download=` values built to break Content-Disposition: CR/LF, quotes, `;`, `\`, `%`, non-ASCII, long. */
export function hostileDownloadName(): fc.Arbitrary<string> {
  const pieces = fc.constantFrom(
    '\r\n',
    '\n',
    '\r',
    '"',
    '\\',
    ';',
    '; filename="evil.exe"',
    '\r\nSet-Cookie: a=b',
    '%0d%0a',
    '%',
    '\u0000',
    '\u0085',
    '\u2028',
    'ü',
    '😀',
    '\ud800',
    '../',
    'clip.mp4',
    ' ',
    ',',
    "'",
  );
  return fc.oneof(
    fc.array(pieces, { maxLength: 8 }).map((list) => list.join('')),
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.integer({ min: 200, max: 2000 }).map((n) => 'n'.repeat(n)),
  );
}

/** Values node's HTTP client accepts in a header (no CR, LF, NUL or other controls except tab). */
export function isHeaderSafe(value: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point.
  return !/[\u0000-\u0008\u000a-\u001f\u007f-\uffff]/.test(value);
}

/** What a Content-Disposition produced from any input must look like (RFC 6266 4.1 + RFC 8187). */
export const SAFE_CONTENT_DISPOSITION =
  /^attachment; filename="[\u0020-\u0021\u0023-\u005b\u005d-\u007e]*"; filename\*=UTF-8''[A-Za-z0-9!#$&+\-.^_`|~%]*$/;
