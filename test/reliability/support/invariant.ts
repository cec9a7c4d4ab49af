/**
 * The one invariant every reliability test checks on every response: a response is either
 * byte-identical to the stored object slice it claims, or VISIBLY incomplete — fewer bytes than it declared and
 * no clean end (the connection closed before Content-Length was reached, or without the chunked terminator).
 * A clean end with fewer bytes, any byte that differs from the version named by the response's ETag, or bytes
 * from two versions, is a violation.
 *
 * What a response claims (RFC 9110): 200 = the whole representation (section 15.3.1); 206 with Content-Range =
 * that slice (section 14.4); 206 multipart/byteranges = one slice per part, each with its own Content-Range
 * (section 14.6). The Function URL may turn Content-Length into chunked transfer (docs/platform.md), so the slice
 * length comes from Content-Range, and Content-Length is checked only when present.
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface ObservedResponse {
  readonly method?: string;
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** The HTTP framing ended cleanly (node's `res.complete`). */
  readonly complete: boolean;
}

export type Verdict =
  /** Every claimed byte arrived, each equal to the stored one, and the message ended cleanly. */
  | { readonly kind: 'exact'; readonly bytes: number }
  /** Fewer bytes than declared and no clean end; every byte that did arrive is the stored one. */
  | { readonly kind: 'incomplete'; readonly declared: number; readonly received: number }
  /** A status that claims no object bytes (304, 4xx, 3xx, HEAD answers...). */
  | { readonly kind: 'no-content'; readonly status: number }
  /** A 5xx answer (claims no object bytes either; callers decide whether it was acceptable). */
  | { readonly kind: 'server-error'; readonly status: number };

export class InvariantViolation extends Error {
  override readonly name = 'InvariantViolation';
}

/** The stored versions of the object a request addressed, by ETag exactly as S3 reports it (quoted). */
export type StoredVersions = ReadonlyMap<string, Buffer>;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+)$/;

function parseContentRange(value: string | undefined): { start: number; end: number; size: number } | undefined {
  const match = CONTENT_RANGE.exec(value ?? '');
  if (!match) return undefined;
  return { start: Number(match[1]), end: Number(match[2]), size: Number(match[3]) };
}

function versionFor(response: ObservedResponse, versions: StoredVersions): Buffer {
  const etag = header(response.headers, 'etag');
  if (etag !== undefined) {
    const stored = versions.get(etag);
    if (stored === undefined) {
      throw new InvariantViolation(`ETag ${etag} names no stored version (known: ${[...versions.keys()].join(' ')})`);
    }
    return stored;
  }
  if (versions.size === 1) {
    const [only] = versions.values();
    if (only !== undefined) return only;
  }
  throw new InvariantViolation(`status ${response.status} carries object bytes but no ETag to name their version`);
}

/** Compares `received` to `expected`: exact when complete; a strict prefix with no clean end otherwise. */
function compare(received: Buffer, expected: Buffer, complete: boolean, what: string): Verdict {
  const prefix = expected.subarray(0, received.length);
  if (received.length > expected.length || !received.equals(prefix)) {
    const at = firstDifference(received, expected);
    throw new InvariantViolation(
      `${what}: byte ${at} differs from the stored object (received ${received.length}, expected ${expected.length})`,
    );
  }
  if (received.length === expected.length) {
    // All bytes are right; a missing terminator after them is still an error the viewer sees.
    return complete
      ? { kind: 'exact', bytes: received.length }
      : { kind: 'incomplete', declared: expected.length, received: received.length };
  }
  if (complete) {
    throw new InvariantViolation(
      `${what}: clean end after ${received.length} of ${expected.length} declared bytes (a silent truncation)`,
    );
  }
  return { kind: 'incomplete', declared: expected.length, received: received.length };
}

function firstDifference(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 1) if (a[i] !== b[i]) return i;
  return n;
}

/**
 * Checks a multipart/byteranges body part by part against `stored`; the last part may be cut short. Not the
 * strict parser of complete bodies (test/support/parse-multipart.ts): a cut response is a legal outcome here,
 * and its every arrived byte must still be the stored one.
 */
function checkMultipart(response: ObservedResponse, stored: Buffer, contentType: string): Verdict {
  const match = /boundary=("?)([^";]+)\1/i.exec(contentType);
  if (!match?.[2]) throw new InvariantViolation(`multipart response without a boundary: ${contentType}`);
  const delimiter = Buffer.from(`--${match[2]}`);
  const body = response.body;
  let at = body.indexOf(delimiter);
  let declared = 0;
  let parts = 0;
  const incomplete = (): Verdict => {
    if (response.complete) {
      throw new InvariantViolation(`multipart body ended cleanly in the middle of part ${parts}`);
    }
    return { kind: 'incomplete', declared: Math.max(declared, body.length + 1), received: body.length };
  };
  if (at < 0) {
    // Cut before the first delimiter completed: nothing claimed has arrived yet.
    if (!response.complete && body.length < delimiter.length + 2) return incomplete();
    throw new InvariantViolation('no boundary in multipart body');
  }
  for (;;) {
    at += delimiter.length;
    if (body.length < at + 2) return incomplete();
    if (body.subarray(at, at + 2).toString('latin1') === '--') {
      if (parts === 0) throw new InvariantViolation('multipart/byteranges with no parts');
      return response.complete ? { kind: 'exact', bytes: declared } : incomplete();
    }
    const headEnd = body.indexOf('\r\n\r\n', at);
    if (headEnd < 0) return incomplete();
    const lines = body.subarray(at, headEnd).toString('latin1').split('\r\n');
    const rangeLine = lines.find((line) => /^content-range:/i.test(line));
    const range = parseContentRange(rangeLine?.slice(rangeLine.indexOf(':') + 1).trim());
    if (range === undefined) throw new InvariantViolation(`part ${parts} without a valid Content-Range`);
    if (range.size !== stored.length || range.end >= range.size || range.start > range.end) {
      throw new InvariantViolation(`part ${parts}: Content-Range ${rangeLine} does not fit object of ${stored.length}`);
    }
    const start = headEnd + 4;
    const length = range.end - range.start + 1;
    declared += length;
    const got = body.subarray(start, Math.min(body.length, start + length));
    const verdict = compare(got, stored.subarray(range.start, range.end + 1), got.length === length, `part ${parts}`);
    if (verdict.kind === 'incomplete') return incomplete();
    parts += 1;
    at = start + length;
    // CRLF before the next delimiter.
    if (body.length < at + 2 + delimiter.length) return incomplete();
    if (!body.subarray(at, at + 2 + delimiter.length).equals(Buffer.concat([Buffer.from('\r\n'), delimiter]))) {
      throw new InvariantViolation(`part ${parts - 1} is not followed by a boundary: the part has extra bytes`);
    }
    at += 2;
  }
}

/**
 * Returns what the response was, or throws an InvariantViolation saying exactly which byte or header lied.
 * `versions` holds every version the object had during the request (an overwrite test passes two).
 */
export function checkResponse(response: ObservedResponse, versions: StoredVersions): Verdict {
  const { status, headers, body } = response;
  if (status >= 500) return { kind: 'server-error', status };
  if (response.method === 'HEAD') {
    if (body.length > 0) throw new InvariantViolation(`HEAD answered with ${body.length} body bytes`);
    return { kind: 'no-content', status };
  }
  if (status !== 200 && status !== 206) {
    // No object bytes may travel with these: at most a short generic message.
    const contentRange = header(headers, 'content-range');
    if (status === 416 && contentRange !== undefined && !/^bytes \*\/\d+$/.test(contentRange)) {
      throw new InvariantViolation(`416 with Content-Range ${contentRange} (must be bytes */size)`);
    }
    return { kind: 'no-content', status };
  }
  const stored = versionFor(response, versions);
  const contentLength = header(headers, 'content-length');
  const contentType = header(headers, 'content-type') ?? '';
  if (status === 206 && /^multipart\/byteranges/i.test(contentType)) {
    if (header(headers, 'content-range') !== undefined) {
      throw new InvariantViolation('multipart/byteranges response must not carry Content-Range (RFC 9110 14.6)');
    }
    return checkMultipart(response, stored, contentType);
  }
  let expected: Buffer;
  if (status === 200) {
    expected = stored;
  } else {
    const contentRange = header(headers, 'content-range');
    const range = parseContentRange(contentRange);
    if (range === undefined) throw new InvariantViolation(`206 with invalid Content-Range ${String(contentRange)}`);
    if (range.size !== stored.length || range.end >= range.size || range.start > range.end) {
      throw new InvariantViolation(`206 Content-Range ${contentRange} does not fit the stored size ${stored.length}`);
    }
    expected = stored.subarray(range.start, range.end + 1);
  }
  if (contentLength !== undefined && Number(contentLength) !== expected.length) {
    throw new InvariantViolation(`Content-Length ${contentLength} but the claimed slice has ${expected.length} bytes`);
  }
  return compare(body, expected, response.complete, `${status} body`);
}
