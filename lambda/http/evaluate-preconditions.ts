import { strongMatch, weakMatch } from './compare-etags.ts';
import { parseEtagList } from './parse-etag-list.ts';
import { parseHttpDate } from './parse-http-date.ts';
import { storedEtag } from './stored-etag.ts';
import type { ObjectFacts, RequestFacts } from './types.ts';
import { wholeSeconds } from './whole-seconds.ts';

/**
 * Evaluate the conditional request header fields in the order RFC 9110 13.2.2 prescribes. The object exists
 * (a missing key never reaches here), so `*` in If-Match is true and `*` in If-None-Match is false.
 *
 * 1. If-Match present: false -> 412 (RFC 9110 13.1.1; strong comparison).
 * 2. Else If-Unmodified-Since present: false -> 412 (13.1.4; ignored when not a valid HTTP-date or the object
 *    has no Last-Modified).
 * 3. If-None-Match present: false -> 304 for GET/HEAD, 412 otherwise (13.1.2; weak comparison).
 * 4. Else, GET/HEAD with If-Modified-Since: false -> 304 (13.1.3; ignored when invalid or no Last-Modified).
 * Range and If-Range (step 5) are evaluated afterwards by the caller.
 *
 * Dates compare in whole seconds, the resolution of HTTP-date.
 */
export function evaluatePreconditions(request: RequestFacts, object: ObjectFacts): 'proceed' | 304 | 412 {
  const { headers } = request;
  const isGetOrHead = request.method === 'GET' || request.method === 'HEAD';
  const lastModified = wholeSeconds(object.lastModified);

  const ifMatch = headers['if-match'];
  if (ifMatch !== undefined) {
    if (!ifMatchHolds(ifMatch, object)) return 412;
  } else {
    const since = dateSeconds(headers['if-unmodified-since']);
    // "modified after the date" makes If-Unmodified-Since false (RFC 9110 13.1.4).
    if (since !== undefined && lastModified !== undefined && lastModified > since) return 412;
  }

  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    if (!ifNoneMatchHolds(ifNoneMatch, object)) return isGetOrHead ? 304 : 412;
  } else if (isGetOrHead) {
    const since = dateSeconds(headers['if-modified-since']);
    // "not modified since the date" (at or before it) makes If-Modified-Since false (RFC 9110 13.1.3).
    if (since !== undefined && lastModified !== undefined && lastModified <= since) return 304;
  }
  return 'proceed';
}

/** RFC 9110 13.1.1: `*` is true for an existing representation; otherwise some tag must strongly match. */
function ifMatchHolds(value: string, object: ObjectFacts): boolean {
  const list = parseEtagList(value);
  if (list === '*') return true;
  const current = storedEtag(object.etag);
  return current !== undefined && list.some((tag) => strongMatch(tag, current));
}

/** RFC 9110 13.1.2: `*` is false for an existing representation; otherwise false when any tag weakly matches. */
function ifNoneMatchHolds(value: string, object: ObjectFacts): boolean {
  const list = parseEtagList(value);
  if (list === '*') return false;
  const current = storedEtag(object.etag);
  return current === undefined || !list.some((tag) => weakMatch(tag, current));
}

function dateSeconds(value: string | undefined): number | undefined {
  return value === undefined ? undefined : wholeSeconds(parseHttpDate(value));
}
