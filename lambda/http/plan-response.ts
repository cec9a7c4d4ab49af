import { contentDisposition, downloadFilename } from './content-disposition.ts';
import { contentRange } from './content-range.ts';
import { contentTypeFor } from './content-type.ts';
import { corsHeaders } from './cors-headers.ts';
import { formatEntityTag } from './entity-tag.ts';
import { evaluatePreconditions } from './evaluate-preconditions.ts';
import { assertHttpPolicy, type HttpPolicy } from './http-policy.ts';
import { multipartParts } from './multipart.ts';
import { noStoreHeaders } from './no-store-headers.ts';
import { planRedirect } from './plan-redirect.ts';
import { selectRanges } from './select-ranges.ts';
import { storedEtag } from './stored-etag.ts';
import type { ByteRange, ObjectFacts, RequestFacts, ResponsePlan } from './types.ts';
import { wholeSeconds } from './whole-seconds.ts';

export type { HttpPolicy } from './http-policy.ts';
export { planError } from './plan-error.ts';
export { planMethodNotAllowed } from './plan-method-not-allowed.ts';

/**
 * THE decision for a GET or HEAD of an existing object: status, headers and exactly which bytes to send.
 *
 * 1. Preconditions (RFC 9110 13.2.2): 304 with the validators and caching headers a 200 would carry
 *    (RFC 9110 15.4.5) and no Content-Length; 412 with `content-length: 0`.
 * 2. Range (GET only, when If-Range holds): see selectRanges. 416 carries `Content-Range: bytes * /size`
 *    (RFC 9110 15.5.17). One range -> 206 with Content-Range. Several -> 206 multipart/byteranges, unless
 *    that body would be at least as large as the whole object, then 200 (the whole is cheaper and says more).
 * 3. Budget: if the body would exceed `maxResponseBytes`, 307 to a presigned URL (the transport adds Location).
 *    HEAD is judged as the GET it mirrors (RFC 9110 9.3.2), so both answer the same status.
 *
 * 200/206 headers: Accept-Ranges, Content-Type, Content-Length (exact body bytes), Content-Range (single
 * 206), ETag, Last-Modified, Cache-Control (the object's, else the default), X-Content-Type-Options,
 * Content-Disposition for `?download`, CORS. Never Content-Encoding: bytes go out as stored.
 */
export function planResponse(
  request: RequestFacts,
  key: string,
  object: ObjectFacts,
  policy: HttpPolicy,
  boundary: string,
): ResponsePlan {
  assertHttpPolicy(policy);
  const { size } = object;
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new RangeError(`object size must be a non-negative integer, got ${String(size)}`);
  }
  const cors = corsHeaders(request, policy.cors);
  const validators = validatorHeaders(object, policy);

  const precondition = evaluatePreconditions(request, object);
  if (precondition === 304) {
    return { status: 304, headers: { ...validators, 'x-content-type-options': 'nosniff', ...cors }, body: none };
  }
  if (precondition === 412) {
    return { status: 412, headers: { ...noStoreHeaders(request, policy.cors), 'content-length': '0' }, body: none };
  }

  const selection = selectRanges(request, object, policy);
  if (selection.kind === 'unsatisfiable') {
    return {
      status: 416,
      headers: {
        ...noStoreHeaders(request, policy.cors),
        'accept-ranges': 'bytes',
        'content-range': contentRange(size),
        'content-length': '0',
      },
      body: none,
    };
  }

  const contentType = contentTypeFor(key, object.contentType);
  const filename = downloadFilename(key, request.query);
  const representation = {
    'accept-ranges': 'bytes',
    ...validators,
    'x-content-type-options': 'nosniff',
    ...(filename === undefined ? {} : { 'content-disposition': contentDisposition(filename) }),
    ...cors,
  };
  const isHead = request.method === 'HEAD';

  const whole = (): ResponsePlan => {
    const range: ByteRange | null = size === 0 ? null : { start: 0, end: size - 1 };
    const headers = { ...representation, 'content-type': contentType, 'content-length': String(size) };
    return within(
      size,
      isHead ? { status: 200, headers, body: none } : { status: 200, headers, body: { kind: 'single', range } },
    );
  };

  if (selection.kind === 'whole') return whole();
  const [first, ...rest] = selection.ranges;
  if (first === undefined) return whole();
  if (rest.length === 0) {
    const length = first.end - first.start + 1;
    return within(length, {
      status: 206,
      headers: {
        ...representation,
        'content-type': contentType,
        'content-length': String(length),
        'content-range': contentRange(size, first),
      },
      body: { kind: 'single', range: first },
    });
  }
  const multipart = multipartParts(selection.ranges, size, contentType, boundary);
  if (multipart.length >= size) return whole();
  return within(multipart.length, {
    status: 206,
    headers: {
      ...representation,
      'content-type': `multipart/byteranges; boundary=${boundary}`,
      'content-length': String(multipart.length),
    },
    body: { kind: 'multipart', parts: multipart.parts, tail: multipart.tail },
  });

  /** The response budget: a body that would exceed it is redirected, with no body and no caching. */
  function within(bytes: number, plan: ResponsePlan): ResponsePlan {
    if (bytes <= policy.maxResponseBytes) return plan;
    return planRedirect(request, policy.cors);
  }
}

const none = { kind: 'none' } as const;

/** ETag, Last-Modified (IMF-fixdate, RFC 9110 8.8.2) and Cache-Control: what 200, 206 and 304 share. */
function validatorHeaders(object: ObjectFacts, policy: HttpPolicy): Record<string, string> {
  const headers: Record<string, string> = {};
  const etag = storedEtag(object.etag);
  if (etag !== undefined) headers.etag = formatEntityTag(etag);
  const seconds = wholeSeconds(object.lastModified);
  if (seconds !== undefined) headers['last-modified'] = new Date(seconds * 1000).toUTCString();
  const stored = object.cacheControl?.trim();
  headers['cache-control'] =
    stored !== undefined && /^[\t\x20-\x7e]+$/.test(stored) ? stored : policy.defaultCacheControl;
  return headers;
}
